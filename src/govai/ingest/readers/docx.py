"""Word (.docx) documents: paragraphs and tables in order, sections at Heading 1-9 styles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from govai.errors import IngestError
from govai.ingest.document import Document, Section
from govai.ingest.markdown import slugify
from govai.ingest.readers.base import FileReader, title_from_stem
from govai.ingest.readers.cleaning import squash
from govai.ingest.sources import source_readers


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
        return self.document(path, title=title or title_from_stem(path), sections=sections)


source_readers.add(DocxReader.name, DocxReader())
