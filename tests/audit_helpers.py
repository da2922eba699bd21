"""Shared helpers for the audit trail tests: an isolated key and checkpoint file,
payloads shaped like the audit step's, and a worker for multiprocess appends."""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest


def payload(service: str, *, days_ago: float = 0, conversation_id: str | None = None, cost: float = 0.01,
            **extra: Any) -> dict[str, Any]:
    """A record like the one the audit step writes for one request."""
    at = datetime.now(UTC) - timedelta(days=days_ago)
    return {
        "at": at.isoformat(),
        "request_id": uuid.uuid4().hex,
        "conversation_id": conversation_id or uuid.uuid4().hex,
        "service": service,
        "kb": "default",
        "classification": "OFFICIAL",
        "outcome": "answered",
        "reason": None,
        "provider": "extractive",
        "route": {"provider": "extractive", "rejected": {}},
        "flags": [],
        "usage": {"provider": "extractive", "model": None, "prompt_tokens": 3, "completion_tokens": 5,
                  "cost_gbp": cost},
        "retrieved": ["/a", "/b"],
        "citations": ["/a"],
        "steps": [{"step": "normalise", "ms": 0.1, "detail": {}}],
        "question_sha256": secrets.token_hex(32),
        "answer_sha256": secrets.token_hex(32),
        **extra,
    }


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass
class AuditEnv:
    """A private signing key and checkpoint file; services it names are removed afterwards."""

    conn: psycopg.Connection
    checkpoints: Path
    key: str
    services: list[str] = field(default_factory=list)

    def service(self) -> str:
        name = f"t-audit-{uuid.uuid4().hex[:10]}"
        self.services.append(name)
        return name

    def fill(self, service: str, n: int, **kw: Any) -> list[str]:
        from govai.policy.audit import append

        return [append(self.conn, payload(service, **kw)) for _ in range(n)]


def isolated_audit(db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AuditEnv]:
    """Body of each test module's ``audit_env`` fixture."""
    key = new_key()
    monkeypatch.setenv("GOVAI_AUDIT_KEY", key)
    monkeypatch.setenv("GOVAI_AUDIT_CHECKPOINTS", str(tmp_path / "checkpoints.jsonl"))
    monkeypatch.setenv("GOVAI_AUDIT_CHECKPOINT_EVERY", "0")
    monkeypatch.delenv("GOVAI_AUDIT_KEY_FILE", raising=False)
    monkeypatch.delenv("GOVAI_AUDIT_PUBLIC_KEYS", raising=False)
    env = AuditEnv(db.conn, tmp_path / "checkpoints.jsonl", key)
    yield env
    # Other tests verify every chain in the shared database with the default key.
    for table in ("audit_log", "audit_checkpoint"):
        db.conn.execute(f"DELETE FROM {table} WHERE service LIKE 't-audit-%'")


def append_many(url: str, services: list[str], n: int, barrier: Any) -> None:
    """Worker for multiprocess tests: append ``n`` records, alternating services."""
    from govai.policy.audit import append

    with psycopg.connect(url, autocommit=True) as conn:
        barrier.wait()
        for i in range(n):
            append(conn, payload(services[i % len(services)]))
