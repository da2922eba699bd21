"""The offline composer: answers with the fewest sentences from the retrieved
guidance that answer the question, each carrying its citation.

It never writes a word of its own, so everything it says is in the guidance. It
reads the request's evidence (sentences and their similarity to the question and
to each ask, measured once per request), so it needs no model of its own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from govai.domain import Source, Usage
from govai.errors import ConfigError
from govai.providers.base import Draft, provider_kinds
from govai.retrieval.evidence import Evidence, Sentence
from govai.retrieval.selection import SentenceModel, unit_features
from govai.retrieval.selection import load_model as load_sentence_model
from govai.text.answer_types import expected_answer
from govai.text.parts import split_ask

MAX_WORDS = 120

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


def score_units(evidence: Evidence, keep: list[int], model: SentenceModel | None = None,
                ask: str | None = None, ask_similarity: list[float] | None = None) -> list[float]:
    """How well each sentence ``keep`` answers the question (or one ``ask`` of it): the learned
    sentence ranker's score (``retrieval/selection.py``), in logits."""
    if not keep:
        return []
    model = model or load_sentence_model()
    return [float(s) for s in model.score(unit_features(evidence, keep, ask, ask_similarity))]


class ExtractiveComposer:
    """Options: ``max_sentences`` and ``margin`` (further sentences must score within
    ``margin`` logits of the best; default: the trained sentence model's settings),
    ``passages`` (how many retrieved passages to quote from), ``max_words``, ``model`` (a
    path to another trained sentence model). Whether the guidance answers at all is the
    ``check_evidence`` step's call; this composer only declines when there is nothing to quote."""

    OPTIONS = frozenset({"max_sentences", "margin", "passages", "max_words", "model"})
    needs_evidence = True

    def __init__(self, name: str = "extractive", options: dict[str, Any] | None = None) -> None:
        opts = options or {}
        unknown = sorted(set(opts) - self.OPTIONS)
        if unknown:  # a mistyped option would otherwise be ignored without a word
            raise ConfigError(f"provider {name!r}: unknown extractive option(s) {', '.join(unknown)}; "
                              f"known: {', '.join(sorted(self.OPTIONS))}")
        self.name = name
        self.model = load_sentence_model(Path(opts["model"]) if opts.get("model") else None)
        self.max_sentences = int(opts.get("max_sentences", self.model.max_sentences))
        self.margin = float(opts.get("margin", self.model.margin))
        self.passages = int(opts.get("passages", 5))
        self.max_words = int(opts.get("max_words", MAX_WORDS))

    def part_leads(self, evidence: Evidence, keep: list[int], units: list[Sentence], scores: list[float]) -> list[Sentence]:
        """The best sentence for each separate ask of the question ("...and how much could I
        borrow?"), scored half on the ask and half on the whole question, so the subject
        named only in the first ask still counts."""
        leads: list[Sentence] = []
        if len(evidence.asks) < 2:
            return leads  # one ask: the best sentence overall is its best
        for ask, similarity in zip(evidence.asks, evidence.ask_similarity):
            scored = score_units(evidence, keep, self.model, ask, similarity)
            blended = [0.5 * (a + b) for a, b in zip(scores, scored)]
            lead = units[max(range(len(units)), key=blended.__getitem__)]
            if lead not in leads:
                leads.append(lead)
        return leads

    def select(self, evidence: Evidence, keep: list[int]) -> list[Sentence]:
        """The sentences to quote, in the order of the guidance."""
        units = [evidence.sentences[i] for i in keep]
        scores = score_units(evidence, keep, self.model)
        score_of = dict(zip(units, scores))
        wanted = expected_answer(split_ask(evidence.question).ask)
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
        return chosen

    def compose(self, question: str, sources: list[Source], evidence: Evidence | None = None) -> Draft:
        if not sources:
            return Draft(answer=None)
        if evidence is None or not evidence.covers(sources):
            raise ConfigError("the extractive composer needs the request's evidence for these passages")
        keep = evidence.within(self.passages)
        if not keep:
            return Draft(answer=None)
        chosen = self.select(evidence, keep)
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
