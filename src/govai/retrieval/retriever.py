"""Hybrid retrieval for one question, served from the database.

1. candidates: BM25 scored in SQL over the knowledge base's GIN index of terms, and dense
   nearest neighbours from its pgvector HNSW index (``store/knowledge.py``);
2. reciprocal rank fusion of the two chunk rankings;
3. reranking of the fused candidates with finer evidence (see rerank.py), over a small
   ``KBIndex`` read for this question: the candidate passages and the stored profiles of their
   pages (passage count, topic centroid, dispersion, latest year: ``retrieval/pages.py``);
4. per-source deduplication: a page or section appears once, at its best chunk.

No worker holds a knowledge base in memory: a question reads only its candidates (a few hundred
rows whatever the collection's size), so memory does not grow with the collection, a new worker
answers at once, and any number of workers and nodes share one store.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from govai.domain import Source
from govai.embeddings.base import Embedder
from govai.retrieval.lexical import BM25_B, BM25_K1, tokenize
from govai.retrieval.pages import PageProfile, is_legislation, page_text
from govai.retrieval.rerank import ASK_CANDIDATES, rerank
from govai.retrieval.units import UnitWriter, pack, unpack
from govai.store.knowledge import KnowledgeBase, KnowledgeStore, Postings, StoredChunk, StoredPage
from govai.text.parts import split_ask

VIEWS_KEPT = 16  # recent per-question indexes, so evidence and answerability reuse what search read
RRF_K = 60
CANDIDATES = 60
# What a worker answers, as far as retrieval goes, before it takes requests (``Retriever.warm_up``).
WARM_UP_QUESTION = "How do I apply for a Blue Badge if I cannot walk far?"
WARM_UP_SENTENCES = (
    "Blue Badge: You can apply for a Blue Badge if you get the higher rate of the mobility component.",
    "Blue Badge: Contact your local council to apply.",
    "Blue Badge: It costs up to £10 in England.",
)
__all__ = ["BM25_B", "BM25_K1", "CANDIDATES", "KBIndex", "Mode", "Retrieval", "Retriever", "StoredBM25", "StoredUnits"]


class Mode(StrEnum):
    BM25 = "bm25"
    DENSE = "dense"
    HYBRID = "hybrid"  # fusion only
    FULL = "full"  # fusion + reranking (the default)


class StoredBM25:
    """BM25 with a knowledge base's own statistics (its size, mean length and document
    frequencies, read as needed and kept), exactly as its lexical search in the database scores:
    over the whole collection (``top``), or over a few rows read with their terms (``ids``, in
    row order; ``terms``: each row's term frequencies and length), scored here."""

    def __init__(self, store: KnowledgeStore, kb: KnowledgeBase, ids: list[int],
                 terms: list[tuple[dict[str, int], int]] | None = None) -> None:
        self._store, self._kb = store, kb
        self._ids = ids
        self._terms = terms
        self._df: dict[str, int] = {}
        self._lists: dict[str, Postings] | None = {}  # None: the lexicon has no postings lists
        self._lock = threading.Lock()
        self.n = max(kb.n_chunks, 0)

    def over(self, ids: list[int], terms: list[tuple[dict[str, int], int]] | None = None) -> StoredBM25:
        """The same statistics (and what was already read of them) over other rows."""
        other = StoredBM25(self._store, self._kb, ids, terms)
        with self._lock:
            other._df = dict(self._df)
            other._lists = None if self._lists is None else dict(self._lists)
        return other

    def _frequencies(self, terms: Collection[str]) -> dict[str, int]:
        with self._lock:
            missing = [t for t in terms if t not in self._df]
            if missing and self._lists is not None:
                lists = self._store.postings(self._kb, missing)  # one read: frequencies and postings
                if lists is None:
                    self._lists = None
                else:
                    self._lists.update(lists)
                    self._df.update({t: lists[t].df if t in lists else 0 for t in missing})
                    missing = []
            if missing:
                found = self._store.document_frequencies(self._kb, missing)
                self._df.update({t: found.get(t, 0) for t in missing})
            return {t: self._df[t] for t in terms}

    def preload(self, terms: Collection[str]) -> None:
        self._frequencies(terms)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a (tokenized) term; a term no chunk has gets the highest."""
        df = self._frequencies([term])[term]
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def weights(self, query: str) -> dict[str, float]:
        """idf of each query term some chunk holds: what the database's search scores by."""
        terms = list(dict.fromkeys(tokenize(query)))
        df = self._frequencies(terms)
        return {t: math.log(1 + (self.n - d + 0.5) / (d + 0.5)) for t, d in df.items() if d > 0}

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        """(chunk id, score) of the k best chunks of the whole knowledge base, from the database."""
        weights = self.weights(query)
        with self._lock:
            lists = None if self._lists is None else {t: self._lists[t] for t in weights if t in self._lists}
        return self._store.lexical(self._kb, weights, k, BM25_K1, BM25_B, lists=lists)

    def scores(self, query: str) -> np.ndarray:
        """The score of each row."""
        weights = self.weights(query)
        out = np.zeros(len(self._ids), dtype=np.float32)
        if self._terms is None:  # rows read without their terms: the database scores them
            row = {cid: i for i, cid in enumerate(self._ids)}
            for cid, score in self._store.lexical(self._kb, weights, len(self._ids), BM25_K1, BM25_B,
                                                  among=self._ids):
                out[row[cid]] = score
            return out
        avg = max(self._kb.avg_terms, 1e-9)
        for i, (tf, length) in enumerate(self._terms):
            score = 0.0
            for t, w in weights.items():
                f = tf.get(t)
                if f:
                    score += w * f * (BM25_K1 + 1) / (f + BM25_K1 * (1 - BM25_B + BM25_B * length / avg))
            out[i] = score
        return out

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        scores = self.scores(query)
        top = np.argsort(-scores, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


@dataclass
class KBIndex:
    """Passages of a knowledge base read for one use, each with its whole page: the rows
    reranking, evidence and answerability work on. ``Retriever.index`` builds one."""

    kb: KnowledgeBase
    chunks: list[StoredChunk]
    by_id: dict[int, int]
    bm25: StoredBM25
    vectors: np.ndarray  # unit vectors, one row per chunk
    doc_of: np.ndarray  # row -> document number
    centroids: np.ndarray  # document number -> unit mean of its chunk vectors: what the page is about
    # chunk id -> (hash of the chunk text, its sentence vectors from ingest). The text check keeps a
    # passage that did not come from the store (or was altered) from borrowing another's vectors.
    units: dict[int, tuple[int, np.ndarray]] = field(default_factory=dict)
    whole: bool = False  # every chunk of the knowledge base (offline tools only)
    pages: PageProfile | None = None  # per document number, as stored; None: computed from ``chunks``
    writer: UnitWriter | None = None  # where sentence vectors embedded by answering go (None: nowhere)

    @property
    def sentence_vectors(self) -> StoredUnits:
        return StoredUnits(self)


class StoredUnits:
    """The sentence vectors of an index's passages (``retrieval/evidence.py`` reads them): those
    stored, and those answering embeds for a passage a lazy ingest stored without them, which are
    kept with the index and written back to the passage's row."""

    def __init__(self, index: KBIndex) -> None:
        self._index = index

    def __call__(self, source: Source) -> np.ndarray | None:
        entry = self._index.units.get(source.chunk_id) if source.chunk_id is not None else None
        return entry[1] if entry is not None and entry[0] == hash(source.text) else None

    def keep(self, embedded: list[tuple[Source, np.ndarray]]) -> None:
        idx = self._index
        rows: list[tuple[int, bytes]] = []
        for source, vectors in embedded:
            cid = source.chunk_id
            row = idx.by_id.get(cid) if cid is not None else None
            # Only a passage as stored, and only where the store holds none (stale vectors of an
            # older sentence split are replaced by the next ingest, not by answering).
            if cid is None or row is None or idx.chunks[row].text != source.text or cid in idx.units:
                continue
            idx.units[cid] = (hash(source.text), vectors)
            rows.append((cid, pack(vectors)))
        if rows and idx.writer is not None:
            idx.writer.submit(idx.kb, rows)


@dataclass
class Retrieval:
    ranked: list[str]  # source ids (no anchor), best first, deduplicated
    passages: list[Source]  # best passages for composition, best first
    complete: bool = True  # False when the knowledge base's last ingest did not finish


def _centroids(chunks: list[StoredChunk], vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    numbers: dict[str, int] = {}
    doc_of = np.array([numbers.setdefault(c.source_id, len(numbers)) for c in chunks], dtype=np.int32)
    centroids = np.zeros((len(numbers), vectors.shape[1] if len(vectors) else 0), dtype=np.float32)
    if len(vectors) and len(vectors) <= 20_000:  # one question's pages: a small product is quickest
        members = np.zeros((len(numbers), len(chunks)), dtype=np.float32)
        members[doc_of, np.arange(len(chunks))] = 1.0
        centroids = members @ vectors
    elif len(vectors):
        np.add.at(centroids, doc_of, vectors)
    if len(vectors):
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    return doc_of, centroids


def page_from_chunks(document_id: int, chunks: list[StoredChunk]) -> StoredPage:
    """A page's profile from all its chunks, as the store's refresh computes it (for a page
    stored since the knowledge base's last refresh)."""
    vectors = np.stack([c.embedding for c in chunks]).astype(np.float64)
    total = vectors.sum(axis=0)
    norm = float(np.linalg.norm(total))
    latest, dated = page_text(chunks[0].title, [c.text for c in chunks])
    return StoredPage(document_id, len(chunks), (total / max(norm, 1e-12)).astype(np.float32),
                      min(max(1.0 - norm / len(chunks), 0.0), 1.0), latest, dated, is_legislation(chunks[0].source_id))


def build_index(store: KnowledgeStore, kb: KnowledgeBase, chunks: list[StoredChunk],
                pages: dict[int, StoredPage] | None = None, bm25: StoredBM25 | None = None) -> KBIndex:
    """The index of ``chunks``: with ``pages`` (their documents' stored profiles), page features
    come from those; without, from ``chunks`` themselves, which must then be whole pages."""
    vectors = np.stack([c.embedding for c in chunks]) if chunks else np.zeros((0, kb.dim), np.float32)
    units: dict[int, tuple[int, np.ndarray]] = {}
    for c in chunks:
        c.embedding = None  # keep one copy, in the matrix
        unit_vectors = unpack(c.unit_vectors, kb.dim)
        if unit_vectors is not None:
            units[c.id] = (hash(c.text), unit_vectors)
        c.unit_vectors = None
    ids = [c.id for c in chunks]
    terms = ([(c.terms, c.n_terms) for c in chunks]
             if all(c.terms is not None and c.n_terms is not None for c in chunks) else None)
    for c in chunks:
        c.terms = None  # kept once, in the BM25 rows
    bm25 = bm25.over(ids, terms) if bm25 is not None else StoredBM25(store, kb, ids, terms)  # type: ignore[arg-type]
    profile = None
    if pages is None:
        doc_of, centroids = _centroids(chunks, vectors)
    else:
        numbers: dict[int, int] = {}
        doc_of = np.array([numbers.setdefault(c.document_id, len(numbers)) for c in chunks], dtype=np.int32)
        order = [pages[d] for d in numbers]
        centroids = np.stack([p.centroid for p in order]).astype(np.float32) if order else np.zeros((0, kb.dim),
                                                                                                   np.float32)
        profile = PageProfile(
            log_chunks=np.log1p(np.array([p.n_chunks for p in order], dtype=np.float64)),
            dispersion=np.array([p.dispersion for p in order], dtype=np.float64),
            latest_year=np.array([p.latest_year for p in order], dtype=np.float64),
            dated_notice=np.array([float(p.dated) for p in order]),
            legislation=np.array([float(p.legislation) for p in order]),
        )
    return KBIndex(kb, chunks, {c.id: i for i, c in enumerate(chunks)}, bm25, vectors, doc_of, centroids, units,
                   pages=profile)


class Retriever:
    def __init__(self, store: KnowledgeStore, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder
        self._recent: list[KBIndex] = []  # newest last; a few small indexes, never a whole collection
        self._lock = threading.Lock()
        self.unit_writer = UnitWriter(store)

    def _writer_for(self, kb: KnowledgeBase) -> UnitWriter | None:
        """Sentence vectors embedded by answering are stored only from the knowledge base's own
        model: a process serving it with another must not mix its vectors in."""
        return self.unit_writer if kb.embedder == self.embedder.name else None

    def _remember(self, idx: KBIndex) -> KBIndex:
        with self._lock:
            self._recent = [*self._recent[-(VIEWS_KEPT - 1):], idx]
        return idx

    def _recalled(self, kb: KnowledgeBase, ids: list[int] | None) -> KBIndex | None:
        """A recent index of this revision holding every one of ``ids`` (None: every chunk): it
        holds their whole pages too, so it answers exactly as a fresh read would."""
        with self._lock:
            for idx in reversed(self._recent):
                if idx.kb.id != kb.id or idx.kb.revision != kb.revision:
                    continue
                if idx.whole if ids is None else all(i in idx.by_id for i in ids):
                    idx.kb = kb  # same content; keep what the store says now (e.g. whether loading finished)
                    return idx
        return None

    def warm_up(self, kb_name: str | None) -> None:
        """Answer one made-up question as far as retrieval goes, before a worker takes requests:
        the embedder's first real inferences (the first calls of a fresh model take several times
        as long as later ones), the ranking models, this thread's database connection and, when
        the knowledge base exists, a search of it and the evidence of what it finds. The first
        citizen's question then pays for none of it."""
        from govai.retrieval.evidence import evidence_for
        from govai.retrieval.rerank import load_model as rerank_model
        from govai.retrieval.selection import load_model as sentence_model

        rerank_model()
        sentence_model()
        if self.embedder.remote:
            return  # no model in this process to warm, and a made-up question is not sent to a provider
        vector = self.embedder.embed([WARM_UP_QUESTION])[0]
        self.embedder.embed(list(WARM_UP_SENTENCES))  # a batch, as evidence embeds a passage's sentences
        kb = self.store.get(kb_name) if kb_name else None
        # A lagging lexicon is refreshed by the first question, as before: at a million chunks that
        # takes minutes, longer than an orchestrator waits for a worker to start.
        if kb_name is None or kb is None or kb.n_chunks == 0 or not kb.lexicon_current:
            return
        found = self.search(kb_name, WARM_UP_QUESTION, vector=vector)
        if found.passages:
            evidence_for(self.embedder.embed, WARM_UP_QUESTION, found.passages,
                         self.index(kb_name, found.passages).sentence_vectors)

    def knowledge_base(self, kb_name: str) -> KnowledgeBase:
        """The knowledge base, its lexicon refreshed first if it lags (a store from before
        lexical search moved into the database, or a change made without an ingest)."""
        kb = self.store.require(kb_name)
        if not kb.lexicon_current:
            self.store.refresh_lexicon(kb)
            kb = self.store.require(kb_name)
        return kb

    def index(self, kb_name: str, sources: Sequence[Source] | None = None) -> KBIndex:
        """The passages of ``sources`` and their pages, read from the store. Without
        ``sources``, the whole knowledge base: for offline tools (reranker training) only,
        since it holds every chunk in memory."""
        kb = self.knowledge_base(kb_name)
        ids = None if sources is None else [s.chunk_id for s in sources if s.chunk_id is not None]
        recalled = self._recalled(kb, ids)
        if recalled is not None:
            return recalled
        if ids is None:
            idx = build_index(self.store, kb, self.store.chunks(kb, with_vectors=True))
            idx.whole = True
            idx.writer = self._writer_for(kb)
            return self._remember(idx)
        return self._remember(self._read(kb, ids))

    def _read(self, kb: KnowledgeBase, ids: list[int], stats: StoredBM25 | None = None) -> KBIndex:
        """An index of the chunks ``ids`` and their pages' stored profiles (computed here for a
        page stored since the last refresh)."""
        chunks = self.store.candidate_chunks(kb, ids)
        pages = {c.document_id: c.page for c in chunks if c.page is not None and c.document_id is not None}
        for c in chunks:
            c.page = None
        doc_ids = list(dict.fromkeys(c.document_id for c in chunks if c.document_id is not None))
        missing = [d for d in doc_ids if d not in pages]
        if missing:
            by_doc: dict[int, list[StoredChunk]] = {}
            for c in self.store.document_chunks(kb, missing):
                by_doc.setdefault(c.document_id, []).append(c)  # type: ignore[arg-type]
            pages.update({d: page_from_chunks(d, rows) for d, rows in by_doc.items()})
        idx = build_index(self.store, kb, chunks, pages, stats)
        idx.writer = self._writer_for(kb)
        return idx

    def search(
        self, kb_name: str, query: str, *, vector: np.ndarray | None = None, k: int = 10, passages: int = 8,
        mode: Mode = Mode.FULL, exclude: Collection[str] = (),
    ) -> Retrieval:
        """The best ``k`` source ids and ``passages`` passages; sources in ``exclude``
        (document source ids, no anchor) are left out, as if withdrawn. ``vector`` is the
        query's embedding when the caller has it (the pipeline embeds through model access)."""
        kb = self.knowledge_base(kb_name)
        if kb.n_chunks == 0:
            return Retrieval([], [], kb.complete)
        qvec = self.embedder.embed([query])[0] if vector is None else vector
        pool = CANDIDATES * 2 if exclude else CANDIDATES  # room for what is left out
        stats = StoredBM25(self.store, kb, [])
        lexical_ids = stats.top(query, pool) if mode != Mode.DENSE else []
        dense_ids = self.store.nearest(kb, qvec, pool) if mode != Mode.BM25 else []
        wanted = [cid for cid, _ in lexical_ids] + [cid for cid, _ in dense_ids]
        if mode == Mode.FULL:
            # Reranking adds what BM25 finds for the ask alone; those passages must be read too.
            split = split_ask(query)
            if split.has_situation:
                wanted += [cid for cid, _ in stats.top(split.ask, ASK_CANDIDATES)]
        idx = self._remember(self._read(kb, list(dict.fromkeys(wanted)), stats))
        lexical = [(idx.by_id[cid], s) for cid, s in lexical_ids if cid in idx.by_id]
        dense = [(idx.by_id[cid], s) for cid, s in dense_ids if cid in idx.by_id]
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
        found.complete = kb.complete
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
