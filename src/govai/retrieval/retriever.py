"""Hybrid retrieval for one question.

1. candidates: BM25 (in memory) and dense nearest neighbours (pgvector HNSW);
2. reciprocal rank fusion of the two chunk rankings;
3. reranking of the fused candidates with finer evidence (see rerank.py);
4. per-source deduplication: a page or section appears once, at its best chunk.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from govai.domain import Source
from govai.embeddings.base import Embedder
from govai.retrieval.lexical import BM25Index
from govai.retrieval.rerank import rerank
from govai.retrieval.units import unpack
from govai.store.knowledge import KnowledgeBase, KnowledgeStore, StoredChunk

RRF_K = 60
CANDIDATES = 60


class Mode(StrEnum):
    BM25 = "bm25"
    DENSE = "dense"
    HYBRID = "hybrid"  # fusion only
    FULL = "full"  # fusion + reranking (the default)


@dataclass
class KBIndex:
    kb: KnowledgeBase
    chunks: list[StoredChunk]
    by_id: dict[int, int]
    bm25: BM25Index
    vectors: np.ndarray  # unit vectors, one row per chunk
    doc_of: np.ndarray  # row -> document number
    centroids: np.ndarray  # document number -> unit mean of its chunk vectors: what the page is about
    # chunk id -> (hash of the chunk text, its sentence vectors from ingest). The text check keeps a
    # passage that did not come from the store (or was altered) from borrowing another's vectors.
    units: dict[int, tuple[int, np.ndarray]]

    def sentence_vectors(self, source: Source) -> np.ndarray | None:
        entry = self.units.get(source.chunk_id)
        return entry[1] if entry is not None and entry[0] == hash(source.text) else None


@dataclass
class Retrieval:
    ranked: list[str]  # source ids (no anchor), best first, deduplicated
    passages: list[Source]  # best passages for composition, best first
    complete: bool = True  # False when the knowledge base's last ingest did not finish


def _centroids(chunks: list[StoredChunk], vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    numbers: dict[str, int] = {}
    doc_of = np.array([numbers.setdefault(c.source_id, len(numbers)) for c in chunks], dtype=np.int32)
    centroids = np.zeros((len(numbers), vectors.shape[1] if len(vectors) else 0), dtype=np.float32)
    if len(vectors):
        np.add.at(centroids, doc_of, vectors)
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    return doc_of, centroids


class Retriever:
    def __init__(self, store: KnowledgeStore, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder
        self._indexes: dict[str, KBIndex] = {}
        self._lock = threading.Lock()

    def index(self, kb_name: str) -> KBIndex:
        kb = self.store.require(kb_name)
        with self._lock:
            cached = self._indexes.get(kb_name)
            if cached is None or cached.kb.revision != kb.revision or cached.kb.id != kb.id:
                chunks = self.store.chunks(kb, with_vectors=True)
                texts = [f"{c.title}\n{' '.join(c.headings)}\n{c.text}" for c in chunks]
                vectors = np.stack([c.embedding for c in chunks]) if chunks else np.zeros((0, kb.dim), np.float32)
                units: dict[int, tuple[int, np.ndarray]] = {}
                for c in chunks:
                    c.embedding = None  # keep one copy, in the matrix
                    unit_vectors = unpack(c.unit_vectors, kb.dim)
                    if unit_vectors is not None:
                        units[c.id] = (hash(c.text), unit_vectors)
                    c.unit_vectors = None
                doc_of, centroids = _centroids(chunks, vectors)
                cached = KBIndex(
                    kb, chunks, {c.id: i for i, c in enumerate(chunks)}, BM25Index(texts), vectors, doc_of, centroids,
                    units,
                )
                self._indexes[kb_name] = cached
            else:
                cached.kb = kb  # same content; keep what the store says now (e.g. whether loading finished)
            return cached

    def search(
        self, kb_name: str, query: str, *, vector: np.ndarray | None = None, k: int = 10, passages: int = 8,
        mode: Mode = Mode.FULL, exclude: Collection[str] = (),
    ) -> Retrieval:
        """The best ``k`` source ids and ``passages`` passages; sources in ``exclude``
        (document source ids, no anchor) are left out, as if withdrawn. ``vector`` is the
        query's embedding when the caller has it (the pipeline embeds through model access)."""
        idx = self.index(kb_name)
        if not idx.chunks:
            return Retrieval([], [], idx.kb.complete)
        qvec = self.embedder.embed([query])[0] if vector is None else vector
        pool = CANDIDATES * 2 if exclude else CANDIDATES  # room for what is left out
        lexical = idx.bm25.search(query, pool) if mode != Mode.DENSE else []
        dense = []
        if mode != Mode.BM25:
            dense = [(idx.by_id[cid], sim) for cid, sim in self.store.nearest(idx.kb, qvec, pool) if cid in idx.by_id]
        if mode == Mode.BM25:
            scored = lexical
        elif mode == Mode.DENSE:
            scored = dense
        else:
            fused: dict[int, float] = {}
            for ranking in (lexical, dense):
                for rank, (i, _) in enumerate(ranking):
                    fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
            scored = sorted(fused.items(), key=lambda x: -x[1])
            if mode == Mode.FULL:
                scored = rerank(query, qvec, idx, [i for i, _ in scored], lexical, dense)
        found = self._dedupe(idx, scored, k, passages, frozenset(exclude))
        found.complete = idx.kb.complete
        return found

    @staticmethod
    def _dedupe(
        idx: KBIndex, scored: list[tuple[int, float]], k: int, passages: int, exclude: frozenset[str]
    ) -> Retrieval:
        ranked: list[str] = []
        chosen: list[Source] = []
        for i, score in scored:
            c = idx.chunks[i]
            if c.source_id in exclude:
                continue
            if c.source_id not in ranked:
                ranked.append(c.source_id)
            if len(chosen) < passages:
                chosen.append(
                    Source(
                        source_id=c.source_id + (f"#{c.anchor}" if c.anchor else ""),
                        doc_id=c.source_id, chunk_id=c.id, title=c.title, headings=c.headings,
                        url=c.link or c.url + (f"#{c.anchor}" if c.anchor else ""), text=c.text, score=score,
                        flags=list(c.flags),
                    )
                )
            if len(ranked) >= k and len(chosen) >= passages:
                break
        return Retrieval(ranked[:k], chosen)
