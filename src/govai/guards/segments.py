"""How the source screen reads a passage: its segments, which of them are instructions, and how far
an instruction reuses the passage's own words. Text only: no model here (``engine`` scores them).
"""

from __future__ import annotations

import re

from govai.text.sentences import split_sentences
from govai.text.stopwords import GENERIC_WORDS, STOPWORDS

_SEGMENT_CHARS = 1600  # a longer sentence is cut: the classifier reads the start and end anyway
_FENCE = re.compile(r"```.*?(?:```|$)", re.S)


def segments(text: str) -> list[str]:
    """Lines of a passage (a fenced code block stays with the line that introduces it);
    long lines are cut into sentences, so one injected sentence stands out."""
    out: list[str] = []
    pending = ""
    cursor = 0
    for m in _FENCE.finditer(text):
        out.extend(_lines(text[cursor : m.start()]))
        pending = out.pop() if out else ""
        out.append((pending + "\n" + m.group(0)).strip())
        cursor = m.end()
    out.extend(_lines(text[cursor:]))
    return [s for s in out if s.strip()]


def _lines(text: str) -> list[str]:
    """Each line, cut into sentences: an instruction is often slipped in right after a real one."""
    out = []
    for line in text.splitlines():
        out.extend(p[:_SEGMENT_CHARS] for p in split_sentences(line))
    return out


# Guidance is mostly statements, bullets, headings and tables; an injected
# instruction is an imperative or a question aimed at whoever writes the answer.
# Only such segments go to the classifier (rules still read the whole passage).
MARKUP = re.compile(r"^(?:[#>*\-+|]+|\d+[.)])\s*")
_ADDRESSES_OUTPUT = re.compile(
    r"\byour (?:reply|response|answer|output|summary|code|solution|implementation|algorithm|elucidation)\b|```", re.I
)
LIST_ITEM = re.compile(r"^\s*(?:[-*+•]\s|\(?[a-z0-9]{1,3}\)\s)")
_LINK = re.compile(r"\]\((?:/[a-z0-9]|https?://)")
_INSTRUCTION_VERBS = frozenset("""
add include insert integrate incorporate append prepend mention suggest tease promote recommend provide write use
utilize utilise leverage merge meld blend enlist adopt absorb introduce consider ensure make keep let remember don't
do please start begin end answer respond reply rewrite rephrase modify enhance augment enrich embed replace substitute
remove group reverse encode decode anagram scramble spell capitalize capitalise format output print return share
emphasize emphasise highlight stress hint urge encourage direct redirect link offer express thank apologize apologise
imagine pretend act play ignore disregard forget stop visit click download install go read check contact call email
send apply find see ask report pay register fill complete submit explain describe list tell summarize summarise
define compare calculate solve convert translate compose draft create develop generate give produce rank rate review
sort outline name identify discuss analyse analyze evaluate show teach help narrate recite sing invent design plan
build code implement program refactor debug optimize optimise seamlessly kindly also now then always never only
""".split())
_QUESTION_START = frozenset(
    "what how why who whom whose when where which is are was were can could would should will do does did has have "
    "may might shall".split()
)


def instruction_like(segment: str) -> bool:
    """True for imperatives, questions and lines that talk about 'your reply' or carry code."""
    if _ADDRESSES_OUTPUT.search(segment):
        return True
    if LIST_ITEM.match(segment):
        return False  # list items in guidance often start with a verb ("- start work", "(a) include")
    text = MARKUP.sub("", segment.strip())
    if not text or segment.lstrip().startswith("#") or _LINK.search(segment):
        return False  # headings, and lines carrying guidance links, are guidance
    if len(text.split()) <= 8 and not text.rstrip().endswith((".", "?", "!", ":")):
        return False  # a short unpunctuated line is a heading ("Make a complaint")
    first = text.split(None, 1)[0].lower().strip("\"'“‘(,:")
    if first in _INSTRUCTION_VERBS:
        return True
    return first in _QUESTION_START and text.rstrip().endswith("?")

# A lead clause ("On top of your main task, …", "Before you reply: …") in front of an instruction.
_LEAD = re.compile(r"^[A-Z][^,:;.?!]{2,60}[,:]\s+(?=[a-zA-Z])")


def after_lead(segment: str) -> str | None:
    """The instruction after a lead clause ("On top of your main task, answer …" -> "answer …"),
    or None when the segment has no such clause."""
    text = MARKUP.sub("", segment.strip())
    found = _LEAD.match(text)
    return text[found.end():] if found else None


def instructions(segs: list[str]) -> list[str]:
    """The segments the classifier reads: instructions, also behind a lead clause ("On top of your
    main task, answer…"; these count only through the off-topic lift, ``segment_score``)."""
    return [s for s in segs if instruction_like(s) or instruction_like(after_lead(s) or "")]


_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")


def content_words(segment: str) -> set[str]:
    return {w for w in _CONTENT_WORD.findall(segment.lower()) if w not in STOPWORDS and w not in GENERIC_WORDS}


def topicality_discount(segment: str, segments: list[str]) -> float:
    """Guidance sentences reuse their passage's words; an injected instruction is off-topic.

    Returns a factor in [0.65, 1]: 1 when no content word of the segment occurs elsewhere
    in the passage, 0.65 when all of them do.
    """
    words = content_words(segment)
    if not words:
        return 1.0
    rest = {w for other in segments if other is not segment for w in _CONTENT_WORD.findall(other.lower())}
    return 1.0 - 0.35 * len(words & rest) / len(words)
