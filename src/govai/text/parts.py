"""The separate asks in one question.

"Can I get a Budgeting Loan, and how much could I borrow?" asks two things; an
answer that quotes only the first is half an answer. The composer makes sure each
ask gets its best sentence. The asker's story ("I'm on Universal Credit with two
kids...") is context, not an ask: only sentences ending in "?" are split.
"""

from __future__ import annotations

import re

from govai.text.sentences import split_sentences

_WH = r"(?:how|what|whats|what's|when|where|who|which|why|can|could|do|does|did|is|are|will|would|should|if|whether)"
# ", and how much...", "and at what rate", "or do I...": a coordinator, then a new question.
_JOIN = re.compile(
    rf",?\s+(?:and|or|but|plus)\s+(?=(?:(?:at|from|for|by|in|on|to|with)\s+)?{_WH}\b)|,\s+(?=if (?:not|so)\b)", re.I
)
MIN_WORDS = 2


def question_parts(question: str) -> list[str]:
    """The asks, in order; a question with a single ask gives one part (the question itself)."""
    asks = [s for s in split_sentences(question, any_case=True) if s.endswith("?")]
    parts = [p.strip(" ,;?") for ask in asks for p in _JOIN.split(ask)]
    parts = [p for p in parts if len(p.split()) >= MIN_WORDS]
    return parts if len(parts) > 1 else [question]
