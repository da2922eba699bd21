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


GENESIS = "0" * 64
_LOCK = 7423003  # advisory lock serialising appends, so the chain never forks


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


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

