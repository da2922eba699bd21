"""The offline composer: answers with the fewest sentences from the retrieved
guidance that answer the question, each carrying its citation.

It never writes a word of its own, so everything it says is in the guidance. It
reads the request's evidence (sentences and their similarity to the question and
to each ask, measured once per request), so it needs no model of its own.
"""

from __future__ import annotations

import math
import re
from typing import Any

from govai.domain import Source, Usage
from govai.errors import ConfigError
from govai.providers.base import Draft, provider_kinds
from govai.retrieval.evidence import Evidence, Sentence
from govai.retrieval.lexical import tokenize
from govai.text.answer_types import expected_answer

MAX_WORDS = 120
TYPE_BONUS = 0.08  # a sentence of the kind of answer asked for ("how much" -> an amount)
# "You'll get a form called 'How your disability affects you'. You'll need to return it within
# 1 month.": the second sentence answers "how long do I get to send the form back?" but says
# "it". A sentence may score as the mean of its own similarity and its predecessor's.
CONTEXT_WEIGHT = 0.5

# A sentence that only makes sense after the one before it ("This is your 10-digit UTR",
# "In this situation a tribunal can...", "Apply for a Budgeting Advance instead").
_CONTINUES = re.compile(
    r"^(this|these|that|those|it|they|such|instead|otherwise|however|but|if (so|not)|"
    r"in (this|that|either|both|which) (case|situation)s?)\b|\binstead\.?$",
    re.I,
)


def _opening(text: str) -> tuple[str, ...]:
    return tuple(text.lower().split()[:2])


def continuation(units: list[Sentence], chosen: Sentence, wanted: re.Pattern[str] | None) -> Sentence | None:
    """The next sentence of the same passage when it completes ``chosen``: it refers back to
    it, or states the next case in parallel ("You get £25.60 for the eldest child. You get
    £16.95 for any younger children.")."""
    after = next((u for u in units if u.source == chosen.source and u.order == chosen.order + 1), None)
    if after is None:
        return None
    if chosen.text.endswith(":") or _CONTINUES.search(after.text):
        return after  # "send it by post to:" then the address; "This is your UTR..."
    parallel = _opening(after.text) == _opening(chosen.text)
    if parallel and wanted is not None and wanted.search(chosen.text) and wanted.search(after.text):
        return after
    return None


def score_units(question: str, units: list[Sentence], similarity: list[float], sources: list[Source]) -> list[float]:
    """How well each sentence answers ``question``: its (context-aware) similarity, its share of
    the question's distinctive terms, the retrieval rank of its passage and its answer type."""
    q_terms = set(tokenize(question))
    unit_terms = [set(tokenize(u.text)) for u in units]
    df: dict[str, int] = {}
    for terms in unit_terms:
        for t in terms & q_terms:
            df[t] = df.get(t, 0) + 1
    weight = {t: math.log(1 + len(units) / (1 + df.get(t, 0))) for t in q_terms}
    total = sum(weight.values()) or 1.0
    wanted = expected_answer(question)
    # A question term in the page's title is met by every sentence of that page: "When did
    # the Pedicabs Act come into force?" should favour the sentence about coming into force,
    # not the one that repeats the Act's name.
    titles = [set(tokenize(s.title)) for s in sources]
    before = {(u.source, u.order + 1): i for i, u in enumerate(units)}
    scores = []
    for i, (u, terms) in enumerate(zip(units, unit_terms)):
        coverage = sum(weight[t] for t in (terms | titles[u.source]) & q_terms) / total
        prior = 0.04 * (1.0 / (1 + u.source))  # retrieval rank as a tie-breaker
        typed = TYPE_BONUS if wanted is not None and wanted.search(u.text) else 0.0
        prev = before.get((u.source, u.order))
        sim = similarity[i] if prev is None else max(
            similarity[i], CONTEXT_WEIGHT * similarity[prev] + (1 - CONTEXT_WEIGHT) * similarity[i])
        scores.append(float(0.7 * sim + 0.3 * coverage + prior + typed))
    return scores


class ExtractiveComposer:
    """Options: ``max_sentences`` and ``margin`` (further sentences must score within
    ``margin`` of the best), ``passages`` (how many retrieved passages to quote from),
    ``max_words``. Whether the guidance answers at all is the ``check_evidence`` step's
    call; this composer only declines when there is nothing to quote."""

    OPTIONS = frozenset({"max_sentences", "margin", "passages", "max_words"})
    needs_evidence = True

    def __init__(self, name: str = "extractive", options: dict[str, Any] | None = None) -> None:
        opts = options or {}
        unknown = sorted(set(opts) - self.OPTIONS)
        if unknown:  # a mistyped option would otherwise be ignored without a word
            raise ConfigError(f"provider {name!r}: unknown extractive option(s) {', '.join(unknown)}; "
                              f"known: {', '.join(sorted(self.OPTIONS))}")
        self.name = name
        self.max_sentences = int(opts.get("max_sentences", 5))
        self.margin = float(opts.get("margin", 0.15))
        self.passages = int(opts.get("passages", 5))
        self.max_words = int(opts.get("max_words", MAX_WORDS))

    def part_leads(self, evidence: Evidence, keep: list[int], units: list[Sentence], scores: list[float]) -> list[Sentence]:
        """The best sentence for each separate ask of the question ("...and how much could I
        borrow?"), scored half on the ask and half on the whole question, so the subject
        named only in the first ask still counts."""
        leads: list[Sentence] = []
        for ask, similarity in zip(evidence.asks, evidence.ask_similarity):
            scored = score_units(ask, units, [similarity[i] for i in keep], evidence.sources)
            blended = [0.5 * (a + b) for a, b in zip(scores, scored)]
            lead = units[max(range(len(units)), key=blended.__getitem__)]
            if lead not in leads:
                leads.append(lead)
        return leads

    def compose(self, question: str, sources: list[Source], evidence: Evidence | None = None) -> Draft:
        if not sources:
            return Draft(answer=None)
        if evidence is None or not evidence.covers(sources):
            raise ConfigError("the extractive composer needs the request's evidence for these passages")
        question = evidence.question  # the working text, as retrieval and the evidence saw it
        keep = evidence.within(self.passages)
        units = [evidence.sentences[i] for i in keep]
        if not units:
            return Draft(answer=None)
        scores = score_units(question, units, [evidence.similarity[i] for i in keep], sources)
        score_of = dict(zip(units, scores))
        wanted = expected_answer(question)
        ranked = sorted(units, key=lambda u: -score_of[u])
        best = ranked[0]
        leads = self.part_leads(evidence, keep, units, scores)
        chosen: list[Sentence] = []
        words = 0

        def add(u: Sentence) -> bool:
            nonlocal words
            if any(u.text == c.text for c in chosen):
                return False
            if chosen and words + len(u.text.split()) + 1 > self.max_words:
                return False  # the best sentence is always quoted (cut below if it alone is too long)
            chosen.append(u)
            words += len(u.text.split()) + 1
            return True

        def take(u: Sentence) -> bool:
            if not add(u):
                return False
            follow = continuation(units, u, wanted)
            if follow is not None:
                add(follow)  # rides along: completes the sentence it follows
            return True

        take(best)
        picked = 1 + sum(take(u) for u in leads)  # each ask's best sentence, whatever its overall rank
        for u in ranked[1:]:
            if picked >= self.max_sentences or score_of[u] < score_of[best] - self.margin:
                break
            picked += take(u)
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
