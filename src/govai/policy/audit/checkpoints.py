"""Signed checkpoints of each chain's head, kept outside the audit table.

A checkpoint says "service S had seq N with hash H", signed with the audit key.
It goes to two places: a JSON Lines file (``GOVAI_AUDIT_CHECKPOINTS``, default
``$GOVAI_HOME/audit/checkpoints.jsonl``) and the ``audit_checkpoint`` table. The
file is what catches truncation and restored backups: rolling the database back
does not roll it back (keep it on other, append-only storage in production).
The table lets every host see every checkpoint; both are read on verification.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from govai.config import get_settings
from govai.policy.audit.canonical import canonical
from govai.policy.audit.chain import AuditError, head, services
from govai.policy.audit.keys import Signer, Verifier, load_signer


@dataclass(frozen=True)
class Checkpoint:
    service: str
    seq: int
    row_hash: str
    signed_at: str
    key_id: str
    signature: str

    @staticmethod
    def message(service: str, seq: int, row_hash: str, signed_at: str) -> str:
        return canonical({"type": "govai-audit-checkpoint", "v": 1, "service": service, "seq": seq,
                          "row_hash": row_hash, "signed_at": signed_at})

    def valid(self, verifier: Verifier) -> bool:
        return verifier.verify(self.key_id, self.message(self.service, self.seq, self.row_hash, self.signed_at),
                               self.signature)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Checkpoint:
        if not isinstance(data, dict):
            raise ValueError("a checkpoint is a JSON object")
        cp = cls(**{k: data[k] for k in ("service", "seq", "row_hash", "signed_at", "key_id", "signature")})
        if not (isinstance(cp.seq, int) and all(isinstance(v, str) for v in
                                                 (cp.service, cp.row_hash, cp.signed_at, cp.key_id, cp.signature))):
            raise ValueError("a checkpoint field has the wrong type")
        return cp


def checkpoint_file() -> Path:
    raw = os.environ.get("GOVAI_AUDIT_CHECKPOINTS")
    return Path(raw) if raw else get_settings().home / "audit" / "checkpoints.jsonl"


def sign(signer: Signer, service: str, seq: int, row_hash: str) -> Checkpoint:
    signed_at = datetime.now(UTC).isoformat()
    signature = signer.sign(Checkpoint.message(service, seq, row_hash, signed_at))
    return Checkpoint(service, seq, row_hash, signed_at, signer.key_id, signature)


def _append_line(path: Path, line: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # whole lines from concurrent writers
            os.write(fd, line.encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise AuditError(f"cannot write the audit checkpoint file {path}: {exc.strerror or exc}") from None


def write_checkpoint(conn: psycopg.Connection | None, service: str, seq: int, row_hash: str,
                     signer: Signer | None = None) -> Checkpoint:
    """Sign (service, seq, hash) and store it in the file, then in the table."""
    signer = signer or load_signer(create=True)
    assert signer is not None  # create=True always yields a key
    cp = sign(signer, service, seq, row_hash)
    _append_line(checkpoint_file(), canonical(cp.as_dict()) + "\n")
    if conn is not None:
        conn.execute(
            "INSERT INTO audit_checkpoint (service, seq, row_hash, signed_at, key_id, signature)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (cp.service, cp.seq, cp.row_hash, cp.signed_at, cp.key_id, cp.signature),
        )
    return cp


def checkpoint(conn: psycopg.Connection, service: str | None = None) -> list[Checkpoint]:
    """Checkpoint the head of one service's chain, or of every chain."""
    signer = load_signer(create=True)
    written = []
    for name in [service] if service is not None else services(conn):
        seq, row_hash = head(conn, name)
        if seq:
            written.append(write_checkpoint(conn, name, seq, row_hash, signer))
    return written


def read_file(path: Path | None = None) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints in the file, and a note for each line that is not one."""
    path = path or checkpoint_file()
    if not path.exists():
        return [], []
    found: list[Checkpoint] = []
    bad: list[str] = []
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except OSError as exc:
        raise AuditError(f"cannot read the audit checkpoint file {path}: {exc.strerror or exc}") from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            found.append(Checkpoint.from_dict(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            bad.append(f"{path} line {number} is not a checkpoint")
    return found, bad


def load(conn: psycopg.Connection | None, service: str | None = None) -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint from the file and the table (deduplicated), and file problems."""
    found, bad = read_file()
    if conn is not None:
        rows = conn.execute("SELECT service, seq, row_hash, signed_at, key_id, signature FROM audit_checkpoint")
        found += [Checkpoint(s, int(q), h, t, k, sig) for s, q, h, t, k, sig in rows]
    unique = {(c.service, c.seq, c.row_hash, c.signed_at, c.key_id, c.signature): c for c in found}
    kept = [c for c in unique.values() if service is None or c.service == service]
    return sorted(kept, key=lambda c: (c.service, c.seq, c.signed_at)), bad
