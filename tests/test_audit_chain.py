"""Tampering with the audit table in every way we can think of is detected by
``verify_chain``; concurrent appends from several processes keep valid chains
(against the real embedded PostgreSQL)."""

from __future__ import annotations

import base64
import json
import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from audit_helpers import AuditEnv, append_many, isolated_audit, new_key, payload

from govai.policy.audit import append, checkpoint, spent_gbp, verify_chain
from govai.policy.audit.checkpoints import Checkpoint, sign
from govai.policy.audit.keys import Signer


@pytest.fixture
def audit_env(db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AuditEnv]:
    yield from isolated_audit(db, tmp_path, monkeypatch)


# One way to tamper with each column of audit_log, and what verify should call it.
TAMPER = {
    "service": ("service = service || '-moved'", "removed"),
    "seq": ("seq = seq + 1000", "removed"),
    "prev_hash": ("prev_hash = md5(prev_hash) || md5(row_hash)", "altered"),
    "kind": ("kind = 'erase'", "altered"),
    "payload_digest": ("payload_digest = md5(payload) || md5(payload)", "altered"),
    "row_hash": ("row_hash = md5(row_hash) || md5(prev_hash)", "altered"),
    "salt": ("salt = md5(salt)", "altered"),
    "payload": ("payload = replace(payload, '\"outcome\":\"answered\"', '\"outcome\":\"refused\"')", "altered"),
    "at": ("at = at - interval '1 day'", "altered"),
    "request_id": ("request_id = md5(request_id)", "altered"),
    "conversation_id": ("conversation_id = md5(conversation_id)", "altered"),
    "classification": ("classification = 'SECRET'", "altered"),
    "outcome": ("outcome = 'refused'", "altered"),
    "provider": ("provider = 'cloud-paid'", "altered"),
    "cost_gbp": ("cost_gbp = 0", "altered"),
}


def test_every_column_has_a_tamper_test(db) -> None:
    columns = {r[0] for r in db.conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_log'")}
    assert columns == set(TAMPER)


@pytest.mark.parametrize("column", sorted(TAMPER))
def test_tampering_with_a_column_is_detected(audit_env: AuditEnv, column: str) -> None:
    service = audit_env.service()
    audit_env.fill(service, 5)
    conn = audit_env.conn
    assert verify_chain(conn, service).ok
    change, kind = TAMPER[column]
    with conn.transaction(force_rollback=True):
        updated = conn.execute(f"UPDATE audit_log SET {change} WHERE service = %s AND seq = 3", (service,))
        assert updated.rowcount == 1
        check = verify_chain(conn, service)
        assert not check.ok
        first = check.services[0].findings[0]
        assert (first.kind, first.seq, check.broken_at) == (kind, 3, 3), first
        assert str(first) == check.problem
    assert verify_chain(conn, service).ok


def test_redacting_a_record_without_an_erasure_is_detected(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    audit_env.fill(service, 3)
    conn = audit_env.conn
    with conn.transaction(force_rollback=True):
        conn.execute("UPDATE audit_log SET salt = NULL WHERE service = %s AND seq = 2", (service,))
        check = verify_chain(conn, service)
        assert (check.broken_at, check.services[0].findings[0].kind) == (2, "altered")
        assert "no signed erasure record" in (check.problem or "")


@pytest.mark.parametrize(("seq", "problem"), [(1, "records 1..1 are missing"), (3, "records 3..3 are missing")])
def test_deleting_the_first_or_a_middle_record_is_detected(audit_env: AuditEnv, seq: int, problem: str) -> None:
    service = audit_env.service()
    audit_env.fill(service, 5)
    conn = audit_env.conn
    with conn.transaction(force_rollback=True):
        conn.execute("DELETE FROM audit_log WHERE service = %s AND seq = %s", (service, seq))
        check = verify_chain(conn, service)
        first = check.services[0].findings[0]
        assert (first.kind, first.seq) == ("removed", seq) and problem in first.message


def test_deleting_the_newest_records_is_detected_by_checkpoints(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    audit_env.fill(service, 5)
    conn = audit_env.conn
    [cp] = checkpoint(conn, service)
    assert cp.seq == 5 and verify_chain(conn, service).services[0].covered_to == 5
    with conn.transaction(force_rollback=True):
        conn.execute("DELETE FROM audit_log WHERE service = %s AND seq >= 4", (service,))
        check = verify_chain(conn, service)
        first = check.services[0].findings[0]
        assert (first.kind, first.seq) == ("truncated", 4)
        assert "truncated after checkpoint 5" in first.message
    with conn.transaction(force_rollback=True):  # the whole chain gone: the checkpoint file still knows it
        conn.execute("DELETE FROM audit_log WHERE service = %s", (service,))
        conn.execute("DELETE FROM audit_checkpoint WHERE service = %s", (service,))
        check = verify_chain(conn)
        assert [f.kind for s in check.services if s.service == service for f in s.findings] == ["truncated"]


def test_swapping_two_records_is_reported_as_reordered(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    audit_env.fill(service, 5)
    conn = audit_env.conn
    with conn.transaction(force_rollback=True):
        for old, new in ((2, 1002), (4, 2), (1002, 4)):
            conn.execute("UPDATE audit_log SET seq = %s WHERE service = %s AND seq = %s", (new, service, old))
        check = verify_chain(conn, service)
        first = check.services[0].findings[0]
        assert (first.kind, first.seq) == ("reordered", 2) and "2 and 4 were swapped" in first.message


def test_inserting_a_record_is_detected(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    audit_env.fill(service, 4)
    conn = audit_env.conn
    from govai.policy.audit.chain import build, insert

    with conn.transaction(force_rollback=True):
        # A well-formed forgery at seq 3, after moving the real records 3..4 along.
        conn.execute("UPDATE audit_log SET seq = seq + 100 WHERE service = %s AND seq >= 3", (service,))
        conn.execute("UPDATE audit_log SET seq = seq - 99 WHERE service = %s AND seq >= 103", (service,))
        prev = conn.execute("SELECT row_hash FROM audit_log WHERE service = %s AND seq = 2", (service,)).fetchone()[0]
        insert(conn, build(service, 3, prev, "request", payload(service)))
        check = verify_chain(conn, service)
        first = check.services[0].findings[0]
        assert (first.kind, first.seq) == ("inserted", 3), first


def test_restoring_an_old_backup_is_detected(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    conn = audit_env.conn
    audit_env.fill(service, 3)
    checkpoint(conn, service)
    # The "backup": both audit tables as they are now.
    conn.execute("CREATE TEMP TABLE backup_log AS SELECT * FROM audit_log WHERE service = %s", (service,))
    conn.execute("CREATE TEMP TABLE backup_cp AS SELECT * FROM audit_checkpoint WHERE service = %s", (service,))
    try:
        audit_env.fill(service, 2)
        checkpoint(conn, service)
        assert verify_chain(conn, service).ok
        conn.execute("DELETE FROM audit_log WHERE service = %s", (service,))
        conn.execute("DELETE FROM audit_checkpoint WHERE service = %s", (service,))
        conn.execute("INSERT INTO audit_log SELECT * FROM backup_log")
        conn.execute("INSERT INTO audit_checkpoint SELECT * FROM backup_cp")
        check = verify_chain(conn, service)
        assert [(f.kind, f.seq) for f in check.services[0].findings] == [("truncated", 4)]
        # Appending after the restore rewrites seq 4 and 5: the checkpoint at 5 disagrees.
        audit_env.fill(service, 2)
        check = verify_chain(conn, service)
        assert [(f.kind, f.seq) for f in check.services[0].findings] == [("altered", 5)]
        assert "old backup" in check.problem
    finally:
        conn.execute("DROP TABLE backup_log, backup_cp")


def _forge_in_file(env: AuditEnv, cp: Checkpoint) -> None:
    with env.checkpoints.open("a", encoding="ascii") as f:
        f.write(json.dumps(cp.as_dict()) + "\n")


def test_forged_checkpoints_are_detected(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    conn = audit_env.conn
    audit_env.fill(service, 3)
    [real] = checkpoint(conn, service)
    assert verify_chain(conn, service).ok
    # Signed by another key, claiming the chain was longer.
    other = sign(Signer(base64.b64decode(new_key())), service, 9, "ab" * 32)
    _forge_in_file(audit_env, other)
    check = verify_chain(conn, service)
    assert [(f.kind, f.seq) for f in check.services[0].findings] == [("checkpoint", 9)]
    assert "invalid signature" in check.problem
    # A real signature moved onto another hash, this time in the table.
    audit_env.checkpoints.write_text(audit_env.checkpoints.read_text().splitlines(keepends=True)[0])
    with conn.transaction(force_rollback=True):
        conn.execute("UPDATE audit_checkpoint SET row_hash = %s WHERE service = %s", ("cd" * 32, service))
        check = verify_chain(conn, service)
        assert [(f.kind, f.seq) for f in check.services[0].findings] == [("checkpoint", real.seq)]
    # A torn or garbage line in the checkpoint file is a problem too.
    with audit_env.checkpoints.open("a", encoding="ascii") as f:
        f.write('{"service": "half a line\n')
    check = verify_chain(conn, service)
    assert not check.ok and check.problems and "is not a checkpoint" in check.problems[0].message


def test_checkpoints_cannot_be_checked_without_a_key(audit_env: AuditEnv, monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    service = audit_env.service()
    audit_env.fill(service, 2)
    checkpoint(audit_env.conn, service)
    public = Signer(base64.b64decode(audit_env.key)).public_b64
    monkeypatch.delenv("GOVAI_AUDIT_KEY")
    monkeypatch.setattr("govai.policy.audit.keys.default_key_file", lambda: tmp_path / "no.key")
    check = verify_chain(audit_env.conn, service)
    assert [f.kind for f in check.services[0].findings] == ["unverifiable"]
    assert not (tmp_path / "no.key").exists()  # verifying never makes a key
    assert verify_chain(audit_env.conn, service, public_keys=[public]).ok  # the public half is enough


def test_automatic_checkpoints_every_n_appends(audit_env: AuditEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVAI_AUDIT_CHECKPOINT_EVERY", "3")
    service = audit_env.service()
    audit_env.fill(service, 7)
    with audit_env.conn.transaction(force_rollback=True):
        audit_env.fill(service, 2)  # seq 9 inside a caller's transaction: no checkpoint of a record that may vanish
    lines = [json.loads(x) for x in audit_env.checkpoints.read_text().splitlines()]
    assert [cp["seq"] for cp in lines if cp["service"] == service] == [3, 6]
    check = verify_chain(audit_env.conn, service).services[0]
    assert (check.ok, check.checkpoints, check.covered_to, check.uncovered) == (True, 2, 6, 1)


def test_budgets_read_only_verified_columns(audit_env: AuditEnv) -> None:
    from datetime import UTC, datetime

    service = audit_env.service()
    audit_env.fill(service, 2, cost=0.25)
    assert spent_gbp(audit_env.conn, service, datetime(2000, 1, 1, tzinfo=UTC)) == pytest.approx(0.5)


def test_appending_refuses_payloads_it_cannot_keep(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    for bad in ({"at": "2025-01-01T00:00:00"}, {"score": float("nan")}, {"service": ""}, {"x": object()}, {"at": None}):
        with pytest.raises((ValueError, TypeError)):
            append(audit_env.conn, {**payload(service), **bad})
    assert verify_chain(audit_env.conn, service).services[0].records == 0


def test_services_lock_separately(audit_env: AuditEnv, db) -> None:
    a, b = audit_env.service(), audit_env.service()
    holder, other = db.connect(), db.connect()
    try:
        other.execute("SET lock_timeout = '1s'")
        with holder.transaction():
            append(holder, payload(a))  # holds a's lock until this transaction ends
            append(other, payload(b))  # another service does not wait
            with pytest.raises(psycopg.errors.LockNotAvailable):
                append(other, payload(a))
        append(other, payload(a))
        assert all(s.ok and s.records == n for s, n in zip(verify_chain(other, a).services, [2]))
    finally:
        holder.close()
        other.close()


def test_concurrent_appends_from_many_processes(audit_env: AuditEnv, db, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVAI_AUDIT_CHECKPOINT_EVERY", "10")  # checkpoint writers race too
    services = [audit_env.service(), audit_env.service()]
    ctx = multiprocessing.get_context("spawn")
    workers, per_worker = 4, 30
    barrier = ctx.Barrier(workers)
    procs = [ctx.Process(target=append_many, args=(db.url, services, per_worker, barrier)) for _ in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * workers
    check = verify_chain(audit_env.conn)
    mine = {s.service: s for s in check.services if s.service in services}
    assert {s: (c.ok, c.records, c.head_seq) for s, c in mine.items()} == {
        s: (True, workers * per_worker // 2, workers * per_worker // 2) for s in services
    }
    assert all(c.checkpoints == 6 for c in mine.values())
