"""Context scoring: words near a match raise or lower confidence.

Cues are searched in a window before the match (and a short one after), and the
nearest cue counts most, so "NHS No: ... Tax reference: 1234567890" gives the
number to the nearer "Tax reference". A cue only counts inside the same line,
or on the previous line when the match starts its own line (label above value).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from govai.pii.registry import TextDoc


@lru_cache(maxsize=512)
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(c.lower()) for c in cues), key=len, reverse=True)
    # Cues match whole words; punctuation inside a cue ("d.o.b", "a/c") is literal.
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")


@dataclass(frozen=True)
class Cue:
    word: str
    distance: int  # characters between the cue and the match (0 = touching)


def window_before(doc: TextDoc, start: int, size: int) -> tuple[int, str]:
    """The lower-cased text a cue may sit in: this line, or the previous one when the match opens its line."""
    line_start = doc.line_start(start)
    lo = max(line_start, start - size)
    if doc.text[line_start:start].strip() == "" and line_start > 0:
        lo = max(doc.line_start(line_start - 1), start - size)
    return lo, doc.lower[lo:start]


def nearest_cue_before(doc: TextDoc, start: int, cues: Iterable[str], size: int = 48) -> Cue | None:
    cues = tuple(cues)
    if not cues:
        return None
    lo, window = window_before(doc, start, size)
    best: Cue | None = None
    for m in _cue_pattern(cues).finditer(window):
        best = Cue(m.group(0), len(window) - m.end())
    return best


def cue_after(doc: TextDoc, end: int, cues: Iterable[str], size: int = 16) -> Cue | None:
    cues = tuple(cues)
    if not cues:
        return None
    line_end = doc.line_end(end)
    window = doc.lower[end : min(line_end, end + size)]
    m = _cue_pattern(cues).search(window)
    return Cue(m.group(0), m.start()) if m else None


def clause_before(doc: TextDoc, start: int, size: int = 60) -> str:
    """Lower-cased text from the last clause break (sentence end, line break, semicolon) to the match."""
    lo = max(doc.line_start(start), start - size)
    window = doc.lower[lo:start]
    cut = max(window.rfind(". "), window.rfind("; "), window.rfind("? "), window.rfind("! "))
    return window[cut + 1 :] if cut >= 0 else window


def proximity_boost(cue: Cue | None, boost: float, size: int = 48) -> float:
    """Full boost for a touching cue, fading to half at the edge of the window."""
    if cue is None:
        return 0.0
    return boost * (1.0 - 0.5 * min(cue.distance, size) / size)
