"""The sentences of the retrieved passages and how close each is to the question.

Shared by the answerability check (is the answer here at all?) and the extractive
composer (which sentences answer it?). Sentence vectors computed at ingest are used
where the passage is unchanged, so only the question is embedded per request.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from govai.embeddings.base import Embedder, embed_one
from govai.domain import Source
from govai.retrieval import units as unit_vectors
from govai.text.units import split_units, unit_embed_text


@dataclass
class Sentence:
    """A quotable piece: a sentence, or a lead-in line with its list."""

    text: str
    source: int  # index into the passages
    order: int  # position within the passage
    similarity: float = 0.0  # dense similarity to the question: the evidence strength
    score: float = 0.0  # the composer's ranking score


def sentences(embedder: Embedder, question: str, sources: list[Source], passages: int) -> list[Sentence]:
    """Every sentence of the first ``passages`` sources, with its similarity to the question."""
    found = [Sentence(text, k, order) for k, s in enumerate(sources[:passages])
             for order, text in enumerate(split_units(s.text))]
    if not found:
        return []
    qvec = embed_one(embedder, question)
    counts = Counter(s.source for s in found)
    stored: dict[int, np.ndarray | None] = {}
    missing: list[Sentence] = []
    for s in found:
        if s.source not in stored:
            source = sources[s.source]
            vectors = unit_vectors.lookup(source.chunk_id, source.text)
            stored[s.source] = vectors if vectors is not None and len(vectors) == counts[s.source] else None
        vectors = stored[s.source]
        if vectors is None:
            missing.append(s)
        else:
            s.similarity = float(vectors[s.order] @ qvec)
    if missing:
        fresh = embedder.embed([unit_embed_text(sources[s.source].title, s.text) for s in missing]) @ qvec
        for s, sim in zip(missing, fresh):
            s.similarity = float(sim)
    return found
