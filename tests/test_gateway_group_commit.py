"""The gateway's group commit (``GroupCommit``): requests arriving together share one transaction,
each waits for its own record, the chain stays whole, and a failed batch leaves the connection usable."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest

from govai.policy.audit import verify_chain
from govai.policy.audit.chain import record_at
from govai.server.gateway import GroupCommit


def payload(service: str, n: int) -> dict:
    return {"at": datetime.now(UTC).isoformat(), "service": service, "request_id": uuid.uuid4().hex,
            "outcome": "answered", "n": n}


def test_concurrent_appends_each_get_their_own_committed_record(db) -> None:  # type: ignore[no-untyped-def]
    service = f"group-{uuid.uuid4().hex[:8]}"
    writer = GroupCommit()
    hashes: dict[int, str] = {}

    def one(n: int) -> None:
        hashes[n] = writer.append(lambda: db.conn, payload(service, n))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(hashes) == 24 and len(set(hashes.values())) == 24
    conn = db.conn
    stored = [record_at(conn, service, seq) for seq in range(1, 25)]
    assert {r.row_hash for r in stored if r is not None} == set(hashes.values())
    assert verify_chain(conn, service).ok


def test_a_failed_batch_raises_for_its_requests_and_the_next_one_is_written(db) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    service = f"group-{uuid.uuid4().hex[:8]}"
    writer = GroupCommit()
    unbuilt = payload(service, 1)
    del unbuilt["at"]  # refused when the record is built, inside the transaction
    with pytest.raises(ValueError, match="'at'"):
        writer.append(lambda: db.conn, unbuilt)
    refused = {**payload(service, 2), "request_id": "nul\x00"}  # refused by PostgreSQL when the row is written
    with pytest.raises(psycopg.Error):
        writer.append(lambda: db.conn, refused)
    digest = writer.append(lambda: db.conn, payload(service, 3))
    record = record_at(db.conn, service, 1)
    assert record is not None and record.row_hash == digest
