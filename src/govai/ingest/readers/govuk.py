"""GOV.UK content as served by the Content API: one item (.json) or JSON Lines of items."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from govai.errors import IngestError
from govai.ingest.document import Document, Section
from govai.ingest.markdown import sections_from_markdown
from govai.ingest.sources import source_readers
from govai.jsonl import read_jsonl

GOVUK = "https://www.gov.uk"


def _looks_like_item(item: Any) -> bool:
    return isinstance(item, dict) and "base_path" in item and "title" in item


def _html_sections(html: str) -> list[Section]:
    from govai.ingest.readers.files import sections_from_html

    return sections_from_html(html)


def _sections(item: dict[str, Any]) -> list[Section]:
    title = item["title"]
    if item.get("body_markdown"):
        return sections_from_markdown(item["body_markdown"], title=title)
    details = item.get("details") or {}
    if details.get("parts"):  # multi-part guide: each part is a top-level heading
        sections: list[Section] = []
        for part in details["parts"]:
            for section in _html_sections(part.get("body") or ""):
                section.headings = [part.get("title", "")] + section.headings
                section.anchor = section.anchor or part.get("slug")
                sections.append(section)
        return sections
    if details.get("body"):
        return _html_sections(details["body"])
    return []


def document_from_item(item: dict[str, Any], origin: str) -> Document:
    base_path = item["base_path"]
    sections = _sections(item)
    description = (item.get("description") or "").strip()
    if description:  # the summary is often the best answer to "what is X"
        sections.insert(0, Section(headings=[], anchor=None, text=description))
    return Document(
        source_id=base_path,
        title=item["title"],
        url=item.get("url") or GOVUK + base_path,
        kind="govuk",
        origin=origin,
        sections=sections,
        metadata={
            k: item[k]
            for k in ("document_type", "organisations", "public_updated_at", "first_published_at")
            if item.get(k)
        },
    )


class GovukReader:
    name = "govuk"
    priority = 50

    def matches(self, path: Path) -> bool:
        if path.suffix == ".jsonl":
            return True
        if path.suffix != ".json":
            return False
        try:
            with path.open(encoding="utf-8", errors="replace") as f:
                head = f.read(65536)
        except OSError:
            return False
        return '"base_path"' in head

    def read(self, path: Path) -> Iterator[Document]:
        origin = str(path.resolve())
        if path.suffix == ".json":
            try:
                item = json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise IngestError(f"{path.name}: not valid JSON ({exc})") from None
            if not _looks_like_item(item):
                raise IngestError(f"{path.name}: not a GOV.UK content item (no base_path/title)")
            yield document_from_item(item, origin)
            return
        for number, item in read_jsonl(path, IngestError):
            if not _looks_like_item(item):
                raise IngestError(f"{path}:{number}: not a GOV.UK content item (no base_path/title)")
            yield document_from_item(item, origin)


source_readers.add("govuk", GovukReader())
