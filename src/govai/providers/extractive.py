"""The offline composer: answers with the fewest sentences from the retrieved
guidance that answer the question, each carrying its citation.

It never writes a word of its own, so everything it says is in the guidance.
"""

from __future__ import annotations

import math
from typing import Any

from govai.pipeline.context import Source, Usage
from govai.providers.base import Draft, provider_kinds
from govai.retrieval.evidence import Sentence, sentences
from govai.retrieval.lexical import tokenize
from govai.text.answer_types import expected_answer

MAX_WORDS = 120
TYPE_BONUS = 0.08  # a sentence of the kind of answer asked for ("how much" -> an amount)


class ExtractiveComposer:
    """Options: ``max_sentences`` and ``margin`` (further sentences must score within
    ``margin`` of the best), ``passages`` (how many retrieved passages to quote from),
    ``max_words``. Whether the guidance answers at all is the ``check_evidence`` step's
    call; this composer only declines when there is nothing to quote."""

    def __init__(self, name: str = "extractive", options: dict[str, Any] | None = None) -> None:
        opts = options or {}
        self.name = name
        self.max_sentences = int(opts.get("max_sentences", 5))
        self.margin = float(opts.get("margin", 0.15))
        self.passages = int(opts.get("passages", 5))
        self.max_words = int(opts.get("max_words", MAX_WORDS))

    def _embedder(self):
        from govai.config import get_settings
        from govai.embeddings import get_embedder

        return get_embedder(get_settings().embedder)

    def score_units(self, question: str, sources: list[Source]) -> list[Sentence]:
        units = sentences(self._embedder(), question, sources, self.passages)
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
        wanted = expected_answer(question)
        for u, terms in zip(units, unit_terms):
            coverage = sum(weight[t] for t in terms & q_terms) / total
            prior = 0.04 * (1.0 / (1 + u.source))  # retrieval rank as a tie-breaker
            typed = TYPE_BONUS if wanted is not None and wanted.search(u.text) else 0.0
            u.score = float(0.7 * u.similarity + 0.3 * coverage + prior + typed)
        return units

    def compose(self, question: str, sources: list[Source]) -> Draft:
        units = self.score_units(question, sources)
        if not units:
            return Draft(answer=None)
        ranked = sorted(units, key=lambda u: -u.score)
        best = ranked[0]
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
