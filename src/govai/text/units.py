"""Quotable units of a passage: sentences, or a lead-in line with its list.

Ingest embeds these once; the extractive composer quotes them. Both must split
a passage the same way, so the split lives here.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9£])")
_LIST_ITEM = re.compile(r"^\s*(?:- |\(\w{1,4}\) )")


def _is_label(line: str) -> bool:
    """A short line with no sentence ending: a name or label ('Telephone: 0300…')."""
    return len(line.split()) <= 8 and not line.endswith((".", "?", "!", ":")) and not _LIST_ITEM.match(line)


def _join_labels(lines: list[str]) -> list[str]:
    """Contact blocks and similar: keep a run of short label lines together."""
    out: list[str] = []
    for line in lines:
        if out and _is_label(line) and _is_label(out[-1].split("; ")[-1]):
            out[-1] = f"{out[-1]}; {line}"
        else:
            out.append(line)
    return out


def split_units(passage: str) -> list[str]:
    lines = _join_labels([ln.strip() for ln in passage.splitlines() if ln.strip()])
    units: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        items: list[str] = []
        j = i + 1
        while j < len(lines) and _LIST_ITEM.match(lines[j]):
            items.append(_LIST_ITEM.sub("", lines[j]).rstrip(";,. "))
            j += 1
        if items and line.endswith((":", "—", "-")) and not _LIST_ITEM.match(line):
            joined = f"{line.rstrip(':—- ')}: {'; '.join(items)}."
            if len(joined.split()) <= 70:
                units.append(joined)
            else:
                lead = line.rstrip(":—- ")
                units.extend(f"{lead}: {item}." for item in items)
            i = j
            continue
        text = _LIST_ITEM.sub("", line)
        units.extend(s.strip() for s in _SENTENCE.split(text) if len(s.split()) >= 3)
        i += 1
    return units


def unit_embed_text(title: str, unit: str) -> str:
    return f"{title}: {unit}"
