"""HTML pages, and HTML fragments such as GOV.UK Content API bodies, split at h1-h6."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from govai.errors import IngestError
from govai.ingest.document import Document, Section
from govai.ingest.markdown import slugify
from govai.ingest.readers.base import FileReader, title_from_stem
from govai.ingest.readers.cleaning import looks_binary, squash, tidy_block
from govai.ingest.sources import source_readers

# Page furniture, code and forms; ``aside`` holds related links and sidebars, not guidance.
_DROP_TAGS = {
    "script", "style", "nav", "footer", "aside", "noscript", "template", "svg", "iframe", "form", "button", "head",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "blockquote", "ul", "ol", "dl",
    "dt", "dd", "figure", "figcaption", "address", "details", "summary", "hr", "caption", "body",
}  # fmt: skip


class _HtmlSections:
    """Walks parsed HTML in document order, splitting at h1-h6."""

    def __init__(self, title: str | None) -> None:
        self.title = (title or "").strip().lower()
        self.sections: list[Section] = []
        self.trail: list[tuple[int, str, str]] = []  # (level, heading, anchor)
        self.blocks: list[str] = []
        self.inline: list[str] = []

    def end_block(self) -> None:
        text = squash("".join(self.inline))
        self.inline.clear()
        if text:
            self.blocks.append(text)

    def end_section(self) -> None:
        self.end_block()
        text = "\n\n".join(self.blocks)
        self.blocks.clear()
        if text:
            headings = [h for _, h, _ in self.trail]
            anchor = self.trail[-1][2] if self.trail else None
            self.sections.append(Section(headings=headings, anchor=anchor, text=text))

    def heading(self, tag: Any) -> None:
        text = squash(tag.get_text(" "))
        if not text:
            return
        self.end_section()
        level = int(tag.name[1])
        if level == 1 and text.lower() == self.title:
            return
        while self.trail and self.trail[-1][0] >= level:
            self.trail.pop()
        self.trail.append((level, text, _heading_anchor(tag, text)))

    def walk(self, root: Any) -> None:
        """Visit the tree in document order; a stack, not recursion, so deeply
        nested markup cannot exhaust Python's recursion limit."""
        from bs4 import NavigableString, Tag

        stack: list[tuple[Any, bool]] = [(c, False) for c in reversed(list(root.children))]
        while stack:
            node, closing = stack.pop()
            if closing:
                self.end_block()
            elif isinstance(node, Tag):
                stack.extend(self.open(node))
            elif type(node) is NavigableString:  # not comments, CDATA or doctypes
                self.inline.append(str(node))

    def open(self, tag: Any) -> list[tuple[Any, bool]]:
        """Handle a start tag; return what to visit next (pushed in reverse order)."""
        name = tag.name
        if name in _DROP_TAGS or _hidden(tag):
            return []
        if name in _HEADINGS:
            self.heading(tag)
            return []
        if name in {"br", "pre", "table"}:
            self.end_block()
            if name == "pre" and (text := tidy_block(tag.get_text())):
                self.blocks.append(text)
            elif name == "table":
                self.blocks.extend(_table_rows(tag))
            return []
        children = [(c, False) for c in reversed(list(tag.children))]
        if name == "li":
            self.end_block()
            self.inline.append("- ")
            return [(tag, True), *children]
        if name in _BLOCKS:
            self.end_block()
            return [(tag, True), *children]
        return children


def _hidden(tag: Any) -> bool:
    attrs = tag.attrs or {}
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    if attrs.get("role") in {"navigation", "banner", "contentinfo", "complementary"}:
        return True
    style = str(attrs.get("style", "")).replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _heading_anchor(tag: Any, text: str) -> str:
    if tag.get("id"):
        return str(tag["id"])
    inner = tag.find(attrs={"id": True}) or tag.find("a", attrs={"name": True})
    if inner is not None:
        return str(inner.get("id") or inner.get("name"))
    return slugify(text)


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.find_all("tr"):
        cells = [squash(c.get_text(" ")) for c in row.find_all(["th", "td"])]
        cells = [c for c in cells if c]
        if cells:
            rows.append(" | ".join(cells))
    caption = table.find("caption")
    if caption is not None and (text := squash(caption.get_text(" "))):
        rows.insert(0, text)
    return rows


def _parse_html(markup: str | bytes) -> Any:
    from bs4 import BeautifulSoup

    return BeautifulSoup(markup, "lxml")


def _content_root(soup: Any) -> Any:
    """The main content when the page marks it, so site chrome is left out."""
    return soup.find("main") or soup.find(attrs={"role": "main"}) or soup.body or soup


def sections_from_html(html: str, *, title: str | None = None) -> list[Section]:
    """HTML (a whole page or a fragment such as a GOV.UK ``details.body``) to
    sections split at h1-h6, with heading trails and anchors from ids or slugs.
    An h1 equal to ``title`` is not repeated in the trail."""
    walker = _HtmlSections(title)
    walker.walk(_content_root(_parse_html(html)))
    walker.end_section()
    return walker.sections


class HtmlReader(FileReader):
    """HTML pages. Title from the first <h1>, else <title>. A canonical link gives
    the URL (and, for GOV.UK pages, the base path as the source id)."""

    name = kind = "html"
    suffixes = frozenset({".html", ".htm", ".xhtml"})

    def parse(self, path: Path, data: bytes, label: str) -> Document:
        if looks_binary(data) and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise IngestError(f"{label}: looks like a binary file, not HTML; check the file type")
        soup = _parse_html(data)
        warnings = []
        if getattr(soup, "contains_replacement_characters", False):
            warnings.append(f"{label}: broken characters in the page encoding were replaced with �")
        root = _content_root(soup)
        h1 = root.find("h1") or soup.find("h1")
        head_title = soup.title.get_text(" ") if soup.title else ""
        title = squash(h1.get_text(" ")) if h1 else ""
        title = title or squash(head_title) or title_from_stem(path)
        canonical = soup.find("link", rel="canonical", href=True)
        url = str(canonical["href"]).strip() if canonical and str(canonical["href"]).startswith("http") else None
        walker = _HtmlSections(title)
        walker.walk(root)
        walker.end_section()
        return self.document(path, title=title, sections=walker.sections, url=url, warnings=warnings)


source_readers.add(HtmlReader.name, HtmlReader())
