"""Where one sentence ends and the next begins: the one splitter GovAI uses for
guidance passages, answers and questions.

A sentence ends at ".", "!" or "?" (or a citation marker such as "[1]" that closes
it) followed by space and the start of another sentence: a capital, a digit, "£",
or an opening quote or bracket. Typed questions often start in lower case, so
``any_case`` lets any character start the next one there. A line break always ends
a sentence.
"""

from __future__ import annotations

import re

_BREAK = re.compile(r"(?<=[.!?\]])[^\S\n]+(?=[\"'“‘(]?[A-Z0-9£])|\s*\n\s*")
_BREAK_ANY_CASE = re.compile(r"(?<=[.!?])\s+")


def split_sentences(text: str, *, any_case: bool = False) -> list[str]:
    """The sentences of ``text``, stripped, without empty ones."""
    pattern = _BREAK_ANY_CASE if any_case else _BREAK
    return [s.strip() for s in pattern.split(text) if s.strip()]
