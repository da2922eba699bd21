"""The separate asks in one question, and the asker's situation around them.

"Can I get a Budgeting Loan, and how much could I borrow?" asks two things; an
answer that quotes only the first is half an answer. The composer makes sure each
ask gets its best sentence. The asker's story ("I'm on Universal Credit with two
kids...") is context, not an ask: only sentences ending in "?" are split.

``split_ask`` separates the story from the ask ("We split up last month and I now
look after our two children on my own — what help can I get with rent?"): retrieval
and sentence choice weigh the ask on its own as well as the whole question, so the
story's words ("split up", "children") do not pull in guidance about the story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govai.text.sentences import split_sentences

_WH = r"(?:how|what|whats|what's|when|where|who|which|why|can|could|do|does|did|is|are|will|would|should|if|whether)"
# ", and how much...", "and at what rate", "or do I...": a coordinator, then a new question.
_JOIN = re.compile(
    rf",?\s+(?:and|or|but|plus)\s+(?=(?:(?:at|from|for|by|in|on|to|with)\s+)?{_WH}\b)|,\s+(?=if (?:not|so)\b)", re.I
)
MIN_WORDS = 2

# How an ask opens when it is typed without a "?" ("how long do i have to pay it back").
_ASK_OPENING = re.compile(
    rf"^\W*(?:{_WH}|am|was|were|has|have|may|might|must|shall|tell me|explain|help|please|any\b|is there|are there)\b",
    re.I,
)
# A story and its ask in one sentence, joined by a dash, an ellipsis, a colon or a semicolon:
# "... working 20 hours a week — what help can I get?", "my son is 17 - can I still claim".
_INLINE_ASK = re.compile(rf"\s*(?:\s[-–—]+\s|\.\.\.+|…|;|:)\s*(?={_WH}\b|am\b|has\b|have\b|may\b|must\b)", re.I)
# "..., so what can I do?", "... but can I still claim?": the story ends at the comma.
_CLAUSE_ASK = re.compile(
    rf",\s*(?:(?:so|but|and|then)\s+)?(?=(?:how|what|whats|what's|when|where|who|which|why|can|could|do|does|"
    rf"is|are|will|would|should|am)\s+(?:i|we|you|my|they|it|he|she|the|this|that|there|much|long|many|soon|"
    rf"happens|help|can|do|should|is|are)\b)",
    re.I,
)
# A story is about someone: "Under the infected blood scheme, how much..." sets the subject, not a story.
_PERSON = re.compile(r"\b(?:i|im|i'm|i’m|ive|i've|me|my|we|we're|our|us|he|she|his|her|they|their|mum|dad|son|daughter|"
                     r"husband|wife|partner|ex|kids?|child(?:ren)?|baby|boss|employer)\b", re.I)


@dataclass(frozen=True)
class AskSplit:
    """A question as the asker's ``situation`` and what they ``ask``; ``asks`` are the separate
    asks (one or more). ``ask`` equals the whole question when there is no story to set aside."""

    question: str
    ask: str
    situation: str = ""
    asks: list[str] = field(default_factory=list)

    @property
    def has_situation(self) -> bool:
        return bool(self.situation)

    @property
    def story_share(self) -> float:
        """The share of the question's words that tell the asker's story (0 with no story)."""
        return len(self.situation.split()) / max(1, len(self.question.split()))


def question_parts(question: str) -> list[str]:
    """The asks, in order; a question with a single ask gives one part (the question itself)."""
    asks = [s for s in split_sentences(question, any_case=True) if s.endswith("?")]
    parts = [p.strip(" ,;?") for ask in asks for p in _JOIN.split(ask)]
    parts = [p for p in parts if len(p.split()) >= MIN_WORDS]
    return parts if len(parts) > 1 else [question]


def _is_ask(sentence: str) -> bool:
    return sentence.rstrip().endswith("?") or bool(_ASK_OPENING.match(sentence))


def _split_inline(sentence: str) -> tuple[str, str]:
    """(story, ask) of one sentence that holds both, or ("", sentence)."""
    for pattern in (_INLINE_ASK, _CLAUSE_ASK):
        pieces = pattern.split(sentence, maxsplit=1)
        if len(pieces) == 2 and len(pieces[0].split()) >= 3 and len(pieces[1].split()) >= 2:
            if not _ASK_OPENING.match(pieces[0]) and _PERSON.search(pieces[0]):
                return pieces[0].strip(" ,;:-–—"), pieces[1].strip()
    return "", sentence


def split_ask(question: str) -> AskSplit:
    """The ask and the situation of ``question``.

    The ask is every sentence that asks (ends in "?", or opens like a question: "how long
    do i have"); a sentence that tells a story and then asks ("We split up last month —
    what help can I get?", "I'm 19, what's the least they can pay me?") gives its second
    half. Everything else is the situation. A question with no recognisable ask, or only
    an ask, is its own ask with no situation.
    """
    text = " ".join(question.split())
    sentences = split_sentences(text, any_case=True)
    if not sentences:
        return AskSplit(question, question, "", [question])
    story: list[str] = []
    asks: list[str] = []
    for s in sentences:
        if _is_ask(s) and not s.rstrip().endswith("?") and len(s.split()) > 25:
            story.append(s)  # a long statement that happens to open with "if" or "is"
            continue
        before, ask = _split_inline(s)
        if before:
            story.append(before)
            asks.append(ask)
        elif _is_ask(s):
            asks.append(s)
        else:
            story.append(s)
    if not asks:
        # No sentence asks: the last one is the request ("Universal Credit childcare costs.").
        last = sentences[-1]
        before, ask = _split_inline(last)
        asks = [ask]
        story = sentences[:-1] + ([before] if before else [])
    asks = [a.lstrip(" -–—:;.…") for a in asks]  # "... last year. — how long do I have"
    ask = " ".join(asks)
    situation = " ".join(story)
    if len(ask.split()) < MIN_WORDS:
        return AskSplit(question, question, "", [question])
    parts = [p.strip(" ,;?") for a in asks for p in _JOIN.split(a)]
    parts = [p for p in parts if len(p.split()) >= MIN_WORDS] or [ask]
    return AskSplit(question, ask, situation, parts)
