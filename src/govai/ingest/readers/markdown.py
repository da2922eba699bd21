"""Markdown files, with optional YAML front matter giving the citation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from govai.errors import IngestError
from govai.ingest.document import Document
from govai.ingest.markdown import clean_markdown, sections_from_markdown
from govai.ingest.readers.base import FileReader, title_from_stem
from govai.ingest.readers.cleaning import clean_text, decode_text, squash
from govai.ingest.sources import source_readers

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def split_front_matter(text: str, label: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (between ``---`` lines at the top) and the body after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        raise IngestError(f"{label}: the front matter is not valid YAML ({problem}); fix it") from None
    if not isinstance(meta, dict):
        raise IngestError(f"{label}: the front matter must be a YAML mapping such as 'title: ...'")
    return meta, text[match.end() :]


class MarkdownReader(FileReader):
    """Markdown, with optional front matter: ``title``, ``url`` and ``source_id``
    (e.g. a GOV.UK base path) give the citation; other keys become metadata."""

    name = kind = "markdown"
    suffixes = frozenset({".md", ".markdown"})

    def parse(self, path: Path, data: bytes, label: str) -> Document:
        decoded = decode_text(data, label)
        meta, body = split_front_matter(clean_text(decoded.text), label)
        heading = _H1.search(body)
        title = squash(str(meta.get("title") or "")) or (
            clean_markdown(heading.group(1)) if heading else title_from_stem(path)
        )
        url = str(meta["url"]).strip() if meta.get("url") else None
        source_id = str(meta["source_id"]).strip() if meta.get("source_id") else None
        extra = {k: v for k, v in meta.items() if k not in {"title", "url", "source_id"}}
        return self.document(
            path,
            title=title,
            sections=sections_from_markdown(body, title=title),
            url=url,
            source_id=source_id,
            warnings=decoded.warnings,
            metadata=_json_safe(extra),
        )


def _json_safe(value: Any) -> Any:
    """YAML dates and other objects become strings so metadata stores as JSON."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


source_readers.add(MarkdownReader.name, MarkdownReader())
