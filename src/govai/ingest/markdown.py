"""Markdown (and GOV.UK govspeak) to heading-delimited sections."""

from __future__ import annotations

import re

from govai.ingest.document import Section

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:.*$")  # kramdown: *[PIP]: Personal Independence Payment
_ATTRIBUTES = re.compile(r"\{:[^}]*\}")  # kramdown attribute lists
_GOVSPEAK_MARKERS = re.compile(r"^\s*(\$[A-Z]{1,3}|\^|%|\$CTA|\$EndCTA)\s*$")
# Govspeak callouts wrap a whole line: ^information^ and %warning%.
_CALLOUT = re.compile(r"^\s*([\^%])(.+?)\1?\s*$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_BULLET = re.compile(r"^\s*[*+-]\s+")


def slugify(text: str) -> str:
    """GOV.UK-style heading id: lower case, punctuation dropped, hyphens between words."""
    text = text.lower().replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _cells(line: str, bordered: bool) -> list[str]:
    """Split a table row. Without outer borders a leading '|' means an empty first cell."""
    line = line.strip()
    if bordered:
        line = line.removeprefix("|").removesuffix("|")
    else:
        line = line.removesuffix("|") if line.count("|") > 1 and line.endswith("|") else line
    return [c.strip() for c in line.split("|")]


def flatten_tables(text: str) -> str:
    """Turn each table row into a sentence that names its columns.

    ``| Year | 21 and over |`` over ``| 2024 | £11.44 |`` becomes
    ``Year 2024: 21 and over £11.44.`` so a row stands on its own when quoted.
    """
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and "|" in lines[i] and _TABLE_RULE.match(lines[i + 1]):
            bordered = lines[i + 1].strip().startswith("|")
            header = _cells(lines[i], bordered)
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                row = _cells(lines[i], bordered)
                label = f"{header[0]} {row[0]}".strip() if header and header[0] else row[0]
                pairs = [f"{h} {v}".strip() if h else v for h, v in zip(header[1:], row[1:]) if v]
                out.append(f"{label}: {', '.join(pairs)}." if pairs else f"{label}.")
                i += 1
            out.append("")
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def clean_markdown(text: str) -> str:
    """Markdown to readable plain text: keep link text, drop URLs and markup."""
    lines = []
    for line in flatten_tables(text).splitlines():
        if _ABBREVIATION.match(line) or _GOVSPEAK_MARKERS.match(line):
            continue
        line = _LINK.sub(lambda m: m.group(1), line)
        line = _ATTRIBUTES.sub("", line)
        line = _EMPHASIS.sub(lambda m: m.group(2), line)
        line = _CALLOUT.sub(lambda m: m.group(2), line)
        line = _BULLET.sub("- ", line)
        line = line.replace("\\", "").rstrip()
        lines.append(line)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def sections_from_markdown(markdown: str, *, title: str | None = None) -> list[Section]:
    """Split at headings, keeping the trail of headings above each section.

    A heading equal to the document title is not repeated in the trail.
    """
    sections: list[Section] = []
    trail: list[tuple[int, str]] = []
    buffer: list[str] = []

    def flush() -> None:
        text = clean_markdown("\n".join(buffer))
        buffer.clear()
        if not text:
            return
        headings = [h for _, h in trail]
        anchor = slugify(headings[-1]) if headings else None
        sections.append(Section(headings=headings, anchor=anchor, text=text))

    in_code = False
    for line in markdown.splitlines():
        if line.strip().startswith("```"):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if not match:
            buffer.append(line)
            continue
        flush()
        level, heading = len(match.group(1)), clean_markdown(match.group(2))
        if title and level == 1 and heading.strip().lower() == title.strip().lower():
            continue
        while trail and trail[-1][0] >= level:
            trail.pop()
        trail.append((level, heading))
    flush()
    return sections
