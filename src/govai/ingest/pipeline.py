"""Incremental ingest: read sources, skip unchanged documents, embed only new chunk
texts, replace changed documents atomically, and remove documents that are gone.

A knowledge base is created only once a file has been read, so an ingest in which every
path fails leaves nothing behind. It is marked incomplete while an ingest runs and complete
when one finishes, so an ingest killed part way leaves it marked incomplete.
"""

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
from govai.ingest.document import Document, Skipped
from govai.ingest.sources import reader_for
from govai.retrieval.units import pack
from govai.store.knowledge import KnowledgeBase, KnowledgeStore, UnstorableDocument
from govai.text.units import split_units, unit_embed_text

log = logging.getLogger(__name__)

BATCH_CHUNKS = 256  # chunks embedded per model call, across small documents or within a large one
REINDEX_AFTER = 500  # chunks written in one ingest: build the HNSW graph in one go (see drop_index)

# Called with (bytes of input done, bytes of input in all). A large file moves it as its
# chunks are embedded, not only when it is finished.
Progress = Callable[[int, int], None]


@dataclass
class IngestReport:
    kb: str
    created: bool = False  # this ingest created the knowledge base
    complete: bool = False  # it ran to the end and marked the knowledge base complete
    files: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    chunks_flagged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # a file, or a line of one, not loaded
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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass
class _Origins:
    """What happened to each file read, by resolved path: decides which stored documents may go."""

    read: set[str] = field(default_factory=set)  # read; its documents not seen this time are gone
    kept: set[str] = field(default_factory=set)  # failed, or partly: its stored documents all stay


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
        self.kb_name = kb_name
        # Checked now (name, embedder); a new knowledge base is created by the first file read.
        self.kb: KnowledgeBase | None = store.existing(kb_name, embedder.name)
        self.screen = screen
        self.report = IngestReport(kb=kb_name)
        self._pending: list[tuple[Document, list[Chunk]]] = []
        self._ingest_id: str | None = None
        self._existing: dict[str, tuple[str, str]] = {}
        self._index_dropped = False
        self._document_progress: Callable[[float], None] | None = None

    def run(self, sources: list[Path], progress: Progress | None = None) -> IngestReport:
        start = time.perf_counter()
        for source in sources:
            if not source.exists():
                self.report.failures.append((str(source), "no such file or directory"))
        files = [path for path, _ in expand_sources([s for s in sources if s.exists()])]
        sizes = [_size(path) for path in files]
        total = max(1, sum(sizes))
        if self.kb is not None:
            self._begin()  # even if nothing reads, documents of files that are gone are removed
        seen: set[str] = set()
        origins = _Origins()
        done = 0
        for path, size in zip(files, sizes, strict=True):

            def file_progress(fraction: float, before: int = done, size: int = size) -> None:
                if progress:
                    progress(before + int(size * min(fraction, 1.0)), total)

            self._read_file(path, seen, origins, file_progress)
            done += size
            file_progress(1.0)
        if self._ingest_id is None:  # nothing was read into a new knowledge base: none is created
            self.report.seconds = time.perf_counter() - start
            return self.report
        self._flush()
        self._remove_missing(sources, seen, origins)
        kb = self._kb()
        if self._index_dropped:
            self.store.rebuild_index(kb)
        self.store.bump_revision(kb)
        self.store.finish_ingest(kb, self._ingest_id)
        self.report.complete = True
        self.report.seconds = time.perf_counter() - start
        return self.report

    def _kb(self) -> KnowledgeBase:
        if self.kb is None:
            raise RuntimeError("the knowledge base is created when the first file is read")
        return self.kb

    def _begin(self) -> None:
        """Create the knowledge base if needed and mark it incomplete until the run ends."""
        if self._ingest_id is not None:
            return
        if self.kb is None:
            self.kb = self.store.ensure(self.kb_name, self.embedder.name, self.embedder.dim, complete=False)
            self.report.created = True
        self._ingest_id = self.store.begin_ingest(self.kb)
        self._existing = self.store.document_hashes(self.kb)
        # An ingest killed after dropping the index (see drop_index) left none: build it at the end.
        self._index_dropped = not self.store.has_index(self.kb)

    def _read_file(
        self, path: Path, seen: set[str], origins: _Origins, file_progress: Callable[[float], None]
    ) -> None:
        origin = str(path.resolve())
        try:
            items = list(reader_for(path).read(path))
        except IngestError as exc:
            origins.kept.add(origin)
            self.report.failures.append((str(path), str(exc)))
            return
        except (OSError, ValueError, RuntimeError) as exc:  # parser bugs must not sink the batch
            origins.kept.add(origin)
            self.report.failures.append((str(path), f"{type(exc).__name__}: {exc}"))
            return
        docs = [item for item in items if isinstance(item, Document)]
        skipped = [item.reason for item in items if isinstance(item, Skipped)]
        self.report.failures.extend((str(path), reason) for reason in skipped)
        if skipped:
            # A bad line may have held a stored document: keep everything this file stored.
            origins.kept.add(origin)
            if not docs:
                return
        origins.read.add(origin)
        self.report.files += 1
        self._begin()
        for number, doc in enumerate(docs):
            self.report.warnings.extend((str(path), w) for w in doc.metadata.get("warnings", []))
            self._document_progress = lambda f, n=number: file_progress((n + f) / len(docs))
            self._consider(doc, seen)
            file_progress((number + 1) / len(docs))
        self._document_progress = None

    def _consider(self, doc: Document, seen: set[str]) -> None:
        duplicate = doc.source_id in seen
        if duplicate:
            log.info("duplicate source id %s; the later copy wins", doc.source_id)
        seen.add(doc.source_id)
        old = self._existing.get(doc.source_id)
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
        if len(chunks) > BATCH_CHUNKS:  # a large document: embedded batch by batch, with progress
            self._flush()
            self._save([(doc, chunks)], self._document_progress)
            return
        self._pending.append((doc, chunks))
        if sum(len(c) for _, c in self._pending) >= BATCH_CHUNKS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._save(self._pending)
            self._pending = []

    def _save(
        self, documents: list[tuple[Document, list[Chunk]]], progress: Callable[[float], None] | None = None
    ) -> None:
        """Embed (what the store does not already have) and screen the chunks BATCH_CHUNKS at
        a time, then replace each document in one transaction."""
        kb = self._kb()
        items = [(doc.title, c, c.content_hash(doc.title)) for doc, chunks in documents for c in chunks]
        if not self._index_dropped and self.report.chunks_written + len(items) >= REINDEX_AFTER:
            self.store.drop_index(kb)
            self._index_dropped = True
        vectors: dict[str, tuple[np.ndarray, bytes]] = {}
        flags: list[list[str]] = []
        embedded = 0
        for start in range(0, len(items), BATCH_CHUNKS):
            batch = items[start : start + BATCH_CHUNKS]
            new = sorted({h for _, _, h in batch if h not in vectors})
            vectors.update(self.store.vectors_by_hash(kb, new))
            missing = [h for h in new if h not in vectors]
            if missing:
                todo = {h: (title, c) for title, c, h in batch}
                vectors.update(self._embed([todo[h] for h in missing], missing))
                embedded += len(missing)
            flags.extend(self.screen(c.text) if self.screen else [] for _, c, _ in batch)
            if progress:
                progress((start + len(batch)) / len(items))
        self.report.chunks_embedded += embedded
        self.report.chunks_reused += len(items) - embedded
        self.report.chunks_flagged += sum(1 for f in flags if f)
        offset = 0
        for doc, chunks in documents:
            span = slice(offset, offset + len(chunks))
            offset += len(chunks)
            try:
                self.store.save_document(kb, doc, chunks, [vectors[h] for _, _, h in items[span]], flags[span])
            except UnstorableDocument as exc:
                self.report.failures.append((doc.origin, str(exc)))

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
            for i, (h, (a, b)) in enumerate(zip(hashes, spans, strict=True))
        }

    def _remove_missing(self, sources: list[Path], seen: set[str], origins: _Origins) -> None:
        """Drop documents whose file was re-read without them, or whose file is gone.

        Documents from a file that failed to parse, or had lines that did, are kept: a bad
        upload loses no data.
        """
        roots = [str(s.resolve()) for s in sources if s.is_dir() or not s.exists()]
        gone = []
        for source_id, (_, origin) in self._existing.items():
            if source_id in seen or origin in origins.kept:
                continue
            if origin in origins.read:
                gone.append(source_id)
            elif any(origin.startswith(root.rstrip("/") + "/") or origin == root for root in roots):
                if not Path(origin).exists():
                    gone.append(source_id)
        self.store.delete_documents(self._kb(), gone)
        self.report.removed = len(gone)
