"""Second-stage reranking of fused candidates, by a small learned model.

Each candidate passage is described by its own match to the question (dense similarity,
normalised BM25 of the whole question and of the ask alone, without the asker's story)
and by its page: how well its other passages match, how close the page's overall topic
is (the centroid of its passage vectors), and what the page is like as a whole
(``pages.py``: how long and how general it is, how current its own text says it is,
whether it is legislation). The score is a weighted sum of these features; the weights
are learned by ``python -m govai.retrieval.train`` on GovAI's own training questions
(never the evaluation sets), judged by leave-one-page-out cross-validation, and ship
in ``retrieval/model/rerank.json``. Without that file the hand-set weights of the
previous reranker are used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from govai.retrieval.pages import MAX_STALE_YEARS, profile, stale_years
from govai.retrieval.lexical import tokenize
from govai.text.parts import split_ask
from govai.text.stopwords import SITUATION_WORDS

if TYPE_CHECKING:
    from govai.retrieval.retriever import KBIndex

LEXICAL_WEIGHT = 0.25  # within a passage's own score, as the hand-set reranker had it
ASK_CANDIDATES = 20  # passages the ask alone finds by BM25, added to the fused candidates

FEATURES = (
    "dense",  # passage vector . question vector
    "lexical",  # BM25 of the whole question, over the best candidate's
    "lexical_ask",  # BM25 of the ask alone (the whole question when there is no story)
    "second",  # the page's next best candidate passage (dense + 0.25 lexical)
    "topic",  # the page's centroid . question vector
    "page_passages",  # log(1 + passages on the page)
    "page_candidates",  # log(1 + the page's passages among the candidates)
    "dispersion",  # how many topics the page spans
    "stale",  # years the page's latest year lags the other candidates' pages, / 10
    "dated_notice",  # the page says it may be out of date
    "legislation",
    "title_ask",  # IDF share of the ask's terms in the passage's page title and headings
)
# The hand-set reranker, written in these features: dense + 0.25 lexical + 0.1 second + 0.3 topic.
HAND_WEIGHTS = {"dense": 1.0, "lexical": LEXICAL_WEIGHT, "second": 0.1, "topic": 0.3}


@dataclass(frozen=True)
class RerankModel:
    weights: np.ndarray  # one per feature, on the raw feature scale
    meta: dict

    def score(self, x: np.ndarray) -> np.ndarray:
        return x @ self.weights

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "weights": [round(float(w), 6) for w in self.weights], **self.meta}


def hand_model() -> RerankModel:
    return RerankModel(np.array([HAND_WEIGHTS.get(f, 0.0) for f in FEATURES]), {"source": "hand-set"})


def model_path() -> Path:
    return Path(str(resources.files("govai.retrieval") / "model" / "rerank.json"))


@lru_cache(maxsize=4)
def load_model(path: Path | None = None) -> RerankModel:
    path = path or model_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return hand_model()
    if data.get("features") != list(FEATURES):
        return hand_model()  # trained on other features: retrain (python -m govai.retrieval.train)
    return RerankModel(np.array(data["weights"], dtype=np.float64),
                       {k: v for k, v in data.items() if k not in ("features", "weights")})


def candidate_features(
    query: str,
    qvec: np.ndarray,
    idx: KBIndex,
    candidates: list[int],
    lexical: list[tuple[int, float]],
) -> tuple[list[int], np.ndarray]:
    """The candidates (the fused ones, plus what BM25 finds for the ask alone) and their features.
    No fused candidates means nothing matched the question at all: nothing is added."""
    if not candidates:
        return [], np.zeros((0, len(FEATURES)))
    split = split_ask(query)
    ask_lexical: list[tuple[int, float]] = []
    if split.has_situation:
        ask_lexical = idx.bm25.search(split.ask, max(ASK_CANDIDATES, len(candidates)))
        seen = set(candidates)
        candidates = list(candidates) + [i for i, _ in ask_lexical[:ASK_CANDIDATES] if i not in seen]
    cand = np.array(candidates)
    bm = dict(lexical)
    top_bm = max(bm.values(), default=0.0) or 1.0
    lex = np.array([bm.get(i, 0.0) / top_bm for i in candidates])
    if split.has_situation:
        ask_bm = idx.bm25.scores(split.ask)[cand].astype(np.float64)
        lex_ask = ask_bm / (ask_bm.max() or 1.0)
    else:
        lex_ask = lex
    dense = (idx.vectors[cand] @ qvec).astype(np.float64)
    own = dense + LEXICAL_WEIGHT * lex
    docs = idx.doc_of[cand]
    second = np.zeros(len(cand))
    per_page = np.zeros(len(cand))
    for doc in np.unique(docs):
        mask = docs == doc
        scores = np.sort(own[mask])[::-1]
        second[mask] = scores[1] if len(scores) > 1 else 0.0
        per_page[mask] = np.log1p(mask.sum())
    weights = {t: w for t, w in idx.bm25.weights(split.ask).items() if t not in SITUATION_WORDS}
    total = sum(weights.values()) or 1.0
    title_ask = np.array([
        sum(w for t, w in weights.items() if t in terms) / total
        for terms in (set(tokenize(f"{idx.chunks[i].title} {' '.join(idx.chunks[i].headings)}")) for i in candidates)
    ])
    pages = profile(idx)
    topic = (idx.centroids[docs] @ qvec).astype(np.float64)
    x = np.column_stack([
        dense, lex, lex_ask, second, topic, pages.log_chunks[docs], per_page, pages.dispersion[docs],
        stale_years(pages.latest_year[docs]) / MAX_STALE_YEARS, pages.dated_notice[docs], pages.legislation[docs],
        title_ask,
    ])
    return candidates, x


def rerank(
    query: str,
    qvec: np.ndarray,
    idx: KBIndex,
    candidates: list[int],
    lexical: list[tuple[int, float]],
    dense: list[tuple[int, float]],
    model: RerankModel | None = None,
) -> list[tuple[int, float]]:
    if not candidates:
        return []
    candidates, x = candidate_features(query, qvec, idx, candidates, lexical)
    final = (model or load_model()).score(x)
    order = np.argsort(-final, kind="stable")
    return [(int(candidates[o]), float(final[o])) for o in order]
