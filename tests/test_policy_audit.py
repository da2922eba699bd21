"""The audit step's own records chain and verify (tests/test_audit_*.py tamper with every
column; tests/test_routing_step.py checks what a record holds)."""

from __future__ import annotations

import uuid

from govai.domain import Outcome
from govai.pipeline.context import Context
from govai.pipeline.steps.audit import payload_for
from govai.policy.audit import append, verify_chain


def test_audit_chain_detects_tampering(db) -> None:
    """The audit step's own payloads chain and verify (tests/test_audit_*.py tamper with every column)."""
    service = f"svc-{uuid.uuid4().hex[:8]}"
    for q in ("one", "two", "three"):
        ctx = Context(question=q, service=service)
        ctx.outcome = Outcome.ANSWERED
        append(db.conn, payload_for(ctx))
    conn = db.conn
    assert verify_chain(conn, service).ok
    seq, payload = conn.execute(
        "SELECT seq, payload FROM audit_log WHERE service = %s ORDER BY seq DESC LIMIT 1 OFFSET 1", (service,)
    ).fetchone()
    forged = payload.replace('"classification":"OFFICIAL"', '"classification":"SECRET"')
    assert forged != payload
    with conn.transaction(force_rollback=True):
        conn.execute("UPDATE audit_log SET payload = %s WHERE service = %s AND seq = %s", (forged, service, seq))
        check = verify_chain(conn, service)
        assert not check.ok and check.broken_at == seq and "altered" in (check.problem or "")
    with conn.transaction(force_rollback=True):
        conn.execute("DELETE FROM audit_log WHERE service = %s AND seq = %s", (service, seq))
        check = verify_chain(conn, service)
        assert not check.ok and check.broken_at == seq and "removed" in (check.problem or "")
    assert verify_chain(conn, service).ok
