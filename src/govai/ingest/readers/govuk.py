"""GOV.UK content as served by the Content API: one item (.json) or JSON Lines of items."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from govai.errors import IngestError
from govai.ingest.document import Document, Section, Skipped
from govai.ingest.markdown import clean_markdown, sections_from_markdown, slugify
from govai.ingest.sources import source_readers
from govai.jsonl import BadLine, iter_jsonl, parse_json, replace_in_strings

GOVUK = "https://www.gov.uk"


_NUL = re.compile("\x00")
_TEXT_FIELDS = ("url", "description", "body_markdown", "document_type")
_PART_FIELDS = ("title", "slug", "body")


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def item_problem(item: Any) -> str | None:
    """Why a parsed JSON value cannot be read as a GOV.UK content item, or None if it can."""
    if not isinstance(item, dict) or "base_path" not in item or "title" not in item:
        return "not a GOV.UK content item (no base_path/title)"
    base_path, title = item["base_path"], item["title"]
    if not isinstance(base_path, str) or not base_path.startswith("/"):
        return f"base_path must be a path such as \"/child-benefit\", not {_json_type(base_path)}"
    if not isinstance(title, str) or not title.strip():
        return f"title must be non-empty text, not {'blank' if isinstance(title, str) else _json_type(title)}"
    for key in _TEXT_FIELDS:
        if item.get(key) is not None and not isinstance(item[key], str):
            return f"{key} must be text, not {_json_type(item[key])}"
    details = item.get("details")
    if details is None:
        return None
    if not isinstance(details, dict):
        return f"details must be an object, not {_json_type(details)}"
    if details.get("body") is not None and not isinstance(details["body"], str):
        return f"details.body must be text, not {_json_type(details['body'])}"
    parts = details.get("parts")
    if parts is None:
        return None
    if not isinstance(parts, list):
        return f"details.parts must be a list, not {_json_type(parts)}"
    for number, part in enumerate(parts, 1):
        if not isinstance(part, dict):
            return f"details.parts item {number} must be an object, not {_json_type(part)}"
        for key in _PART_FIELDS:
            if part.get(key) is not None and not isinstance(part[key], str):
                return f"details.parts item {number}: {key} must be text, not {_json_type(part[key])}"
    return None


def _html_sections(html: str) -> list[Section]:
    from govai.ingest.readers.html import sections_from_html

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

    def read(self, path: Path) -> Iterator[Document | Skipped]:
        origin = str(path.resolve())
        if path.suffix == ".json":
            try:
                item, warnings = parse_json(path.read_text(encoding="utf-8"), path.name)
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
                raise IngestError(f"{path.name}: not valid JSON ({exc})") from None
            if problem := item_problem(item):
                raise IngestError(f"{path.name}: {problem}")
            yield _document(item, origin, path.name, warnings)
            return
        # One bad line loses only itself: the reason is reported and every good line still loads.
        for line in iter_jsonl(path, IngestError):
            if isinstance(line, BadLine):
                yield Skipped(reason=line.reason)
            elif problem := item_problem(line.value):
                yield Skipped(reason=f"{path}:{line.number}: {problem}")
            else:
                try:
                    doc = _document(line.value, origin, f"{path}:{line.number}", list(line.warnings))
                except RecursionError:
                    yield Skipped(reason=f"{path}:{line.number}: the item is nested too deeply to read")
                    continue
                yield doc


def _document(item: dict[str, Any], origin: str, label: str, warnings: list[str]) -> Document:
    """The document for a checked item. PostgreSQL text cannot hold NUL, so NULs
    (only ever from a \\u0000 escape) are dropped."""
    item, nuls = replace_in_strings(item, _NUL, "")
    doc = document_from_item(item, origin)
    if nuls:
        warnings = [*warnings, f"{label}: {nuls} NUL character(s) removed"]
    if warnings:
        doc.metadata["warnings"] = warnings
    return doc


source_readers.add("govuk", GovukReader())
