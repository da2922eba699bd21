"""Second-stage reranking of fused candidates.

Chunk evidence (dense similarity plus normalised BM25) is combined with
page-level evidence: a page whose other passages also match, and whose
overall topic (the centroid of its chunk vectors) matches the question, is
more likely the page that answers it than one stray matching paragraph.
Weights were chosen from a flat region of the development grid, not its peak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from govai.retrieval.retriever import KBIndex

LEXICAL_WEIGHT = 0.25
SECOND_PASSAGE_WEIGHT = 0.1
TOPIC_WEIGHT = 0.3


def rerank(
    query: str,
    qvec: np.ndarray,
    idx: KBIndex,
    candidates: list[int],
    lexical: list[tuple[int, float]],
    dense: list[tuple[int, float]],
) -> list[tuple[int, float]]:
    if not candidates:
        return []
    cand = np.array(candidates)
    bm = dict(lexical)
    top_bm = max(bm.values()) if bm else 1.0
    lex = np.array([bm.get(i, 0.0) / top_bm for i in candidates], dtype=np.float32)
    chunk_score = idx.vectors[cand] @ qvec + LEXICAL_WEIGHT * lex
    docs = idx.doc_of[cand]
    bonus = {}
    for doc in np.unique(docs):
        scores = np.sort(chunk_score[docs == doc])[::-1]
        second = scores[1] if len(scores) > 1 else 0.0
        bonus[doc] = SECOND_PASSAGE_WEIGHT * second + TOPIC_WEIGHT * float(idx.centroids[doc] @ qvec)
    final = chunk_score + np.array([bonus[d] for d in docs], dtype=np.float32)
    order = np.argsort(-final)
    return [(int(cand[o]), float(final[o])) for o in order]
