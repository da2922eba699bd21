"""The registry of ingest sources. Each reader claims the inputs it understands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from govai.errors import UnsupportedSource
from govai.ingest.document import Document, Skipped
from govai.registry import Registry


class SourceReader(Protocol):
    name: str
    priority: int  # higher is asked first (a specific format before a generic one)

    def matches(self, path: Path) -> bool:
        """True if this reader understands ``path`` (a file)."""

    def read(self, path: Path) -> Iterator[Document | Skipped]:
        """Yield the documents in ``path``, and a Skipped for each part of it that cannot
        be read while the rest can; raise IngestError if the file as a whole is corrupt."""


source_readers: Registry[SourceReader] = Registry("ingest source")


def reader_for(path: Path) -> SourceReader:
    import govai.ingest.readers  # noqa: F401  (registers the readers)

    readers = sorted((r for _, r in source_readers.items()), key=lambda r: -r.priority)
    for reader in readers:
        if reader.matches(path):
            return reader
    raise UnsupportedSource(f"{path}: no ingest source reads {path.suffix or 'this kind of'} files")
