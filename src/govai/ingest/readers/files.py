"""Readers for files a public body keeps its guidance in: Markdown, HTML, PDF,
DOCX and plain text. Each turns one file into one heading-sectioned Document.

A file that cannot be read raises IngestError naming the file and the reason, so
a batch can report it and go on. Guards: a size limit (``GOVAI_INGEST_MAX_MB``,
default 50 MB), binary junk is refused, and a broken text encoding is decoded
with replacement characters and reported in ``Document.metadata["warnings"]``.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from govai.errors import IngestError
from govai.ingest.document import Document, Section
from govai.ingest.markdown import clean_markdown, sections_from_markdown, slugify
from govai.ingest.sources import source_readers

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


# ---------------------------------------------------------------- text hygiene

# Control characters (but tab and newline), invisible format characters (soft
# hyphen, zero-width, bidi overrides, BOM, Unicode tag characters: a way to hide
# instructions in a page), lone surrogates and private-use characters.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff\U000e0000-\U000e007f]"
)
_INLINE_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")


def clean_text(text: str) -> str:
    """Normalise newlines, drop hidden characters, compose to NFC. Layout (newlines,
    blank lines) is kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")  # form feed: page break
    text = _HIDDEN.sub("", text)
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """One line: whitespace runs become one space."""
    return re.sub(r"\s+", " ", clean_text(text)).strip()


def tidy_block(text: str) -> str:
    """Trim each line, collapse inner spaces, keep at most one blank line in a row."""
    lines = [_INLINE_SPACE.sub(" ", line).strip() for line in clean_text(text).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


@dataclass
class Decoded:
    text: str
    warnings: list[str] = field(default_factory=list)


_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) > 0.05


def decode_text(data: bytes, name: str) -> Decoded:
    """Bytes of a text file to str. UTF-8 (with or without BOM) and UTF-16 with a BOM
    decode exactly; text that is mostly ASCII with a few Windows-1252 bytes (a £
    saved by Word) decodes as Windows-1252; anything else decodes as UTF-8 with
    replacement characters, and the loss is reported."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16", errors="replace"))
    if _looks_binary(data):
        raise IngestError(f"{name}: looks like a binary file, not text; check the file type or re-export it")
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    high = [b for b in data if b >= 0x80]
    if len(high) <= len(data) * 0.1 and not _CP1252_UNDEFINED.intersection(high):
        return Decoded(data.decode("cp1252"), [f"{name}: not UTF-8; read as Windows-1252"])
    text = data.decode("utf-8", errors="replace")
    lost = text.count("\ufffd")
    return Decoded(text, [f"{name}: not valid UTF-8; {lost} undecodable byte sequence(s) replaced with �"])


# ---------------------------------------------------------------- base reader


def _title_from_stem(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def _source_id_for_url(url: str) -> str:
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
            source_id=source_id or (_source_id_for_url(url) if url else str(path)),
            title=title,
            url=url or path.as_uri(),
            kind=self.kind,
            origin=str(path),
            sections=sections,
            metadata=meta,
        )


# ---------------------------------------------------------------- Markdown

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
            clean_markdown(heading.group(1)) if heading else _title_from_stem(path)
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


# ---------------------------------------------------------------- HTML

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
        if _looks_binary(data) and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise IngestError(f"{label}: looks like a binary file, not HTML; check the file type")
        soup = _parse_html(data)
        warnings = []
        if getattr(soup, "contains_replacement_characters", False):
            warnings.append(f"{label}: broken characters in the page encoding were replaced with �")
        root = _content_root(soup)
        h1 = root.find("h1") or soup.find("h1")
        head_title = soup.title.get_text(" ") if soup.title else ""
        title = squash(h1.get_text(" ")) if h1 else ""
        title = title or squash(head_title) or _title_from_stem(path)
        canonical = soup.find("link", rel="canonical", href=True)
        url = str(canonical["href"]).strip() if canonical and str(canonical["href"]).startswith("http") else None
        walker = _HtmlSections(title)
        walker.walk(root)
        walker.end_section()
        return self.document(path, title=title, sections=walker.sections, url=url, warnings=warnings)


# ---------------------------------------------------------------- PDF

_BULLETS = ("•", "●", "▪", "◦", "‣", "∙", "·", "-", "–", "*")
_SENTENCE_END = (".", "!", "?", ":", ";")


@dataclass
class _Line:
    text: str
    size: float


def _effective_size(font_size: float, cm: list[float], tm: list[float]) -> float:
    """Rendered font size: many PDFs set size 1 and scale with the text matrix."""
    scale = abs(tm[3]) if tm and tm[3] else 1.0
    ctm = abs(cm[3]) if cm and cm[3] else 1.0
    return round(float(font_size) * scale * ctm, 1)


def _page_lines(page: Any) -> list[_Line]:
    """Text lines on a page with the largest font size seen on each."""
    lines: list[_Line] = []
    current: list[str] = []
    size = 0.0

    def end_line() -> None:
        nonlocal size
        text = squash("".join(current))
        if text:
            lines.append(_Line(text, size))
        current.clear()
        size = 0.0

    def visit(text: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        nonlocal size
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                end_line()
            if part.strip():
                current.append(part)
                size = max(size, _effective_size(font_size, cm, tm))

    page.extract_text(visitor_text=visit)
    end_line()
    return lines


def _body_size(lines: list[_Line]) -> float:
    """The font size that carries the most characters: the body text."""
    chars: Counter[float] = Counter()
    for line in lines:
        chars[line.size] += len(line.text)
    return chars.most_common(1)[0][0] if chars else 0.0


def _heading_sizes(lines: list[_Line], body: float) -> dict[float, int]:
    """Map of font size to heading level for sizes clearly above body text."""
    candidates = sorted({ln.size for ln in lines if ln.size >= body * 1.15 and _heading_like(ln.text)}, reverse=True)
    return {size: level for level, size in enumerate(candidates[:4], 1)}


_DOT_LEADER = re.compile(r"(?:\.\s?){4,}")  # table-of-contents lines: "Appeals . . . . 12"


def _heading_like(text: str) -> bool:
    return (
        0 < len(text) <= 120
        and any(c.isalpha() for c in text)
        and not text.endswith((".", ",", ";"))
        and not _DOT_LEADER.search(text)
    )


_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?(?:\d{1,4}|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))(?:\s+(?:of|/)\s+\d{1,4})?$", re.I
)


def _drop_page_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Remove page numbers and running headers/footers (the same short line at the
    top or bottom of most pages), which would otherwise split sentences and pad chunks.
    Only lines at the top or bottom of a page are candidates, so numbers in tables stay."""

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.lower())

    def edge(lines: list[_Line], i: int) -> bool:
        depth = 2 if len(lines) >= 6 else 1
        return (i < depth or i >= len(lines) - depth) and len(lines[i].text) <= 80

    edges: Counter[str] = Counter()
    for lines in pages:
        edges.update({key(ln.text) for i, ln in enumerate(lines) if edge(lines, i)})
    repeated = {k for k, n in edges.items() if len(pages) >= 3 and n >= max(3, len(pages) // 2)}
    return [
        [
            ln
            for i, ln in enumerate(lines)
            if not (edge(lines, i) and (_PAGE_NUMBER.match(ln.text) or key(ln.text) in repeated))
        ]
        for lines in pages
    ]


def _join_pdf_lines(lines: list[str]) -> str:
    """Rejoin lines broken by page layout; keep bullets and sentence ends as breaks."""
    out: list[str] = []
    for line in lines:
        bullet = line.startswith(_BULLETS) and len(line) > 1 and line[1] == " "
        if bullet:
            line = "- " + line[2:].strip()
        if not out or bullet:
            out.append(line)
        elif out[-1].endswith("-") and len(out[-1]) > 1 and out[-1][-2].isalpha() and line[:1].islower():
            out[-1] = out[-1][:-1] + line  # re-join a hyphenated word
        elif out[-1].endswith(_SENTENCE_END) and not out[-1].startswith("- "):
            out.append(line)
        else:
            out[-1] += " " + line
    return "\n\n".join(out)


def _outline_pages(reader: Any) -> list[tuple[int, list[str]]]:
    """(first page index, heading trail) for each bookmark, in page order."""
    entries: list[tuple[int, list[str]]] = []

    def visit(items: Any, trail: list[str]) -> None:
        last: list[str] = trail
        for item in items:
            if isinstance(item, list):
                visit(item, last)
                continue
            title = squash(str(getattr(item, "title", "") or ""))
            try:
                page = reader.get_destination_page_number(item)
            except Exception:  # a broken bookmark should not lose the document
                continue
            if title and page is not None and page >= 0:
                last = [*trail, title]
                entries.append((page, last))

    try:
        visit(reader.outline, [])
    except Exception:
        return []
    return sorted(entries, key=lambda e: e[0])


def _pdf_title(reader: Any, first_page: list[_Line], body: float, path: Path) -> str:
    meta_title = ""
    try:
        meta_title = squash(str((reader.metadata or {}).get("/Title") or ""))
    except Exception:  # unreadable metadata is not worth failing the file for
        pass
    meta_title = re.sub(r"^Microsoft (Word|PowerPoint) - ", "", meta_title)
    if meta_title and not re.fullmatch(r"(untitled|document\d*|.*\.(docx?|pdf|odt))", meta_title, re.I):
        return meta_title
    # Otherwise the largest heading-like line on the first page (before running
    # headers are removed: on page 1 the running header is often the title).
    candidates = [ln for ln in first_page if _heading_like(ln.text) and ln.size >= body * 1.15]
    if candidates:
        return max(candidates, key=lambda ln: ln.size).text
    return _title_from_stem(path)


class PdfReader(FileReader):
    """PDF text (not scanned images). Sections break at each page, anchored
    ``page=N``, and at headings found by font size; without visible headings the
    bookmarks give each page its heading trail."""

    name = kind = "pdf"
    suffixes = frozenset({".pdf"})

    def parse(self, path: Path, data: bytes, label: str) -> Document:
        import io

        from pypdf import PdfReader as Pdf

        if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
            raise IngestError(f"{label}: not a PDF (no %PDF header); check the file type")
        reader = Pdf(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(f"{label}: the PDF is password-protected; save an unprotected copy")
        pages: list[list[_Line]] = []
        warnings: list[str] = []
        for number, page in enumerate(reader.pages, 1):
            try:
                pages.append(_page_lines(page))
            except Exception as exc:  # one damaged page should not lose the rest
                warnings.append(f"{label}: page {number} could not be read ({type(exc).__name__}); skipped")
                pages.append([])
        first_page = pages[0]
        pages = _drop_page_furniture(pages)
        if not any(pages):
            raise IngestError(f"{label}: the PDF has no text layer (it may be a scanned image); run OCR on it first")
        body = _body_size([ln for page in pages for ln in page])
        levels = _heading_sizes([ln for page in pages for ln in page], body)
        title = _pdf_title(reader, first_page, body, path)
        sections = _pdf_sections(pages, levels, title, _outline_pages(reader) if not levels else [])
        return self.document(path, title=title, sections=sections, warnings=warnings, metadata={"pages": len(pages)})


def _pdf_sections(
    pages: list[list[_Line]], levels: dict[float, int], title: str, outline: list[tuple[int, list[str]]]
) -> list[Section]:
    sections: list[Section] = []
    trail: list[tuple[int, str]] = []
    buffer: list[str] = []

    def flush(page_number: int) -> None:
        text = _join_pdf_lines(buffer)
        buffer.clear()
        if text:
            sections.append(Section(headings=[h for _, h in trail], anchor=f"page={page_number}", text=text))

    for index, lines in enumerate(pages):
        number = index + 1
        if outline:
            marks = [t for p, t in outline if p <= index]
            trail = [(i, h) for i, h in enumerate(marks[-1], 1)] if marks else []
        for line in lines:
            level = levels.get(line.size)
            if level is None or not _heading_like(line.text):
                buffer.append(line.text)
                continue
            flush(number)
            if line.text.strip().lower() == title.strip().lower():
                continue
            while trail and trail[-1][0] >= level:
                trail.pop()
            trail.append((level, line.text))
        flush(number)
    return sections


# ---------------------------------------------------------------- DOCX


def _docx_heading_level(paragraph: Any) -> int | None:
    """Heading level from the style (or the style it is based on): 'Heading 2' -> 2."""
    style = paragraph.style
    for _ in range(5):
        if style is None:
            return None
        match = re.fullmatch(r"heading\s*(\d)", (style.name or "").strip().lower())
        if match:
            return int(match.group(1))
        style = style.base_style
    return None


def _docx_table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = squash(cell.text)
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


class DocxReader(FileReader):
    """Word documents. Sections break at Heading 1-9 styles; the title is the
    document's Title property, else its Title-style paragraph, else the file name."""

    name = kind = "docx"
    suffixes = frozenset({".docx"})

    def parse(self, path: Path, data: bytes, label: str) -> Document:
        import io

        import docx
        from docx.table import Table

        if not data.startswith(b"PK"):
            raise IngestError(f"{label}: not a DOCX file (it is not a zip package); save it as .docx")
        document = docx.Document(io.BytesIO(data))
        title = squash(document.core_properties.title or "")
        sections: list[Section] = []
        trail: list[tuple[int, str]] = []
        buffer: list[str] = []

        def flush() -> None:
            text = "\n\n".join(buffer)
            buffer.clear()
            if text:
                headings = [h for _, h in trail]
                sections.append(
                    Section(headings=headings, anchor=slugify(headings[-1]) if headings else None, text=text)
                )

        for block in document.iter_inner_content():
            if isinstance(block, Table):
                buffer.extend(_docx_table_rows(block))
                continue
            text = squash(block.text)
            if not text:
                continue
            style = (block.style.name if block.style is not None else "") or ""
            if style.lower() == "title":
                title = title or text
                continue
            level = _docx_heading_level(block)
            if level is None:
                buffer.append(f"- {text}" if style.lower().startswith("list") else text)
                continue
            flush()
            if not title and level == 1 and not sections:
                title = text
                continue
            if text.lower() == title.lower():
                continue
            while trail and trail[-1][0] >= level:
                trail.pop()
            trail.append((level, text))
        flush()
        return self.document(path, title=title or _title_from_stem(path), sections=sections)


# ---------------------------------------------------------------- plain text

LEGISLATION_MARKER = "URL_Of_PAGE:"
_SETEXT = re.compile(r"^(=+|-+)\s*$")


def _text_heading(block: list[str]) -> tuple[str, int] | None:
    """A block that is a heading: an underlined line (=== or ---), or one short
    line with no closing punctuation."""
    if len(block) == 2 and _SETEXT.match(block[1]) and len(block[1].strip()) >= 3:
        return block[0].strip(), 1 if block[1].strip().startswith("=") else 2
    if len(block) == 1:
        line = block[0].strip()
        words = line.split()
        if 0 < len(words) <= 10 and len(line) <= 80 and _heading_like(line) and not line.endswith(("?", "!", ":")):
            return line, 2
    return None


class TextReader(FileReader):
    """Plain text: paragraphs separated by blank lines; short stand-alone lines and
    underlined lines are headings. A first heading is the title. Legislation
    section text (``URL_Of_PAGE:`` markers) is left to the legislation reader."""

    name = kind = "text"
    suffixes = frozenset({".txt", ".text"})
    priority = 5

    def matches(self, path: Path) -> bool:
        if not super().matches(path):
            return False
        try:
            with path.open("rb") as f:
                head = f.read(4096)
        except OSError:
            return True  # let read() report why the file cannot be opened
        return LEGISLATION_MARKER.encode() not in head

    def parse(self, path: Path, data: bytes, label: str) -> Document:
        decoded = decode_text(data, label)
        blocks: list[list[str]] = [[]]
        for line in tidy_block(decoded.text).split("\n"):
            if line:
                blocks[-1].append(line)
            elif blocks[-1]:
                blocks.append([])
        blocks = [b for b in blocks if b]
        title = ""
        if blocks and (first := _text_heading(blocks[0])) and len(blocks) > 1:
            title = first[0]
            blocks = blocks[1:]
        title = title or _title_from_stem(path)
        sections: list[Section] = []
        heading: str | None = None
        paragraphs: list[str] = []

        def flush() -> None:
            if paragraphs:
                headings = [heading] if heading else []
                sections.append(
                    Section(
                        headings=headings, anchor=slugify(heading) if heading else None, text="\n\n".join(paragraphs)
                    )
                )
                paragraphs.clear()

        for index, block in enumerate(blocks):
            found = _text_heading(block) if index + 1 < len(blocks) else None
            if found:
                flush()
                heading = found[0]
            else:
                paragraphs.append(" ".join(block) if not _is_list(block) else "\n".join(block))
        flush()
        return self.document(path, title=title, sections=sections, warnings=decoded.warnings)


def _is_list(block: list[str]) -> bool:
    return all(line.startswith(_BULLETS) or re.match(r"^\(?\w{1,3}[.)]\s", line) for line in block)


for _reader in (MarkdownReader(), HtmlReader(), PdfReader(), DocxReader(), TextReader()):
    source_readers.add(_reader.name, _reader)
