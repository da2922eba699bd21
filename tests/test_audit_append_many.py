"""Several records appended to one chain in one transaction (``append_many_locked``, the
gateway's group commit): one after another, as if each had been appended alone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from govai.policy.audit import append, verify_chain
from govai.policy.audit.chain import append_many_locked, lock_service, record_at


def payload(service: str, n: int) -> dict:
    return {"at": datetime.now(UTC).isoformat(), "service": service, "request_id": uuid.uuid4().hex,
            "outcome": "answered", "n": n}


def test_a_batch_continues_the_chain_and_verifies(db) -> None:  # type: ignore[no-untyped-def]
    service = f"batch-{uuid.uuid4().hex[:8]}"
    conn = db.conn
    append(conn, payload(service, 0))
    with conn.transaction():
        lock_service(conn, service)
        records = append_many_locked(conn, "request", [payload(service, n) for n in (1, 2, 3)])
    append(conn, payload(service, 4))
    assert [r.seq for r in records] == [2, 3, 4]
    first = record_at(conn, service, 1)
    assert first is not None and records[0].prev_hash == first.row_hash
    assert [r.prev_hash for r in records[1:]] == [r.row_hash for r in records[:-1]]
    fifth = record_at(conn, service, 5)
    assert fifth is not None and fifth.prev_hash == records[-1].row_hash
    assert verify_chain(conn, service).ok


def test_a_batch_spanning_two_chains_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    conn = db.conn
    with pytest.raises(ValueError, match="one chain"), conn.transaction():
        append_many_locked(conn, "request", [payload("batch-x", 1), payload("batch-y", 2)])
