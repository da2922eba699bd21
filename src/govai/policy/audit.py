"""The hash-chained audit trail: every request's decisions and their reasons.

Each row stores its canonical JSON payload and ``row_hash = sha256(prev_hash +
payload)``, so altering, inserting or deleting a row breaks every later hash.
Payloads hold verdicts, names, ids and counts; question and answer text only
when the service's retention settings say so (and then the pseudonymised text).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg

from govai.pipeline.context import Context

GENESIS = "0" * 64
_LOCK = 7423003  # advisory lock serialising appends, so the chain never forks


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


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


def append(conn: psycopg.Connection, payload: dict[str, Any]) -> str:
    """Append one row to the chain; returns its hash."""
    text = canonical(payload)
    usage = payload.get("usage") or {}
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        row = conn.execute("SELECT row_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        prev = row[0] if row else GENESIS
        digest = chain_hash(prev, text)
        conn.execute(
            "INSERT INTO audit_log (at, request_id, conversation_id, service, classification, outcome,"
            " provider, cost_gbp, payload, prev_hash, row_hash)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                payload["at"],
                payload["request_id"],
                payload["conversation_id"],
                payload["service"],
                payload["classification"],
                payload["outcome"] or "unknown",
                payload.get("provider"),
                float(usage.get("cost_gbp") or 0.0),
                text,
                prev,
                digest,
            ),
        )
    return digest


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    rows: int
    broken_at: int | None = None  # id of the first row whose hash does not follow
    problem: str | None = None


def verify_chain(conn: psycopg.Connection) -> ChainCheck:
    """Recompute every hash in order; report the first row that does not follow."""
    prev = GENESIS
    count = 0
    for row_id, payload, prev_hash, row_hash in conn.execute(
        "SELECT id, payload, prev_hash, row_hash FROM audit_log ORDER BY id"
    ):
        count += 1
        if prev_hash != prev:
            return ChainCheck(False, count, row_id, "previous hash does not match (a row was removed or inserted)")
        if chain_hash(prev, payload) != row_hash:
            return ChainCheck(False, count, row_id, "row hash does not match its content (the row was altered)")
        prev = row_hash
    return ChainCheck(True, count)


def spent_gbp(conn: psycopg.Connection, service: str, since: datetime) -> float:
    row = conn.execute(
        "SELECT coalesce(sum(cost_gbp), 0) FROM audit_log WHERE service = %s AND at >= %s", (service, since)
    ).fetchone()
    return float(row[0]) if row else 0.0


def period_starts(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Start of today and of this month, UTC."""
    now = now or datetime.now(UTC)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return day, day.replace(day=1)

