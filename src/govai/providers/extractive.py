"""The offline composer: answers with the fewest sentences from the retrieved
guidance that answer the question, each carrying its citation, or abstains.

It never writes a word of its own, so everything it says is in the guidance.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from govai.embeddings.base import embed_one
from govai.pipeline.context import Source, Usage
from govai.providers.base import Draft, provider_kinds
from govai.retrieval import units as unit_vectors
from govai.retrieval.lexical import tokenize
from govai.text.units import split_units, unit_embed_text

MAX_WORDS = 120


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


def _units(passage: str, source: int) -> list[Unit]:
    return [Unit(text, source, order) for order, text in enumerate(split_units(passage))]


class ExtractiveComposer:
    """Options: ``min_similarity`` (abstain when no sentence is this close to the question),
    ``max_sentences`` and ``margin`` (further sentences must score within ``margin`` of
    the best), ``passages`` (how many retrieved passages to quote from), ``max_words``."""

    def __init__(self, name: str = "extractive", options: dict[str, Any] | None = None) -> None:
        opts = options or {}
        self.name = name
        # Abstain when no sentence is this similar to the question (MiniLM cosine).
        self.min_similarity = float(opts.get("min_similarity", 0.48))
        self.max_sentences = int(opts.get("max_sentences", 5))
        self.margin = float(opts.get("margin", 0.15))
        self.passages = int(opts.get("passages", 5))
        self.max_words = int(opts.get("max_words", MAX_WORDS))

    def _embedder(self):
        from govai.config import get_settings
        from govai.embeddings import get_embedder

        return get_embedder(get_settings().embedder)

    def _similarities(self, question: str, sources: list[Source], units: list[Unit]) -> np.ndarray:
        """Cosine of each unit to the question, from vectors computed at ingest where possible."""
        embedder = self._embedder()
        qvec = embed_one(embedder, question)
        sims = np.empty(len(units), dtype=np.float32)
        missing: list[int] = []
        counts = Counter(u.source for u in units)
        by_source: dict[int, np.ndarray | None] = {}
        for k, u in enumerate(units):
            if u.source not in by_source:
                stored = unit_vectors.lookup(sources[u.source].chunk_id, sources[u.source].text)
                by_source[u.source] = stored if stored is not None and len(stored) == counts[u.source] else None
            stored = by_source[u.source]
            if stored is None:
                missing.append(k)
            else:
                sims[k] = float(stored[u.order] @ qvec)
        if missing:
            fresh = embedder.embed([unit_embed_text(sources[units[k].source].title, units[k].text) for k in missing])
            sims[missing] = fresh @ qvec
        return sims

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
        sims = self._similarities(question, sources, units)
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
