"""Incremental ingest: read sources, skip unchanged documents, embed only new chunk
texts, replace changed documents atomically, and remove documents that are gone.

A knowledge base is created only once a file has been read, so an ingest in which every
path fails leaves nothing behind. It is marked incomplete while an ingest runs and complete
when one finishes, so an ingest killed part way leaves it marked incomplete.

One code path, pipelined: an executor (``govai.ingest.executors``: threads in this process,
or Ray) reads and chunks files ahead and embeds batches ahead, while this class decides what
changed and writes finished batches, in order, with COPY. Writes are keyed by source id and
content hash, so an ingest killed part way and run again skips what landed and never
duplicates anything.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from govai.embeddings.base import Embedder
from govai.errors import ConfigError
from govai.ingest.chunking import Chunk
from govai.ingest.document import Document
from govai.ingest.executors import Executor, LocalExecutor, Pending, RayExecutor
from govai.ingest.work import UNIT_MODES, ChunkJob, EmbedResult, ReadResult, Screen
from govai.store.knowledge import DocumentRows, KnowledgeBase, KnowledgeStore, UnstorableDocument

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


@dataclass
class RayOptions:
    """``govai kb ingest --ray``: join the cluster at ``address``, else start a local Ray
    instance with ``workers`` workers."""

    address: str | None = None
    workers: int = 2


@dataclass
class _Group:
    """Documents written together once every batch of their chunks is embedded: several small
    documents in one batch, or one large document over several (it is still replaced at once)."""

    documents: list[tuple[Document, list[Chunk]]]
    jobs: list[ChunkJob]
    reused: dict[str, tuple[np.ndarray, bytes]]  # vectors the store already had
    batches: deque[tuple[Pending, int]] = field(default_factory=deque)  # (embedding, input bytes done after it)
    results: list[EmbedResult] = field(default_factory=list)  # of the batches already waited for
    sealed: bool = False  # every batch has been started


class Ingester:
    def __init__(
        self,
        store: KnowledgeStore,
        embedder: Embedder,
        kb_name: str,
        screen: Screen | None = _flag_passage,
        *,
        units: str = "eager",
        ray: RayOptions | None = None,
    ) -> None:
        if units not in UNIT_MODES:
            raise ConfigError(f"unit vectors must be one of {', '.join(UNIT_MODES)}, not {units!r}")
        self.store = store
        self.embedder = embedder
        self.kb_name = kb_name
        # Checked now (name, embedder); a new knowledge base is created by the first file read.
        self.kb: KnowledgeBase | None = store.existing(kb_name, embedder.name)
        self.screen = screen
        self.units = units
        self.ray = ray
        self.report = IngestReport(kb=kb_name)
        self._pending: list[tuple[Document, list[Chunk]]] = []
        self._queue: deque[_Group | int] = deque()  # groups being embedded, and progress marks, in order
        self._in_flight = 0  # embedding batches started and not yet written
        self._submitted = 0  # chunks handed to the writer so far
        self._progress: Progress | None = None
        self._total = 1
        self._executor: Executor | None = None
        self._ingest_id: str | None = None
        self._existing: dict[str, tuple[str, str]] = {}
        self._index_dropped = False

    def _make_executor(self) -> Executor:
        if self.ray is not None:
            return RayExecutor(self.embedder.name, self.screen, self.units, self.ray.address, self.ray.workers)
        return LocalExecutor(self.embedder, self.screen, self.units)

    def run(self, sources: list[Path], progress: Progress | None = None) -> IngestReport:
        start = time.perf_counter()
        for source in sources:
            if not source.exists():
                self.report.failures.append((str(source), "no such file or directory"))
        files = [path for path, _ in expand_sources([s for s in sources if s.exists()])]
        sizes = [_size(path) for path in files]
        self._total = max(1, sum(sizes))
        self._progress = progress
        if self.kb is not None:
            self._begin()  # even if nothing reads, documents of files that are gone are removed
        seen: set[str] = set()
        origins = _Origins()
        self._executor = self._make_executor()
        try:
            done = 0
            results: Iterator[ReadResult] = self._executor.read(files)
            for path, size, result in zip(files, sizes, results, strict=True):
                self._take_file(path, result, seen, origins, done, size)
                done += size
                self._queue.append(done)
                self._advance()
            self._flush()
            self._advance(until_empty=True)
        finally:
            self._executor.close()
            self._executor = None
        if self._ingest_id is None:  # nothing was read into a new knowledge base: none is created
            self.report.seconds = time.perf_counter() - start
            return self.report
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

    def _take_file(self, path: Path, result: ReadResult, seen: set[str], origins: _Origins,
                   done: int, size: int) -> None:
        origin = str(path.resolve())
        if result.error is not None:
            origins.kept.add(origin)
            self.report.failures.append((str(path), result.error))
            return
        self.report.failures.extend((str(path), reason) for reason in result.skipped)
        if result.skipped:
            # A bad line may have held a stored document: keep everything this file stored.
            origins.kept.add(origin)
            if not result.documents:
                return
        origins.read.add(origin)
        self.report.files += 1
        self._begin()
        count = len(result.documents)
        for number, (doc, chunks) in enumerate(result.documents):
            self.report.warnings.extend((str(path), w) for w in doc.metadata.get("warnings", []))
            self._consider(doc, chunks, seen, lambda f, n=number: done + int(size * min((n + f) / count, 1.0)))

    def _consider(self, doc: Document, chunks: list[Chunk], seen: set[str], position: Callable[[float], int]) -> None:
        duplicate = doc.source_id in seen
        if duplicate:
            log.info("duplicate source id %s; the later copy wins", doc.source_id)
        seen.add(doc.source_id)
        old = self._existing.get(doc.source_id)
        # A duplicate is always written: an earlier copy may have just replaced the stored one.
        if old and not duplicate and old[0] == doc.content_hash and old[1] == doc.origin:
            self.report.unchanged += 1
            return
        if not chunks:
            log.info("%s has no text; skipped", doc.source_id)
            return
        if old:
            self.report.updated += 1
        else:
            self.report.added += 1
        if len(chunks) > BATCH_CHUNKS:  # a large document: embedded batch by batch, with progress
            self._flush()
            self._submit([(doc, chunks)], position)
            return
        self._pending.append((doc, chunks))
        if sum(len(c) for _, c in self._pending) >= BATCH_CHUNKS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._submit(self._pending)
            self._pending = []

    def _submit(self, documents: list[tuple[Document, list[Chunk]]],
                position: Callable[[float], int] | None = None) -> None:
        """Start embedding (what the store does not already have), screening and finding the terms
        of these documents' chunks, BATCH_CHUNKS at a time, then queue them for writing."""
        assert self._executor is not None
        kb = self._kb()
        jobs = []
        for doc, chunks in documents:
            for c in chunks:
                text = c.embed_text(doc.title)
                jobs.append(ChunkJob(doc.title, c.headings, c.text, text, c.content_hash(doc.title), True))
        if not self._index_dropped and self._submitted + len(jobs) >= REINDEX_AFTER:
            self.store.drop_index(kb)
            self._index_dropped = True
        self._submitted += len(jobs)
        reused = self.store.vectors_by_hash(kb, sorted({j.content_hash for j in jobs}))
        for job in jobs:
            job.embed = job.content_hash not in reused
        group = _Group(documents, jobs, reused)
        self._queue.append(group)
        for start in range(0, len(jobs), BATCH_CHUNKS):
            batch = jobs[start : start + BATCH_CHUNKS]
            at = position(min(start + len(batch), len(jobs)) / len(jobs)) if position else -1
            group.batches.append((self._executor.embed(batch), at))
            self._in_flight += 1
            self._advance()  # back-pressure: wait for the oldest batches while too many are in flight
        group.sealed = True

    def _advance(self, until_empty: bool = False) -> None:
        """Take finished batches, write finished groups and report progress, all in order: waits
        for the oldest batch while more than the executor's depth are in flight (at the end, for
        every one). A group is written once all its batches are in."""
        assert self._executor is not None
        while self._queue:
            head = self._queue[0]
            if isinstance(head, int):
                self._queue.popleft()
                self._report_progress(head)
                continue
            if not until_empty and self._in_flight <= self._executor.depth:
                return
            if head.batches:
                pending, at = head.batches.popleft()
                head.results.append(pending.result())
                self._in_flight -= 1
                self._report_progress(at)
                continue
            if not head.sealed:  # a large document whose later batches are still being started
                return
            self._queue.popleft()
            self._write(head)

    def _report_progress(self, done: int) -> None:
        if self._progress and done >= 0:
            self._progress(min(done, self._total), self._total)

    def _write(self, group: _Group) -> None:
        results = group.results
        vectors = dict(group.reused)
        flags: list[list[str]] = []
        terms: list[tuple[str, int]] = []
        for result in results:
            vectors.update(result.vectors)
            flags.extend(result.flags)
            terms.extend(result.terms)
        embedded = sum(r.embedded for r in results)
        self.report.chunks_embedded += embedded
        self.report.chunks_reused += len(group.jobs) - embedded
        self.report.chunks_flagged += sum(1 for f in flags if f)
        rows, offset = [], 0
        for doc, chunks in group.documents:
            span = slice(offset, offset + len(chunks))
            offset += len(chunks)
            rows.append(DocumentRows(doc, chunks, [vectors[j.content_hash] for j in group.jobs[span]],
                                     flags[span], terms[span]))
        kb = self._kb()
        try:
            self.store.save_documents(kb, rows)
        except UnstorableDocument as exc:
            if len(rows) == 1:
                self.report.failures.append((rows[0].doc.origin, str(exc)))
                return
            for row in rows:  # find the document PostgreSQL refuses; the others land
                try:
                    self.store.save_documents(kb, [row])
                except UnstorableDocument as one:
                    self.report.failures.append((row.doc.origin, str(one)))

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
