"""Retention (prune) and erasure are recorded in the chain, which still verifies;
doing either without the key is detected."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from audit_helpers import AuditEnv, isolated_audit, new_key, payload

from govai.policy.audit import admin, append, checkpoint, spent_gbp, verify_chain
from govai.policy.audit.chain import append_locked, lock_service
from govai.policy.audit.keys import Signer
from govai.policy.audit.retention import AuditError, erase, prune


@pytest.fixture
def audit_env(db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AuditEnv]:
    yield from isolated_audit(db, tmp_path, monkeypatch)


def seqs(env: AuditEnv, service: str) -> list[tuple[int, str]]:
    return [(s, k) for s, k in env.conn.execute(
        "SELECT seq, kind FROM audit_log WHERE service = %s ORDER BY seq", (service,))]


def test_prune_removes_old_records_and_the_chain_still_verifies(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    audit_env.fill(service, 3, days_ago=400)
    audit_env.fill(service, 1, days_ago=10)
    audit_env.fill(service, 1, days_ago=500)  # out of order: kept, pruning only removes a prefix
    checkpoint(audit_env.conn, service)
    assert prune(audit_env.conn, service, 365, dry_run=True).pruned == 3
    assert len(seqs(audit_env, service)) == 5
    result = prune(audit_env.conn, service, 365)
    assert (result.pruned, result.from_seq, result.to_seq, result.record_seq) == (3, 1, 3, 6)
    assert seqs(audit_env, service) == [(4, "request"), (5, "request"), (6, "prune")]
    check = verify_chain(audit_env.conn, service).services[0]
    assert (check.ok, check.pruned_to, check.first_seq, check.covered_to) == (True, 3, 4, 6), check.findings
    assert prune(audit_env.conn, service, 365).pruned == 0
    audit_env.fill(service, 2)
    assert verify_chain(audit_env.conn, service).ok


def test_a_later_prune_may_remove_an_earlier_prune_record(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    audit_env.fill(service, 2, days_ago=800)
    audit_env.fill(service, 2, days_ago=10)
    prune(audit_env.conn, service, 365)  # removes 1..2, appends seq 5
    later = datetime.now(UTC) + timedelta(days=400)
    result = prune(audit_env.conn, service, 365, now=later)  # everything is old by then
    assert (result.from_seq, result.to_seq, result.record_seq) == (3, 5, 6)
    assert seqs(audit_env, service) == [(6, "prune")]
    check = verify_chain(audit_env.conn, service).services[0]
    assert check.ok and check.pruned_to == 5, check.findings


def test_deleting_old_records_without_the_key_is_detected(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    audit_env.fill(service, 4, days_ago=400)
    conn = audit_env.conn
    with conn.transaction(force_rollback=True):
        # A forger deletes the prefix and writes a prune record signed with some other key.
        removed = conn.execute("SELECT row_hash FROM audit_log WHERE service = %s AND seq = 2", (service,)).fetchone()
        conn.execute("DELETE FROM audit_log WHERE service = %s AND seq <= 2", (service,))
        forged = admin.signed("prune", {
            "at": datetime.now(UTC).isoformat(), "service": service, "outcome": "pruned",
            "pruned": {"from_seq": 1, "to_seq": 2, "count": 2, "from_prev": "0" * 64, "to_hash": removed[0]},
        }, Signer(base64.b64decode(new_key())))
        lock_service(conn, service)
        append_locked(conn, "prune", forged)
        check = verify_chain(conn, service)
        first = check.services[0].findings[0]
        assert (first.kind, first.seq) == ("removed", 1) and "no signed prune record" in first.message


def test_pruning_refuses_a_chain_that_does_not_verify(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    audit_env.fill(service, 3, days_ago=400)
    conn = audit_env.conn
    conn.execute("UPDATE audit_log SET outcome = 'refused' WHERE service = %s AND seq = 2", (service,))
    with pytest.raises(AuditError, match="refusing to prune"):
        prune(conn, service, 365)
    assert len(seqs(audit_env, service)) == 3


def test_erasure_redacts_one_conversation_and_the_chain_still_verifies(audit_env: AuditEnv) -> None:
    conn = audit_env.conn
    s1, s2 = audit_env.service(), audit_env.service()
    person = "conv-" + new_key()[:12]
    append(conn, payload(s1, conversation_id=person, cost=0.5, question="pseudonymised text", answer="reply"))
    append(conn, payload(s1))
    append(conn, payload(s1, conversation_id=person, cost=0.25))
    append(conn, payload(s2, conversation_id=person))
    before = spent_gbp(conn, s1, datetime(2000, 1, 1, tzinfo=UTC))
    results = erase(conn, person)
    assert [(r.service, r.records, r.record_seq) for r in sorted(results, key=lambda r: r.service != s1)] == [
        (s1, [1, 3], 4), (s2, [1], 2)]
    for service in (s1, s2):
        check = verify_chain(conn, service).services[0]
        assert check.ok, check.findings
    assert verify_chain(conn, s1).services[0].redacted == 2
    # Nothing about the conversation is left, in any column; the decision and its cost are.
    dump = json.dumps([list(r) for r in conn.execute(
        "SELECT * FROM audit_log WHERE service = ANY(%s)", ([s1, s2],))], default=str)
    assert person not in dump and "pseudonymised text" not in dump
    kept = json.loads(conn.execute("SELECT payload FROM audit_log WHERE service = %s AND seq = 1", (s1,)).fetchone()[0])
    assert kept["outcome"] == "answered" and "question_sha256" not in kept and "conversation_id" not in kept
    assert set(kept["redacted"]) >= {"answer", "answer_sha256", "conversation_id", "question", "steps"}
    assert spent_gbp(conn, s1, datetime(2000, 1, 1, tzinfo=UTC)) == pytest.approx(before)
    assert erase(conn, person) == []  # already erased


def test_a_redacted_record_cannot_be_edited_afterwards(audit_env: AuditEnv) -> None:
    conn = audit_env.conn
    service = audit_env.service()
    append(conn, payload(service, conversation_id="c-1"))
    append(conn, payload(service))
    erase(conn, "c-1")
    with conn.transaction(force_rollback=True):
        conn.execute("UPDATE audit_log SET payload = replace(payload, '\"answered\"', '\"refused\"'),"
                     " outcome = 'refused' WHERE service = %s AND seq = 1", (service,))
        check = verify_chain(conn, service)
        assert check.broken_at == 1 and "erasure record vouches for" in (check.problem or "")
    with conn.transaction(force_rollback=True):  # blanking another record and calling it erased
        conn.execute("UPDATE audit_log SET salt = NULL WHERE service = %s AND seq = 2", (service,))
        assert verify_chain(conn, service).broken_at == 2
