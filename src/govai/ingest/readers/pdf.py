"""PDF files with a text layer: sections at headings found by font size (or at
bookmarks), never across a page break; page furniture removed, lines rejoined."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govai.errors import IngestError
from govai.ingest.document import Document, Section
from govai.ingest.readers.base import BULLETS, FileReader, heading_like, title_from_stem
from govai.ingest.readers.cleaning import squash
from govai.ingest.sources import source_readers

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
    candidates = sorted({ln.size for ln in lines if ln.size >= body * 1.15 and heading_like(ln.text)}, reverse=True)
    return {size: level for level, size in enumerate(candidates[:4], 1)}


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
        bullet = line.startswith(BULLETS) and len(line) > 1 and line[1] == " "
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
    candidates = [ln for ln in first_page if heading_like(ln.text) and ln.size >= body * 1.15]
    if candidates:
        return max(candidates, key=lambda ln: ln.size).text
    return title_from_stem(path)


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
            if level is None or not heading_like(line.text):
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


source_readers.add(PdfReader.name, PdfReader())
