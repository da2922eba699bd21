"""What the file readers share: the size limit, the FileReader base class that turns
parser failures into IngestError, citation defaults, and layout heuristics used by
more than one format.

A file that cannot be read raises IngestError naming the file and the reason, so
a batch can report it and go on. Guards: a size limit (``GOVAI_INGEST_MAX_MB``,
default 50 MB), binary junk is refused (see ``cleaning``), and a broken text
encoding is decoded with replacement characters and reported in
``Document.metadata["warnings"]``.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from govai.errors import IngestError
from govai.ingest.document import Document, Section

log = logging.getLogger(__name__)

DEFAULT_MAX_MB = 50.0
MAX_MB_ENV = "GOVAI_INGEST_MAX_MB"
GOVUK_HOSTS = {"www.gov.uk", "gov.uk"}


def max_file_bytes() -> int:
    """The per-file size limit, from ``GOVAI_INGEST_MAX_MB`` (default 50 MB)."""
    raw = os.environ.get(MAX_MB_ENV, "").strip()
    try:
        megabytes = float(raw) if raw else DEFAULT_MAX_MB
    except ValueError:
        raise IngestError(f"{MAX_MB_ENV}={raw!r} is not a number of megabytes; set it to e.g. 50") from None
    return int(megabytes * 1024 * 1024)


# ---------------------------------------------------------------- layout heuristics (PDF and plain text)

BULLETS = ("•", "●", "▪", "◦", "‣", "∙", "·", "-", "–", "*")
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}")  # table-of-contents lines: "Appeals . . . . 12"


def heading_like(text: str) -> bool:
    """Could this line be a heading: short, has letters, no closing punctuation, not a contents line."""
    return (
        0 < len(text) <= 120
        and any(c.isalpha() for c in text)
        and not text.endswith((".", ",", ";"))
        and not _DOT_LEADER.search(text)
    )



def title_from_stem(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def source_id_for_url(url: str) -> str:
    """GOV.UK pages are cited by base path (as the Content API does); others by URL."""
    parts = urlsplit(url)
    if parts.netloc.lower() in GOVUK_HOSTS and parts.path.startswith("/"):
        return parts.path.rstrip("/") or "/"
    return url


class FileReader:
    """Shared plumbing: suffix matching, size guard, and turning parser failures
    into IngestError. Subclasses implement ``parse(path, data, label) -> Document``."""

    name: str = ""
    kind: str = ""
    suffixes: frozenset[str] = frozenset()
    priority: int = 10

    def __init__(self, max_bytes: int | None = None) -> None:
        self._max_bytes = max_bytes

    @property
    def max_bytes(self) -> int:
        return self._max_bytes if self._max_bytes is not None else max_file_bytes()

    def matches(self, path: Path) -> bool:
        return path.suffix.lower() in self.suffixes

    def read(self, path: Path) -> Iterator[Document]:
        yield self.read_document(path)

    def read_document(self, path: Path) -> Document:
        label = str(path)
        data = self._load(path, label)
        if not data.strip():
            raise IngestError(f"{label}: the file is empty; add content or remove it")
        try:
            doc = self.parse(path.resolve(), data, label)
        except IngestError:
            raise
        except Exception as exc:  # parsers raise many types on corrupt input; report, don't crash
            reason = str(exc).strip() or type(exc).__name__
            raise IngestError(
                f"{label}: cannot read this {self.kind} file ({reason}); check that it opens, or re-export it"
            ) from exc
        if not any(s.text.strip() for s in doc.sections):
            raise IngestError(f"{label}: no text found in this {self.kind} file")
        for warning in doc.metadata.get("warnings", []):
            log.warning("%s", warning)
        return doc

    def _load(self, path: Path, label: str) -> bytes:
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                raise IngestError(
                    f"{label}: {size / 1048576:.1f} MB is over the {self.max_bytes / 1048576:.0f} MB limit; "
                    f"split the file or raise {MAX_MB_ENV}"
                )
            return path.read_bytes()
        except OSError as exc:
            raise IngestError(f"{label}: cannot open the file ({exc.strerror or exc})") from exc

    def parse(self, path: Path, data: bytes, label: str) -> Document:
        raise NotImplementedError

    def document(
        self,
        path: Path,
        *,
        title: str,
        sections: list[Section],
        url: str | None = None,
        source_id: str | None = None,
        warnings: Iterable[str] = (),
        metadata: dict[str, Any] | None = None,
    ) -> Document:
        meta = dict(metadata or {})
        if warnings := list(warnings):
            meta["warnings"] = warnings
        return Document(
            source_id=source_id or (source_id_for_url(url) if url else str(path)),
            title=title,
            url=url or path.as_uri(),
            kind=self.kind,
            origin=str(path),
            sections=sections,
            metadata=meta,
        )

