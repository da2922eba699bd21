"""Quotable units of a passage: sentences, or a lead-in line with its list.

Ingest embeds these once; the extractive composer quotes them. Both must split
a passage the same way, so the split lives here.
"""

from __future__ import annotations

import re

from govai.text.sentences import split_sentences

# Bump when the split changes: stored unit vectors belong to one split, so ingest
# re-embeds every document written under another.
SPLIT_VERSION = 2

_LIST_ITEM = re.compile(r"^\s*(?:- |\(\w{1,4}\) )")
_LABEL = re.compile(r"^\s*\((\w{1,4})\) ")
_ITEM_END = re.compile(r"[;,]\s*(?:or|and)$|[;,.:—\- ]+$")


def _label(line: str) -> str | None:
    match = _LABEL.match(line)
    return match.group(1) if match else None


def _item_kind(line: str, previous: str | None = None) -> str | None:
    """How a list item is labelled: legislation nests (1) > (a) > (i); GOV.UK uses bullets.
    "(i)" straight after "(h)" is a letter, not a roman numeral."""
    text = _label(line)
    if text is None:
        return "bullet" if _LIST_ITEM.match(line) else None
    if text.isdigit():
        return "number"
    follows_letter = len(text) == 1 and previous is not None and previous == chr(ord(text) - 1)
    return "roman" if re.fullmatch(r"[ivx]+", text) and not follows_letter else "letter"


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
        lead_kind = _item_kind(line)  # a lead-in may itself be an item: "(4) “Livestock” means—"
        previous = None
        while j < len(lines) and _item_kind(lines[j], previous) not in (None, lead_kind):
            previous = _label(lines[j])
            items.append(_ITEM_END.sub("", _LIST_ITEM.sub("", lines[j])))
            j += 1
        if items and line.endswith((":", "—", "-")):
            lead = _LIST_ITEM.sub("", line).rstrip(":—- ")
            joined = f"{lead}: {'; '.join(items)}."
            if len(joined.split()) <= 70:
                units.append(joined)
            else:
                units.extend(f"{lead}: {item}." for item in items)
            i = j
            continue
        text = _LIST_ITEM.sub("", line)
        units.extend(s for s in split_sentences(text) if len(s.split()) >= 3)
        i += 1
    return units


def unit_embed_text(title: str, unit: str) -> str:
    return f"{title}: {unit}"
