"""Reads a request's evidence once: the sentences of its passages and how close each is
to the question. ``check_evidence`` and ``compose`` both use it; whichever runs first
reads it, and it is read again only if the passages changed in between."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from govai.domain import Source
from govai.pipeline.context import Context
from govai.retrieval.evidence import Evidence, read_evidence
from govai.retrieval.retriever import Retriever

if TYPE_CHECKING:
    from govai.runtime import QueryEmbedder


def _none(source: Source) -> None:
    return None


class EvidenceReader:
    def __init__(self, retriever: Callable[[], Retriever], embed: QueryEmbedder) -> None:
        self._retriever = retriever  # built on first use: building a pipeline loads no model
        self.embed = embed

    @property
    def retriever(self) -> Retriever:
        return self._retriever()

    def __call__(self, ctx: Context) -> Evidence:
        if ctx.evidence is not None and ctx.evidence.covers(ctx.sources):
            return ctx.evidence
        if ctx.question_vector is None:
            ctx.question_vector = self.embed(ctx, [ctx.text])[0]
        # Passages from the store have their sentence vectors from ingest; others are embedded.
        stored = self.retriever.index(ctx.kb, ctx.sources).sentence_vectors if self.retriever.store.get(ctx.kb) else _none
        ctx.evidence = read_evidence(ctx.text, ctx.question_vector, ctx.sources, stored, self.embed_for(ctx))
        return ctx.evidence

    def embed_for(self, ctx: Context) -> Callable[[list[str]], np.ndarray]:
        """Embedding for this request, through model access."""
        return lambda texts: self.embed(ctx, texts)
