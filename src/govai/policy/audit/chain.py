"""One hash chain per service: the records, how they are appended, budgets.

A record is its hashed header (format, service, seq, prev, kind, payload
digest), its canonical payload and salt (covered by the digest), and columns
that queries need (``at``, ``outcome``, ``cost_gbp`` ...). Those columns are
never written independently: they are derived from the payload here, and
verification derives them again and compares, so editing one is detected.

Each service has its own chain and its own advisory lock: services append in
parallel, and within a service the lock plus the (service, seq) primary key
keep the chain from forking.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import pq

from govai.errors import ConfigError, GovAIError
from govai.policy.audit.canonical import GENESIS, canonical, payload_digest, record_hash

log = logging.getLogger(__name__)

KINDS = ("request", "prune", "erase")
_LOCK_CLASS = 7423008  # first half of the (class, service) advisory lock key


class AuditError(GovAIError):
    """The audit trail refuses an operation or cannot record it (e.g. pruning a broken chain)."""


@dataclass(frozen=True)
class Header:
    """What a record's hash covers directly (the payload through its digest)."""

    service: str
    seq: int
    prev_hash: str
    kind: str
    payload_digest: str
    row_hash: str

    def computed_hash(self, seq: int | None = None) -> str:
        """The hash of this header, optionally as if it had been written at another seq."""
        return record_hash(self.service, self.seq if seq is None else seq, self.prev_hash, self.kind,
                           self.payload_digest)

    def header_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(Header)}


@dataclass(frozen=True)
class StoredRecord(Header):
    """One row of ``audit_log``, every column."""

    salt: str | None  # None once an erasure has redacted the payload
    payload: str  # canonical JSON
    at: datetime
    request_id: str | None
    conversation_id: str | None
    classification: str | None
    outcome: str
    provider: str | None
    cost_gbp: float

    def as_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["at"] = self.at.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoredRecord:
        values = {f.name: data[f.name] for f in fields(cls)}
        values["at"] = datetime.fromisoformat(values["at"])
        return cls(**values)


COLUMNS = tuple(f.name for f in fields(StoredRecord))
SELECT = f"SELECT {', '.join(COLUMNS)} FROM audit_log"
DERIVED = ("service", "at", "request_id", "conversation_id", "classification", "outcome", "provider", "cost_gbp")


def _text(payload: dict[str, Any], key: str) -> str | None:
    value = payload.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"an audit payload's {key!r} must be a string")
    return value


def derive(payload: dict[str, Any]) -> dict[str, Any]:
    """The queryable columns, computed from a payload: the only way they are set."""
    at = payload.get("at")
    if not isinstance(at, str):
        raise ValueError("an audit payload needs 'at', an ISO 8601 timestamp")
    when = datetime.fromisoformat(at)
    if when.tzinfo is None:
        raise ValueError("an audit payload's 'at' needs a time zone (use UTC)")
    usage = payload.get("usage") or {}
    cost = (usage.get("cost_gbp") if isinstance(usage, dict) else None) or 0.0
    if isinstance(cost, bool) or not isinstance(cost, int | float):
        raise ValueError("an audit payload's usage.cost_gbp must be a number")
    return {
        "service": _text(payload, "service"),
        "at": when,
        "request_id": _text(payload, "request_id"),
        "conversation_id": _text(payload, "conversation_id"),
        "classification": _text(payload, "classification"),
        "outcome": _text(payload, "outcome") or "unknown",
        "provider": _text(payload, "provider"),
        "cost_gbp": float(cost),
    }


def build(service: str, seq: int, prev: str, kind: str, payload: dict[str, Any]) -> StoredRecord:
    """A new record, salted and hashed."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit record kind {kind!r}")
    text = canonical(payload)
    columns = derive(json.loads(text))  # from the stored text, exactly as verification will
    if columns["service"] != service:
        raise ValueError("an audit payload's 'service' must name the chain it is appended to")
    salt = secrets.token_hex(16)
    digest = payload_digest(text, salt)
    return StoredRecord(
        seq=seq, prev_hash=prev, kind=kind, payload_digest=digest,
        row_hash=record_hash(service, seq, prev, kind, digest), salt=salt, payload=text, **columns,
    )


def lock_service(conn: psycopg.Connection, service: str) -> None:
    """Serialise writers of one service's chain until the transaction ends."""
    key = int.from_bytes(hashlib.sha256(service.encode("utf-8", "surrogatepass")).digest()[:4], "big", signed=True)
    conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (_LOCK_CLASS, key))


def head(conn: psycopg.Connection, service: str) -> tuple[int, str]:
    """(seq, hash) of the newest record, or (0, GENESIS) for an empty chain."""
    row = conn.execute(
        "SELECT seq, row_hash FROM audit_log WHERE service = %s ORDER BY seq DESC LIMIT 1", (service,)
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def services(conn: psycopg.Connection) -> list[str]:
    """Every service with a chain (a loose index scan: fast on a big table)."""
    rows = conn.execute(
        "WITH RECURSIVE s(service) AS ("
        " SELECT min(service) FROM audit_log"
        " UNION ALL SELECT (SELECT min(service) FROM audit_log WHERE service > s.service) FROM s"
        " WHERE s.service IS NOT NULL) SELECT service FROM s WHERE service IS NOT NULL"
    )
    return [r[0] for r in rows]


def scalar(conn: psycopg.Connection, sql: str, params: tuple[Any, ...]) -> Any:
    """The single value of an aggregate query (None for an aggregate over no rows)."""
    row = conn.execute(sql, params).fetchone()
    return row[0] if row else None


def record_at(conn: psycopg.Connection, service: str, seq: int) -> StoredRecord | None:
    row = conn.execute(f"{SELECT} WHERE service = %s AND seq = %s", (service, seq)).fetchone()
    return StoredRecord(*row) if row else None


_INSERT = f"INSERT INTO audit_log ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"


def insert(conn: psycopg.Connection, record: StoredRecord) -> None:
    conn.execute(_INSERT, tuple(getattr(record, c) for c in COLUMNS))


def append_locked(conn: psycopg.Connection, kind: str, payload: dict[str, Any]) -> StoredRecord:
    """Append at the head; the caller holds the service's lock in an open transaction."""
    return append_many_locked(conn, kind, [payload])[0]


def append_many_locked(conn: psycopg.Connection, kind: str, payloads: list[dict[str, Any]]) -> list[StoredRecord]:
    """Append records of one service at the head, in order (the head is read once, and the rows
    written in one round trip); the caller holds the service's lock in an open transaction."""
    services = {payload.get("service") for payload in payloads}
    service = services.pop() if len(services) == 1 else None
    if not isinstance(service, str) or not service:
        raise ValueError("every audit payload needs 'service', the one chain they are appended to")
    seq, prev = head(conn, service)
    records = []
    for payload in payloads:
        seq += 1
        record = build(service, seq, prev, kind, payload)
        records.append(record)
        prev = record.row_hash
    if len(records) == 1:
        insert(conn, records[0])
    else:
        with conn.cursor() as cursor:
            cursor.executemany(_INSERT, [tuple(getattr(r, c) for c in COLUMNS) for r in records])
    return records


def checkpoint_every() -> int:
    """Appends between automatic checkpoints (``GOVAI_AUDIT_CHECKPOINT_EVERY``, 0 = never)."""
    raw = os.environ.get("GOVAI_AUDIT_CHECKPOINT_EVERY", "100")
    try:
        every = int(raw)
    except ValueError:
        raise ConfigError(f"GOVAI_AUDIT_CHECKPOINT_EVERY must be a whole number, not {raw!r}") from None
    if every < 0:
        raise ConfigError("GOVAI_AUDIT_CHECKPOINT_EVERY must be 0 (never) or more")
    return every


def append(conn: psycopg.Connection, payload: dict[str, Any]) -> str:
    """Append one request's record to its service's chain; returns the record's hash.

    Every ``checkpoint_every()`` records a signed checkpoint of the head is
    written, once the record is committed (never for a record inside a
    caller's transaction, which could still roll back).
    """
    every = checkpoint_every()
    top_level = conn.info.transaction_status == pq.TransactionStatus.IDLE
    service = str(payload.get("service") or "")
    with conn.transaction():
        lock_service(conn, service)
        record = append_locked(conn, "request", payload)
    if top_level and every and record.seq % every == 0:
        from govai.policy.audit.checkpoints import write_checkpoint

        try:
            write_checkpoint(conn, record.service, record.seq, record.row_hash)
        except (GovAIError, OSError, psycopg.Error) as exc:
            # The record itself is safely written; the gap shows in `govai audit verify`.
            log.error("audit checkpoint for service %r at seq %d not written: %s", record.service, record.seq, exc)
    return record.row_hash


def spent_gbp(conn: psycopg.Connection, service: str, since: datetime) -> float:
    """What a service has spent since ``since`` (cost_gbp is checked against each record)."""
    row = conn.execute(
        "SELECT coalesce(sum(cost_gbp), 0) FROM audit_log WHERE service = %s AND at >= %s", (service, since)
    ).fetchone()
    return float(row[0]) if row else 0.0


def period_starts(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Start of today and of this month, UTC."""
    now = now or datetime.now(UTC)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return day, day.replace(day=1)
