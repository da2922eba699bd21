"""What every ingest source produces: documents made of heading-delimited sections."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel

from govai.text.units import SPLIT_VERSION


class Section(BaseModel):
    headings: list[str] = []  # heading trail below the title, outermost first
    anchor: str | None = None  # fragment for deep links (GOV.UK heading id, section number)
    link: str | None = None  # its own address, when not the document's URL + anchor (a GOV.UK guide part)
    text: str


class Document(BaseModel):
    source_id: str  # stable id used in citations: base_path, legislation URL, file path
    title: str
    url: str
    kind: str  # govuk, legislation, markdown, html, pdf, docx, text
    origin: str  # the file or item it came from, so removed documents can be found
    sections: list[Section]
    metadata: dict[str, Any] = {}

    @property
    def content_hash(self) -> str:
        # The split version too: a document stored under another split is re-read and re-embedded.
        payload = json.dumps(
            [SPLIT_VERSION, self.title, self.url, [s.model_dump() for s in self.sections]], ensure_ascii=False
        )
        return hashlib.sha256(payload.encode()).hexdigest()


class Skipped(BaseModel):
    """A part of a source that could not be read, such as one bad line of a JSON Lines
    file; a reader yields it in place of that part and goes on with the rest."""

    reason: str  # names the file and line: "pages.jsonl:12: not valid JSON (...)"
