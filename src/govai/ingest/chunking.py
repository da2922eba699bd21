"""Heading-aware chunking: each chunk keeps its page title, heading trail and anchor."""

from __future__ import annotations

import hashlib
import re

from pydantic import BaseModel

from govai.ingest.document import Document
from govai.text.units import SPLIT_VERSION

# all-MiniLM-L6-v2 reads 256 word pieces; ~170 words of body plus the title fits.
MAX_WORDS = 170
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[(\"“A-Z0-9£-])")


class Chunk(BaseModel):
    ord: int
    anchor: str | None
    headings: list[str]
    link: str | None = None  # the section's own address (see Section.link)
    text: str

    def embed_text(self, title: str) -> str:
        """What the embedder and the lexical index see: context first, then the body."""
        trail = [h for h in self.headings if h and h.lower() not in title.lower()]
        head = " > ".join([title, *trail])
        return f"{head}\n{self.text}"

    def content_hash(self, title: str) -> str:
        """Also names the unit split: the chunk's stored sentence vectors follow it."""
        return hashlib.sha256(f"{SPLIT_VERSION}\n{self.embed_text(title)}".encode()).hexdigest()


def _split_long(text: str, max_words: int) -> list[str]:
    """Split at paragraph, then sentence boundaries, into pieces of at most max_words."""
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    units: list[str] = []
    for para in re.split(r"\n\s*\n|\n(?=- |\(\w+\) )", text):
        para = para.strip()
        if not para:
            continue
        if len(para.split()) > max_words:
            units.extend(s for s in _SENTENCE_END.split(para) if s.strip())
        else:
            units.append(para)
    for unit in units:
        words = len(unit.split())
        if current and count + words > max_words:
            pieces.append("\n".join(current))
            current, count = [], 0
        if words > max_words:  # one enormous sentence: hard wrap by words
            tokens = unit.split()
            for i in range(0, len(tokens), max_words):
                pieces.append(" ".join(tokens[i : i + max_words]))
            continue
        current.append(unit)
        count += words
    if current:
        pieces.append("\n".join(current))
    return pieces


def chunk_document(doc: Document, max_words: int = MAX_WORDS) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in doc.sections:
        for piece in _split_long(section.text, max_words):
            chunks.append(Chunk(ord=len(chunks), anchor=section.anchor, headings=section.headings, text=piece,
                                link=section.link))
    return chunks
