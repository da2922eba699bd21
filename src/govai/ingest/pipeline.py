"""Incremental ingest: read sources, skip unchanged documents, embed only new chunk
texts, replace changed documents atomically, and remove documents that are gone."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from govai.embeddings.base import Embedder
from govai.errors import IngestError
from govai.ingest.chunking import Chunk, chunk_document
from govai.ingest.document import Document
from govai.ingest.sources import reader_for
from govai.retrieval.units import pack
from govai.store.knowledge import KnowledgeBase, KnowledgeStore
from govai.text.units import split_units, unit_embed_text

log = logging.getLogger(__name__)

BATCH_CHUNKS = 256  # chunks embedded per model call across documents
REINDEX_AFTER = 500  # chunks written in one ingest: rebuild the HNSW graph in one go (see rebuild_index)


@dataclass
class IngestReport:
    kb: str
    files: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    chunks_flagged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # loaded, but with something to check
    seconds: float = 0.0

    @property
    def chunks_written(self) -> int:
        return self.chunks_embedded + self.chunks_reused


def expand_sources(sources: list[Path]) -> Iterator[tuple[Path, Path]]:
    """(file, the source it came from) for every file under the given paths."""
    for source in sources:
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                if path.is_file() and not any(p.startswith(".") for p in path.relative_to(source).parts):
                    yield path, source
        else:
            yield source, source


def _flag_passage(text: str) -> list[str]:
    from govai.guards.source import flag_passage

    return flag_passage(text)


class Ingester:
    def __init__(
        self,
        store: KnowledgeStore,
        embedder: Embedder,
        kb_name: str,
        screen: Callable[[str], list[str]] | None = _flag_passage,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.kb: KnowledgeBase = store.ensure(kb_name, embedder.name, embedder.dim)
        self.screen = screen
        self.report = IngestReport(kb=kb_name)
        self._pending: list[tuple[Document, list[Chunk]]] = []

    def run(self, sources: list[Path], progress: Callable[[int, int], None] | None = None) -> IngestReport:
        start = time.perf_counter()
        for source in sources:
            if not source.exists():
                self.report.failures.append((str(source), "no such file or directory"))
        files = list(expand_sources([s for s in sources if s.exists()]))
        existing = self.store.document_hashes(self.kb)
        seen: set[str] = set()
        ok_origins: set[str] = set()
        failed_origins: set[str] = set()
        for number, (path, _) in enumerate(files, 1):
            origin = str(path.resolve())
            try:
                docs = list(reader_for(path).read(path))
            except IngestError as exc:
                failed_origins.add(origin)
                self.report.failures.append((str(path), str(exc)))
            except (OSError, ValueError, RuntimeError) as exc:  # parser bugs must not sink the batch
                failed_origins.add(origin)
                self.report.failures.append((str(path), f"{type(exc).__name__}: {exc}"))
            else:
                ok_origins.add(origin)
                self.report.files += 1
                for doc in docs:
                    self.report.warnings.extend((str(path), w) for w in doc.metadata.get("warnings", []))
                    self._consider(doc, existing, seen)
            if progress:
                progress(number, len(files))
        self._flush()
        self._remove_missing(sources, existing, seen, ok_origins, failed_origins)
        if self.report.chunks_written >= REINDEX_AFTER:
            self.store.rebuild_index(self.kb)
        self.store.bump_revision(self.kb)
        self.report.seconds = time.perf_counter() - start
        return self.report

    def _consider(self, doc: Document, existing: dict[str, tuple[str, str]], seen: set[str]) -> None:
        duplicate = doc.source_id in seen
        if duplicate:
            log.info("duplicate source id %s; the later copy wins", doc.source_id)
        seen.add(doc.source_id)
        old = existing.get(doc.source_id)
        # A duplicate is always written: an earlier copy may have just replaced the stored one.
        if old and not duplicate and old[0] == doc.content_hash and old[1] == doc.origin:
            self.report.unchanged += 1
            return
        chunks = chunk_document(doc)
        if not chunks:
            log.info("%s has no text; skipped", doc.source_id)
            return
        if old:
            self.report.updated += 1
        else:
            self.report.added += 1
        self._pending.append((doc, chunks))
        if sum(len(c) for _, c in self._pending) >= BATCH_CHUNKS:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        hashed = [(doc, chunks, [c.content_hash(doc.title) for c in chunks]) for doc, chunks in self._pending]
        todo = {h: (doc.title, c) for doc, chunks, hashes in hashed for c, h in zip(chunks, hashes)}
        known = self.store.vectors_by_hash(self.kb, sorted(todo))
        missing = sorted(h for h in todo if h not in known)
        if missing:
            known.update(self._embed([todo[h] for h in missing], missing))
        total = sum(len(hashes) for _, _, hashes in hashed)
        self.report.chunks_embedded += len(missing)
        self.report.chunks_reused += total - len(missing)
        for doc, chunks, hashes in hashed:
            vectors = [known[h] for h in hashes]
            flags = [self.screen(c.text) if self.screen else [] for c in chunks]
            self.report.chunks_flagged += sum(1 for f in flags if f)
            self.store.save_document(self.kb, doc, chunks, vectors, flags)
        self._pending.clear()

    def _embed(self, items: list[tuple[str, Chunk]], hashes: list[str]) -> dict[str, tuple[np.ndarray, bytes]]:
        """Chunk vectors plus the vectors of each chunk's quotable units, in one model pass."""
        texts = [c.embed_text(title) for title, c in items]
        spans = []
        for title, c in items:
            units = [unit_embed_text(title, u) for u in split_units(c.text)]
            spans.append((len(texts), len(texts) + len(units)))
            texts.extend(units)
        vectors = self.embedder.embed(texts)
        return {
            h: (vectors[i], pack(vectors[a:b]) if b > a else pack(np.zeros((0, vectors.shape[1]))))
            for i, (h, (a, b)) in enumerate(zip(hashes, spans))
        }

    def _remove_missing(
        self,
        sources: list[Path],
        existing: dict[str, tuple[str, str]],
        seen: set[str],
        ok_origins: set[str],
        failed_origins: set[str],
    ) -> None:
        """Drop documents whose file was re-read without them, or whose file is gone.

        Documents from a file that failed to parse are kept: a bad upload loses no data.
        """
        roots = [str(s.resolve()) for s in sources if s.is_dir() or not s.exists()]
        gone = []
        for source_id, (_, origin) in existing.items():
            if source_id in seen or origin in failed_origins:
                continue
            if origin in ok_origins:
                gone.append(source_id)
            elif any(origin.startswith(root.rstrip("/") + "/") or origin == root for root in roots):
                if not Path(origin).exists():
                    gone.append(source_id)
        self.store.delete_documents(self.kb, gone)
        self.report.removed = len(gone)
