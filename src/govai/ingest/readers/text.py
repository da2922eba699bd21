"""Plain text files: paragraphs at blank lines, headings from underlined or short
stand-alone lines. Legislation section text is left to the legislation reader."""

from __future__ import annotations

import re
from pathlib import Path

from govai.ingest.document import Document, Section
from govai.ingest.markdown import slugify
from govai.ingest.readers.base import BULLETS, FileReader, heading_like, title_from_stem
from govai.ingest.readers.cleaning import decode_text, tidy_block
from govai.ingest.sources import source_readers

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
        if 0 < len(words) <= 10 and len(line) <= 80 and heading_like(line) and not line.endswith(("?", "!", ":")):
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
        title = title or title_from_stem(path)
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
    return all(line.startswith(BULLETS) or re.match(r"^\(?\w{1,3}[.)]\s", line) for line in block)


source_readers.add(TextReader.name, TextReader())
