"""legislation.gov.uk text: each section preceded by ``URL_Of_PAGE:`` and its URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from govai.errors import IngestError
from govai.ingest.document import Document, Section
from govai.ingest.sources import source_readers

MARKER = "URL_Of_PAGE:"
# Editorial notes that follow a provision; not part of the law's text.
_ANNOTATIONS = {"Commencement Information", "Textual Amendments", "Modifications etc. (not altering text)",
                "Marginal Citations", "Extent Information", "Editorial Information"}
_ENUMERATOR = re.compile(r"^\((?:[0-9]+[A-Z]*|[a-z]{1,2}|[ivxl]+|[A-Z])\)$")


def _join_enumerators(lines: list[str]) -> list[str]:
    """'(1)' on its own line belongs to the line after it."""
    out: list[str] = []
    pending = ""
    for line in lines:
        if _ENUMERATOR.match(line):
            pending = f"{pending}{line} "
            continue
        out.append(pending + line)
        pending = ""
    if pending:
        out.append(pending.strip())
    return out


def _strip_annotations(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if line in _ANNOTATIONS:
            return lines[:i]
    return lines


def _label(url: str) -> tuple[str, str]:
    """('section', '1') for .../section/1; ('schedule 2 paragraph', '6') etc."""
    parts = url.split("/ukpga/", 1)[-1].split("/")[2:]
    parts = [p for p in parts if p != "enacted"]
    if not parts:
        return "introduction", ""
    if parts[0] == "introduction":
        return "introduction", ""
    number = parts[-1] if len(parts) % 2 == 0 else ""
    words = []
    for i in range(0, len(parts), 2):
        words.append(" ".join(parts[i : i + 2]))
    name = ", ".join(words)
    return name, number


# Status notes legislation.gov.uk prints above a provision; not headings.
_STATUS = {"Prospective"}


def _parse_block(url: str, lines: list[str], act: str, origin: str) -> Document | None:
    lines = _strip_annotations([ln.strip() for ln in lines if ln.strip()])
    status = [ln for ln in lines[:2] if ln in _STATUS]
    lines = [ln for i, ln in enumerate(lines) if not (i < 2 and ln in _STATUS)]
    if not lines:
        return None
    label, number = _label(url)
    heading = ""
    context: list[str] = []
    if number and number in lines[:4]:
        at = lines.index(number)
        context = lines[:at]
        body = lines[at + 1 :]
        if "section" in label.split(",")[-1] and body:
            heading, body = body[0], body[1:]
    elif label.startswith("schedule") and not number:
        heading, body = lines[0], lines[1:]
    else:
        body = lines
    body = _join_enumerators(body)
    if label == "introduction":
        title = f"{act}: introductory text"
    else:
        title = f"{act}, {label}" + (f": {heading}" if heading else "")
    text = "\n".join(body) if body else heading
    headings = context + ([heading] if heading else [])
    return Document(
        source_id=url.removesuffix("/enacted"),
        title=title,
        url=url,
        kind="legislation",
        origin=origin,
        sections=[Section(headings=headings, anchor=None, text=text)],
        metadata={"act": act, **({"status": status[0].lower()} if status else {})},
    )


def read_legislation_text(text: str, origin: str) -> Iterator[Document]:
    blocks: list[tuple[str, list[str]]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == MARKER and i + 1 < len(lines):
            blocks.append((lines[i + 1].strip(), []))
            i += 2
            continue
        if blocks:
            blocks[-1][1].append(lines[i])
        i += 1
    if not blocks:
        raise IngestError(f"{origin}: no '{MARKER}' lines; not legislation section text")
    act = next((b[1][0].strip() for b in blocks if "/introduction" in b[0] and b[1] and b[1][0].strip()), "")
    if not act:
        act = Path(origin).stem.replace("-", " ").title()
    for url, block in blocks:
        doc = _parse_block(url, block, act, origin)
        if doc is not None:
            yield doc


class LegislationTextReader:
    name = "legislation"
    priority = 60

    def matches(self, path: Path) -> bool:
        if path.suffix != ".txt":
            return False
        try:
            with path.open(encoding="utf-8", errors="replace") as f:
                return MARKER in f.read(4096)
        except OSError:
            return False

    def read(self, path: Path) -> Iterator[Document]:
        text = path.read_text(encoding="utf-8", errors="replace")
        yield from read_legislation_text(text, str(path.resolve()))


source_readers.add("legislation", LegislationTextReader())
