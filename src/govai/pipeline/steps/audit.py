"""audit: write every decision and its reason to the hash-chained audit trail.

Runs last and always, whatever stopped the request. A failing audit write is an
error for the request: an unaudited answer must not look like an audited one.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from govai.pipeline.context import Context
from govai.pipeline.step import steps
from govai.policy.audit import append

if TYPE_CHECKING:
    from govai.runtime import Runtime


def _sha256(text: str | None) -> str | None:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest() if text else None


def payload_for(ctx: Context, *, log_text: bool = False, at: datetime | None = None) -> dict[str, Any]:
    """What the audit trail keeps about one request."""
    at = at or datetime.now(UTC)
    payload: dict[str, Any] = {
        "at": at.isoformat(),
        "request_id": ctx.request_id,
        "conversation_id": ctx.conversation_id,
        "service": ctx.service,
        "kb": ctx.kb,
        "classification": str(ctx.classification),
        "outcome": str(ctx.outcome) if ctx.outcome else None,
        "reason": ctx.reason,
        "provider": ctx.provider,
        "route": ctx.state.get("route"),
        "flags": list(ctx.flags),
        "usage": ctx.usage.model_dump(mode="json"),
        "retrieved": list(ctx.retrieved[:10]),
        "citations": [c.source_id for c in ctx.citations],
        "steps": [{"step": r.step, "ms": round(r.ms, 1), "detail": r.detail} for r in ctx.records],
        "question_sha256": _sha256(ctx.text),
        "answer_sha256": _sha256(ctx.answer),
    }
    if log_text:
        payload["question"] = ctx.text  # already pseudonymised when the PII step ran
        payload["answer"] = ctx.answer
    return payload


class Audit:
    name = "audit"
    always_runs = True

    def __init__(self, runtime: Runtime, log_text: bool) -> None:
        self.runtime = runtime
        self.log_text = log_text

    def __call__(self, ctx: Context) -> None:
        digest = append(self.runtime.db.conn, payload_for(ctx, log_text=self.log_text))
        ctx.state["audit_hash"] = digest
        ctx.record(self.name, row_hash=digest)


@steps.register("audit")
def build(runtime: Runtime, options: dict[str, Any]) -> Audit:
    return Audit(runtime, log_text=bool(options.get("log_text", runtime.profile.retention.log_text)))
