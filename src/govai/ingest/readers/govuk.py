"""GOV.UK content as served by the Content API: one item (.json) or JSON Lines of items."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from govai.errors import IngestError
from govai.ingest.document import Document, Section
from govai.ingest.markdown import clean_markdown, sections_from_markdown, slugify
from govai.ingest.sources import source_readers
from govai.jsonl import read_jsonl

GOVUK = "https://www.gov.uk"


def _looks_like_item(item: Any) -> bool:
    return isinstance(item, dict) and "base_path" in item and "title" in item


def _html_sections(html: str) -> list[Section]:
    from govai.ingest.readers.files import sections_from_html

    return sections_from_html(html)


def _part_link(page: str, part_slug: str, first: bool, anchor: str | None) -> str | None:
    """A guide part's own page: /national-minimum-wage/who-gets-the-minimum-wage. The first
    part is the guide's own address, so it needs no link of its own."""
    if first:
        return None
    link = f"{page}/{part_slug}"
    return f"{link}#{anchor}" if anchor and anchor != part_slug else link


# A guide flattened to Markdown (the shared corpus's body_markdown) writes each part's title
# as a level-2 heading with a trailing space; headings inside a part have none.
_PART_TITLE = re.compile(r"^## (.+?) +$", re.M)


def _guide_part_links(markdown: str, sections: list[Section], page: str) -> None:
    """Give each section of a flattened guide the address of the part it is in. Without
    part markers the parts are unknown, and sections keep the guide's address plus anchor."""
    titles = {slugify(clean_markdown(t)) for t in _PART_TITLE.findall(markdown)}
    part: str | None = None
    first: str | None = None
    for section in sections:
        heading = slugify(section.headings[0]) if section.headings else None
        if heading in titles:
            part = heading
            first = first or part
        if part is not None:
            section.link = _part_link(page, part, part == first, section.anchor)


def _sections(item: dict[str, Any], page: str) -> list[Section]:
    title = item["title"]
    guide = item.get("document_type") == "guide"
    if item.get("body_markdown"):
        sections = sections_from_markdown(item["body_markdown"], title=title)
        if guide:
            _guide_part_links(item["body_markdown"], sections, page)
        return sections
    details = item.get("details") or {}
    if details.get("parts"):  # multi-part guide: each part is a top-level heading and its own page
        sections = []
        for number, part in enumerate(details["parts"]):
            slug = part.get("slug") or slugify(part.get("title", ""))
            for section in _html_sections(part.get("body") or ""):
                section.headings = [part.get("title", "")] + section.headings
                section.anchor = section.anchor or slug
                section.link = _part_link(page, slug, number == 0, section.anchor)
                sections.append(section)
        return sections
    if details.get("body"):
        return _html_sections(details["body"])
    return []


def document_from_item(item: dict[str, Any], origin: str) -> Document:
    base_path = item["base_path"]
    url = item.get("url") or GOVUK + base_path
    sections = _sections(item, url)
    description = (item.get("description") or "").strip()
    if description:  # the summary is often the best answer to "what is X"
        sections.insert(0, Section(headings=[], anchor=None, text=description))
    return Document(
        source_id=base_path,
        title=item["title"],
        url=url,
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
