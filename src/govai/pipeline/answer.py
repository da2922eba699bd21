"""The public shape of an answer, as printed by ``govai ask --json`` and written by evals."""

from __future__ import annotations

from typing import Any

from govai.domain import Outcome
from govai.pipeline.context import Context


def answer_record(ctx: Context) -> dict[str, Any]:
    return {
        "answer": ctx.answer or "",
        "abstained": ctx.outcome != Outcome.ANSWERED,
        "citations": [c.source_id for c in ctx.citations],
        "retrieved": ctx.retrieved[:10],
        "latency_ms": round(ctx.latency_ms, 1),
        "outcome": str(ctx.outcome) if ctx.outcome else None,
        "reason": ctx.reason,
        "provider": ctx.provider,
        "sources": [{"id": c.source_id, "title": c.title, "url": c.url} for c in ctx.citations],
        "flags": ctx.flags,
    }
