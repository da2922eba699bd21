"""retrieve: find the guidance passages that answer the question."""

from __future__ import annotations

from typing import Any

from govai.pipeline.context import Context
from govai.pipeline.step import steps
from govai.retrieval.retriever import Mode


class Retrieve:
    name = "retrieve"

    def __init__(self, runtime: Any, k: int = 10, passages: int = 8, mode: str = "full") -> None:
        self.runtime = runtime
        self.k = k
        self.passages = passages
        self.mode = Mode(mode)

    def __call__(self, ctx: Context) -> None:
        result = self.runtime.retriever.search(ctx.kb, ctx.text, k=self.k, passages=self.passages, mode=self.mode)
        ctx.retrieved = result.ranked
        ctx.sources = result.passages
        ctx.record(self.name, retrieved=result.ranked, passages=len(result.passages))


@steps.register("retrieve")
def build(runtime: Any, options: dict[str, Any]) -> Retrieve:
    return Retrieve(runtime, **options)
