"""Which sentences answer the question: a small learned ranker over the evidence.

Each quotable sentence of the top passages is described by how close it is to the whole
question and to the ask alone (without the asker's story), how many of the ask's
distinctive terms it and its page's title and headings carry, whether it is the kind of
answer the ask wants (an amount, a date, a period...), where it sits (its passage's and
page's retrieval rank, its position), its length, and whether its own words say it is
superseded ("before 6 April 2024", "up to and including 2023 to 2024"). A linear model
weighs these; it is trained by ``python -m govai.retrieval.train`` on GovAI's own
questions (sentences holding a key fact are the targets), judged by leave-one-page-out
cross-validation, and ships in ``retrieval/model/sentences.json`` with the selection
settings chosen the same way.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from govai.retrieval.evidence import Evidence
from govai.retrieval.lexical import tokenize
from govai.text.answer_types import expected_answer
from govai.text.parts import split_ask
from govai.text.stopwords import SITUATION_WORDS

FEATURES = (
    "sim_question",  # dense similarity to the whole question
    "sim_ask",  # ... to the ask alone (the question when there is no story or no ask vector)
    "sim_context",  # the best of its own and the mean with its predecessor's ("It must be returned...")
    "cover_ask",  # IDF share of the ask's terms in the sentence, its page title and headings
    "cover_ask_own",  # ... in the sentence alone
    "cover_question",  # IDF share of the whole question's terms around the sentence
    "typed",  # the kind of answer the ask wants (an amount, a period...)
    "typed_open",  # the ask wants no particular kind
    "passage_rank",  # 1 / (1 + retrieval rank of its passage)
    "top_page",  # from the best-ranked page
    "position",  # 0 at the start of its passage, towards 1 at the end
    "log_words",
    "number",  # holds a figure
    "refers_back",  # opens with "This", "It", "They"...: leans on the sentence before
    "superseded",  # says it applies before or up to a date that has passed, or no longer applies
    "rank_ask",  # 1 / (1 + its rank by similarity to the ask among the candidate sentences)
    "rank_context",  # 1 / (1 + its rank by sim_context)
    "cover_heading_ask",  # IDF share of the ask's terms in its page title and headings alone
    "typed_best",  # the closest sentence to the ask of the kind the ask wants
    "typed_part",  # the kind of answer one of several asks wants ("how long...? and how much...?")
    # A long post's story dilutes the whole question's similarity; these let the ranker lean on
    # the ask the more of the question is story (each is the feature times the story's share).
    "sim_ask_story",
    "sim_question_story",
    "cover_ask_own_story",
)

_REFERS_BACK = re.compile(r"^(this|these|that|those|it|they|such|instead|otherwise|however|but)\b", re.I)
_NUMBER = re.compile(r"\d|£")
_SUPERSEDED = re.compile(
    r"\b(?:on or before|before or on|before|up to(?: and including)?|until|prior to)\s+(?:\d{1,2}\s+\w+\s+)?(?:19|20)\d\d\b|"
    r"\btax years? up to\b|\bno longer (?:applies|apply|available)\b",
    re.I,
)


@dataclass(frozen=True)
class SentenceModel:
    weights: np.ndarray
    margin: float = 1.0  # further sentences must score within this (in logits) of the best
    max_sentences: int = 3
    meta: dict = field(default_factory=dict)

    def score(self, x: np.ndarray) -> np.ndarray:
        return x @ self.weights

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "weights": [round(float(w), 6) for w in self.weights],
                "margin": self.margin, "max_sentences": self.max_sentences, **self.meta}


# Before training: the previous composer's hand weights, written in these features.
HAND = {"sim_context": 0.7, "cover_question": 0.3, "passage_rank": 0.04, "typed": 0.08}


def hand_model() -> SentenceModel:
    return SentenceModel(np.array([HAND.get(f, 0.0) for f in FEATURES]), margin=0.15, max_sentences=5,
                         meta={"source": "hand-set"})


def model_path() -> Path:
    return Path(str(resources.files("govai.retrieval") / "model" / "sentences.json"))


@lru_cache(maxsize=4)
def load_model(path: Path | None = None) -> SentenceModel:
    path = path or model_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return hand_model()
    if data.get("features") != list(FEATURES):
        return hand_model()
    fixed = {"features", "weights", "margin", "max_sentences"}
    return SentenceModel(np.array(data["weights"], dtype=np.float64), float(data["margin"]),
                         int(data["max_sentences"]), {k: v for k, v in data.items() if k not in fixed})


def _weights(terms: list[str], units_terms: list[set[str]]) -> dict[str, float]:
    """IDF of each term over the candidate sentences: a term every sentence has says little."""
    n = len(units_terms)
    return {t: math.log(1 + n / (1 + sum(t in u for u in units_terms))) for t in terms}


def _cover(weight: dict[str, float], words: set[str]) -> float:
    total = sum(weight.values())
    return sum(w for t, w in weight.items() if t in words) / total if total else 0.0


def _ranks(values: np.ndarray) -> np.ndarray:
    """0 for the largest value, 1 for the next... (ties in the order given)."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = np.arange(len(values))
    return ranks


def unit_features(evidence: Evidence, keep: list[int], ask: str | None = None,
                  ask_similarity: list[float] | None = None) -> np.ndarray:
    """Features of the sentences ``keep`` (indexes into ``evidence.sentences``) for the question
    and its ask without the story; or, given ``ask`` and its ``ask_similarity``, for that one ask
    of several, scored as if it were the whole question ("which organisation runs it?")."""
    question = evidence.question
    sim_q = np.array([evidence.similarity[i] for i in keep], dtype=np.float64)
    if ask is not None and ask_similarity is not None:
        question = ask
        sim_q = np.array([ask_similarity[i] for i in keep], dtype=np.float64)
    story = 0.0
    if ask is None:
        split = split_ask(question)
        ask = split.ask
        story = split.story_share
        if ask_similarity is None and evidence.ask_similarity:
            # The ask without the story (one ask), or the closest of several asks.
            ask_similarity = list(np.max(np.array(evidence.ask_similarity), axis=0))
    units = [evidence.sentences[i] for i in keep]
    sources = evidence.sources
    sim_a = np.array([ask_similarity[i] for i in keep], dtype=np.float64) if ask_similarity is not None else sim_q
    position_of = {(u.source, u.order): k for k, u in enumerate(units)}
    counts: dict[int, int] = {}
    for u in units:
        counts[u.source] = max(counts.get(u.source, 0), u.order + 1)
    unit_terms = [set(tokenize(u.text)) for u in units]
    around = [unit_terms[k] | set(tokenize(f"{sources[u.source].title} {' '.join(sources[u.source].headings)}"))
              for k, u in enumerate(units)]
    ask_terms = [t for t in dict.fromkeys(tokenize(ask)) if t not in SITUATION_WORDS] or list(dict.fromkeys(tokenize(ask)))
    q_terms = [t for t in dict.fromkeys(tokenize(question)) if t not in SITUATION_WORDS]
    w_ask = _weights(ask_terms, unit_terms)
    w_q = _weights(q_terms, unit_terms)
    wanted = expected_answer(ask)
    part_wanted = [w for w in (expected_answer(p) for p in split_ask(ask).asks) if w is not None]
    top_doc = sources[0].doc_id if sources else None
    context_sim = np.array([sim_q[k] if (prev := position_of.get((u.source, u.order - 1))) is None
                            else max(sim_q[k], 0.5 * (sim_q[prev] + sim_q[k])) for k, u in enumerate(units)])
    rank_ask = _ranks(sim_a)
    rank_context = _ranks(context_sim)
    typed = [wanted is not None and bool(wanted.search(u.text)) for u in units]
    typed_best = -1
    if any(typed):
        typed_best = max((k for k in range(len(units)) if typed[k]), key=lambda k: sim_a[k])
    heading_terms = [set(tokenize(f"{sources[u.source].title} {' '.join(sources[u.source].headings)}")) for u in units]
    rows = []
    for k, u in enumerate(units):
        context = context_sim[k]
        src = sources[u.source]
        heading = " ".join(src.headings)
        rows.append([
            sim_q[k], sim_a[k], context,
            _cover(w_ask, around[k]), _cover(w_ask, unit_terms[k]), _cover(w_q, around[k]),
            1.0 if typed[k] else 0.0,
            1.0 if wanted is None else 0.0,
            1.0 / (1 + u.source),
            1.0 if src.doc_id == top_doc else 0.0,
            u.order / max(counts[u.source], 1),
            math.log1p(len(u.text.split())),
            1.0 if _NUMBER.search(u.text) else 0.0,
            1.0 if _REFERS_BACK.match(u.text) else 0.0,
            1.0 if _SUPERSEDED.search(u.text) or _SUPERSEDED.search(heading) else 0.0,
            1.0 / (1 + rank_ask[k]), 1.0 / (1 + rank_context[k]),
            _cover(w_ask, heading_terms[k]),
            1.0 if k == typed_best else 0.0,
            1.0 if any(w.search(u.text) for w in part_wanted) else 0.0,
            story * sim_a[k], story * sim_q[k], story * _cover(w_ask, unit_terms[k]),
        ])
    return np.array(rows, dtype=np.float64).reshape(len(units), len(FEATURES))
