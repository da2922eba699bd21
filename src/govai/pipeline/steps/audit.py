"""audit: write every decision and its reason to the hash-chained audit trail.

Runs last and always, whatever stopped the request. A failing audit write is an
error for the request: an unaudited answer must not look like an audited one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import psycopg

from govai.domain import PersonalData
from govai.errors import ConfigError
from govai.pipeline.context import Context
from govai.pipeline.step import steps
from govai.policy.audit import append

if TYPE_CHECKING:
    from govai.runtime import Services


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
        "personal_data": str(ctx.personal_data),
        "route": ctx.routing.as_dict() if ctx.routing is not None else None,
        "model_calls": [c.model_dump(mode="json", exclude_defaults=True) for c in ctx.model_calls],
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
        # The answer as composed keeps placeholders; the delivered one has the real values back.
        payload["answer"] = ctx.draft if ctx.personal_data is PersonalData.FOUND and ctx.draft else ctx.answer
    return payload


class Audit:
    name = "audit"
    always_runs = True

    def __init__(self, connect: Callable[[], psycopg.Connection], log_text: bool) -> None:
        self.connect = connect
        self.log_text = log_text

    def __call__(self, ctx: Context) -> None:
        digest = append(self.connect(), payload_for(ctx, log_text=self.log_text))
        ctx.audit_hash = digest
        ctx.record(self.name, row_hash=digest)


@steps.register("audit")
def build(services: Services, options: dict[str, Any]) -> Audit:
    unknown = sorted(set(options) - {"log_text"})
    if unknown:
        raise ConfigError(f"audit: unknown option(s) {', '.join(unknown)}; known: log_text")
    return Audit(lambda: services.db.conn, log_text=bool(options.get("log_text", services.profile.retention.log_text)))
