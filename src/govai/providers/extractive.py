"""The offline composer: answers with the fewest sentences from the retrieved
guidance that answer the question, each carrying its citation, or abstains.

It never writes a word of its own, so everything it says is in the guidance.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from govai.pipeline.context import Source, Usage
from govai.providers.base import Draft, provider_kinds
from govai.retrieval.lexical import tokenize

MAX_WORDS = 120
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9£])")
_LIST_ITEM = re.compile(r"^\s*(?:- |\(\w{1,4}\) )")


# What kind of answer a question asks for, and how to recognise it in a sentence.
# A sentence of the right kind is preferred; if none is found the guidance
# probably does not answer the specific question, which lowers confidence.
ANSWER_TYPES: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (re.compile(r"\b(ring|call|phone|telephone|helpline|contact number|number to)\b", re.I),
     re.compile(r"\b0\d{2,4}[ \d]{6,10}\d\b|\+44")),
    (re.compile(r"\b(percent|percentage|what rate)\b|%", re.I), re.compile(r"\d%|\bper ?cent\b")),
    (re.compile(r"\b(how much|cost|costs|price|fee|fees|charge|charged|salary|wage|amount|how big a|maximum (fine|amount|payment)|minimum (amount|payment))\b", re.I),
     re.compile(r"£\s?\d|\b\d+(\.\d+)? (pounds|pence)\b|\blevel \d\b")),
    (re.compile(r"\b(how long|how soon|how quickly|how early|how late|how far in advance|time limit|within how|how many (days|weeks|months|years|hours))\b", re.I),
     re.compile(r"\b\d+\s?(working |school |calendar )?(day|week|month|year|hour|minute)s?\b|\b(a|one|two|three|four|six) (day|week|month|year)s?\b", re.I)),
    (re.compile(r"\b(when|what date|which date|deadline|by what)\b", re.I),
     re.compile(r"\b\d{1,2}(st|nd|rd|th)? (january|february|march|april|may|june|july|august|september|october|november|december)\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b|\b\d+\s?(working )?(day|week|month|year)s?\b|\b(holidays?|term|before|after)\b", re.I)),
    (re.compile(r"\b(what age|how old|age limit|minimum age|maximum age)\b", re.I), re.compile(r"\b\d{1,2}\b|\bage\b", re.I)),
    (re.compile(r"\bhow many\b", re.I), re.compile(r"\b\d+\b|\b(one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)),
]
TYPE_BONUS = 0.08


def expected_answer(question: str) -> re.Pattern[str] | None:
    for asks, looks_like in ANSWER_TYPES:
        if asks.search(question):
            return looks_like
    return None


@dataclass
class Unit:
    """A quotable piece: a sentence, or a lead-in line with its list."""

    text: str
    source: int  # index into the passages
    order: int  # position within the passage
    score: float = 0.0
    similarity: float = 0.0  # dense similarity to the question alone: the evidence strength


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


def _units(passage: str, source: int) -> list[Unit]:
    lines = _join_labels([ln.strip() for ln in passage.splitlines() if ln.strip()])
    units: list[Unit] = []
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
                units.append(Unit(joined, source, len(units)))
            else:
                lead = line.rstrip(":—- ")
                units.extend(Unit(f"{lead}: {item}.", source, len(units) + k) for k, item in enumerate(items))
            i = j
            continue
        text = _LIST_ITEM.sub("", line)
        for sentence in _SENTENCE.split(text):
            if len(sentence.split()) >= 3:
                units.append(Unit(sentence.strip(), source, len(units)))
        i += 1
    return units


class ExtractiveComposer:
    """Options: ``min_score`` (abstain below it), ``max_sentences``, ``passages``."""

    def __init__(self, name: str = "extractive", options: dict[str, Any] | None = None) -> None:
        opts = options or {}
        self.name = name
        # Abstain when no sentence is this similar to the question (MiniLM cosine).
        self.min_similarity = float(opts.get("min_similarity", 0.48))
        self.max_sentences = int(opts.get("max_sentences", 4))
        self.margin = float(opts.get("margin", 0.15))
        self.passages = int(opts.get("passages", 5))
        self.max_words = int(opts.get("max_words", MAX_WORDS))

    def _embedder(self):
        from govai.config import get_settings
        from govai.embeddings import get_embedder

        return get_embedder(get_settings().embedder)

    def score_units(self, question: str, sources: list[Source]) -> list[Unit]:
        units = [u for k, s in enumerate(sources[: self.passages]) for u in _units(s.text, k)]
        if not units:
            return []
        q_terms = set(tokenize(question))
        unit_terms = [set(tokenize(u.text)) for u in units]
        df: dict[str, int] = {}
        for terms in unit_terms:
            for t in terms & q_terms:
                df[t] = df.get(t, 0) + 1
        weight = {t: math.log(1 + len(units) / (1 + df.get(t, 0))) for t in q_terms}
        total = sum(weight.values()) or 1.0
        embedder = self._embedder()
        vectors = embedder.embed([question] + [f"{sources[u.source].title}: {u.text}" for u in units])
        sims = vectors[1:] @ vectors[0]
        wanted = expected_answer(question)
        for u, terms, sim in zip(units, unit_terms, sims):
            coverage = sum(weight[t] for t in terms & q_terms) / total
            prior = 0.04 * (1.0 / (1 + u.source))  # retrieval rank as a tie-breaker
            typed = TYPE_BONUS if wanted is not None and wanted.search(u.text) else 0.0
            u.similarity = float(sim)
            u.score = float(0.7 * sim + 0.3 * coverage + prior + typed)
        return units

    def compose(self, question: str, sources: list[Source]) -> Draft:
        units = self.score_units(question, sources)
        if not units:
            return Draft(answer=None)
        ranked = sorted(units, key=lambda u: -u.score)
        best = ranked[0]
        if max(u.similarity for u in units) < self.min_similarity:
            return Draft(answer=None)
        chosen = [best]
        words = len(best.text.split()) + 1
        for u in ranked[1:]:
            if len(chosen) >= self.max_sentences or u.score < best.score - self.margin:
                break
            if any(u.text == c.text for c in chosen):
                continue
            w = len(u.text.split()) + 1
            if words + w > self.max_words:
                continue
            chosen.append(u)
            words += w
        # Read in the order of the guidance: by source rank, then position.
        chosen.sort(key=lambda u: (u.source, u.order))
        cited: list[str] = []
        parts = []
        for u in chosen:
            sid = sources[u.source].source_id
            if sid not in cited:
                cited.append(sid)
            parts.append(f"{u.text} [{cited.index(sid) + 1}]")
        answer = " ".join(parts)
        if len(answer.split()) > self.max_words:  # one very long sentence: cut to the limit
            answer = " ".join(answer.split()[: self.max_words - 2]) + f"… [{cited.index(sources[chosen[0].source].source_id) + 1}]"
        return Draft(answer=answer, cited=cited, usage=Usage(provider=self.name, model="extractive"))


provider_kinds.add("extractive", lambda name, options: ExtractiveComposer(name, options))
