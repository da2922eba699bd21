"""check_citations: every citation must point at a passage that was retrieved."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govai.pipeline.context import Context
from govai.pipeline.step import steps

if TYPE_CHECKING:
    from govai.runtime import Services


class CheckCitations:
    name = "check_citations"

    def __call__(self, ctx: Context) -> None:
        if ctx.answer is None:
            return
        allowed = {s.source_id for s in ctx.sources} | {s.doc_id for s in ctx.sources}
        dropped = [c.source_id for c in ctx.citations if c.source_id not in allowed]
        ctx.citations = [c for c in ctx.citations if c.source_id in allowed]
        ctx.record(self.name, dropped=dropped)
        if dropped:
            ctx.flag("citation_dropped")


@steps.register("check_citations")
def build(services: Services, options: dict[str, Any]) -> CheckCitations:
    return CheckCitations()
