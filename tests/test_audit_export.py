"""Exports re-verify offline, with only the file and the public key, and any
edit to the file (or a key that did not sign it) is detected."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from audit_helpers import AuditEnv, isolated_audit, new_key, payload

from govai.policy.audit import append, checkpoint
from govai.policy.audit.export import export, verify_export
from govai.policy.audit.keys import Signer
from govai.policy.audit.retention import erase


@pytest.fixture
def audit_env(db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AuditEnv]:
    yield from isolated_audit(db, tmp_path, monkeypatch)


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines()]


def write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


@pytest.fixture
def exported(audit_env: AuditEnv, tmp_path: Path) -> tuple[AuditEnv, str, Path]:
    service = audit_env.service()
    audit_env.fill(service, 6)
    out = tmp_path / "audit.jsonl"
    summary = export(audit_env.conn, out, service=service)
    assert summary["records"] == 6
    return audit_env, service, out


def test_an_export_verifies_offline_with_only_the_public_key(exported, monkeypatch: pytest.MonkeyPatch) -> None:
    env, _, out = exported
    check = verify_export(out)
    assert check.ok and check.rows == 6 and check.services[0].covered_to == 6, check.as_dict()
    public = Signer(base64.b64decode(env.key)).public_b64
    monkeypatch.setenv("GOVAI_AUDIT_KEY", new_key())  # the auditor's own, unrelated key
    assert not verify_export(out).ok
    assert verify_export(out, [public]).ok


EXPECTED = {
    "payload": "altered: record 3",
    "drop_last_record": "removed: the signed manifest says the range ends at seq 6",
    "drop_checkpoints": "unverifiable: no signed checkpoint",
    "manifest": "signature: the export manifest's signature is invalid",
    "reorder": "reordered: records 2 and 3 were swapped",
}


@pytest.mark.parametrize("edit", sorted(EXPECTED))
def test_edits_to_an_export_are_detected(exported, edit: str) -> None:
    _, _, out = exported
    rows = lines(out)
    records = [i for i, r in enumerate(rows) if r["type"] == "record"]
    if edit == "payload":
        rows[records[2]]["payload"] = rows[records[2]]["payload"].replace("OFFICIAL", "SECRET")
    elif edit == "drop_last_record":
        del rows[records[-1]]
    elif edit == "drop_checkpoints":
        rows = [r for r in rows if r["type"] != "checkpoint"]
    elif edit == "manifest":
        rows[0]["ranges"][0]["to_seq"] = 5
    elif edit == "reorder":
        rows[records[1]]["seq"], rows[records[2]]["seq"] = rows[records[2]]["seq"], rows[records[1]]["seq"]
    write(out, rows)
    check = verify_export(out)
    assert not check.ok and check.problem and check.problem.startswith(EXPECTED[edit]), check.problem


def test_a_period_exports_with_the_hash_before_it_and_links_to_a_checkpoint(audit_env: AuditEnv,
                                                                            tmp_path: Path) -> None:
    service = audit_env.service()
    conn = audit_env.conn
    audit_env.fill(service, 2, days_ago=30)
    audit_env.fill(service, 3, days_ago=10)
    checkpoint(conn, service)  # at 5
    audit_env.fill(service, 2, days_ago=0)
    out = tmp_path / "period.jsonl"
    since = datetime.now(UTC) - timedelta(days=20)
    export(conn, out, service=service, since=since, until=datetime.now(UTC) - timedelta(days=5))
    rows = lines(out)
    assert rows[0]["ranges"][0]["from_seq"] == 3 and rows[0]["ranges"][0]["to_seq"] == 5
    assert rows[0]["ranges"][0]["prev_hash"] == conn.execute(
        "SELECT row_hash FROM audit_log WHERE service = %s AND seq = 2", (service,)).fetchone()[0]
    assert [r["seq"] for r in rows if r["type"] == "record"] == [3, 4, 5]
    assert [r["seq"] for r in rows if r["type"] == "link"] == []  # the checkpoint at 5 closes the range
    check = verify_export(out)
    assert check.ok, check.as_dict()
    # A period ending before any checkpoint links on to the next one, headers only.
    export(conn, out, service=service, until=datetime.now(UTC) - timedelta(days=20))
    rows = lines(out)
    assert [r["seq"] for r in rows if r["type"] == "link"] == [3, 4, 5]
    assert all("payload" not in r for r in rows if r["type"] == "link")
    assert verify_export(out).ok


def test_an_export_of_erased_records_carries_the_erasure_proof(audit_env: AuditEnv, tmp_path: Path) -> None:
    service = audit_env.service()
    conn = audit_env.conn
    append(conn, payload(service, conversation_id="c-9", days_ago=10))
    append(conn, payload(service, days_ago=10))
    erase(conn, "c-9")
    out = tmp_path / "erased.jsonl"
    export(conn, out, service=service, until=datetime.now(UTC) - timedelta(days=5))
    rows = lines(out)
    assert [r["type"] for r in rows].count("erasure") == 1 and "c-9" not in out.read_text()
    assert verify_export(out).ok
    write(out, [r for r in rows if r["type"] != "erasure"])
    assert verify_export(out).broken_at == 1
