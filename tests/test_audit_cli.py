"""``govai audit``: exit codes, and results on stdout with diagnostics on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from audit_helpers import AuditEnv, isolated_audit, payload
from typer.testing import CliRunner

from govai.cli.main import app
from govai.policy.audit import append


@pytest.fixture
def audit_env(db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AuditEnv]:
    yield from isolated_audit(db, tmp_path, monkeypatch)


runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["audit", *args], catch_exceptions=False)


def test_verify_exit_codes_and_streams(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    audit_env.fill(service, 3)
    result = invoke("verify", "--service", service)
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith(f"{service}: ok: 3 records (seq 1..3), not checkpointed yet")
    result = invoke("verify", "--service", service, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["ok"] is True

    audit_env.conn.execute("UPDATE audit_log SET cost_gbp = 0 WHERE service = %s AND seq = 2", (service,))
    result = invoke("verify", "--service", service)
    assert result.exit_code == 1 and result.stderr == ""
    assert result.stdout.startswith(f"{service}: FAILED at seq 2: altered: record 2: column cost_gbp")
    report = json.loads(invoke("verify", "--service", service, "--json").stdout)
    assert report["ok"] is False
    assert report["services"][0]["findings"][0] == {
        "kind": "altered", "seq": 2, "message": "record 2: column cost_gbp does not match the record's payload"}


def test_checkpoint_then_truncation_fails_verify(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    audit_env.fill(service, 2)
    written = json.loads(invoke("checkpoint", "--service", service, "--json").stdout)
    assert [(c["service"], c["seq"]) for c in written] == [(service, 2)]
    audit_env.conn.execute("DELETE FROM audit_log WHERE service = %s AND seq = 2", (service,))
    result = invoke("verify", "--service", service)
    assert result.exit_code == 1 and "truncated after checkpoint 2" in result.stdout


def test_export_and_verify_a_file(audit_env: AuditEnv, tmp_path: Path) -> None:
    service = audit_env.service()
    audit_env.fill(service, 4)
    out = tmp_path / "export.jsonl"
    result = invoke("export", "--service", service, "--out", str(out), "--since", "2000-01-01")
    assert result.exit_code == 0 and result.stdout == f"{service}: seq 1..4\n"
    assert "Wrote 4 records" in result.stderr
    result = invoke("verify", "--file", str(out), "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["records"] == 4
    out.write_text(out.read_text().replace('"answered"', '"refused"', 1))
    assert invoke("verify", "--file", str(out)).exit_code == 1

    missing = invoke("verify", "--file", str(tmp_path / "nope.jsonl"))
    assert missing.exit_code == 1 and missing.stdout == "" and "does not exist" in missing.stderr
    bad_date = invoke("export", "--out", str(out), "--since", "last tuesday")
    assert bad_date.exit_code == 1 and bad_date.stdout == "" and "ISO 8601" in bad_date.stderr


def test_prune_uses_the_profile_retention(audit_env: AuditEnv, tmp_path: Path) -> None:
    from govai.profiles import load_profile

    service = audit_env.service()
    audit_env.fill(service, 2, days_ago=40)
    audit_env.fill(service, 1)
    profile = load_profile("default").model_dump(mode="json")
    profile.update(name=service, retention={**profile["retention"], "audit_days": 30})
    path = tmp_path / "service.yaml"
    path.write_text(yaml.safe_dump(profile), encoding="utf-8")

    result = invoke("prune", "--service", service, "--profile", str(path), "--dry-run")
    assert result.exit_code == 0 and result.stdout == f"{service}: would remove 2 records older than 30 days (seq 1..2)\n"
    result = invoke("prune", "--service", service, "--profile", str(path), "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["pruned"] == 2
    assert invoke("verify", "--service", service).exit_code == 0

    other = invoke("prune", "--service", "someone-else", "--profile", str(path))
    assert other.exit_code == 1 and other.stdout == "" and "no profile given" in other.stderr


def test_erase_a_conversation(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    append(audit_env.conn, payload(service, conversation_id="conv-cli"))
    result = invoke("erase", "conv-cli", "--service", service)
    assert result.exit_code == 0 and result.stdout == f"{service}: redacted 1 records, erase record at seq 2\n"
    assert "conv-cli" not in result.stdout + result.stderr
    again = invoke("erase", "conv-cli")
    assert again.exit_code == 0 and again.stdout == "" and "No audit records" in again.stderr
    assert invoke("verify", "--service", service).exit_code == 0


def test_a_real_process_keeps_json_on_stdout(audit_env: AuditEnv) -> None:
    service = audit_env.service()
    audit_env.fill(service, 2)
    key = json.loads(invoke("key", "--json").stdout)
    assert set(key) == {"key_id", "public_key"} and audit_env.key not in json.dumps(key)
    cmd = [str(Path(sys.executable).parent / "govai"), "audit", "verify", "--service", service, "--json"]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["services"][0]["records"] == 2
    audit_env.conn.execute("UPDATE audit_log SET provider = 'x' WHERE service = %s AND seq = 1", (service,))
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and json.loads(done.stdout)["ok"] is False
