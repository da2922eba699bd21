"""Retention and erasure, recorded in the chain instead of breaking it.

Pruning deletes the oldest records of a service's chain (a prefix: every
record older than ``retention.audit_days``, up to the first younger one) and
appends a signed ``prune`` record keeping the hash of the last record removed.
That hash commits to everything removed, and the first remaining record must
be chained to it, so verification starts there instead of at the genesis.

Erasing a conversation replaces the payload of each of its records with the
decision alone (see ``admin.KEPT_ON_ERASURE``), drops the salt, and appends a
signed ``erase`` record listing, per record, the payload digest before (still
inside the record's hash) and after (the redacted payload). Without its salt
the old digest no longer confirms a guess of what was removed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from govai.policy.audit import admin
from govai.policy.audit.canonical import canonical, payload_digest
from govai.policy.audit.chain import (
    SELECT,
    AuditError,
    StoredRecord,
    append_locked,
    build,
    derive,
    head,
    insert,
    lock_service,
    record_at,
    scalar,
)
from govai.policy.audit.checkpoints import write_checkpoint
from govai.policy.audit.keys import Signer, load_signer
from govai.policy.audit.verify import verify_chain


@dataclass(frozen=True)
class PruneResult:
    service: str
    audit_days: int
    before: str  # records older than this were due
    pruned: int
    from_seq: int | None = None
    to_seq: int | None = None
    record_seq: int | None = None  # the prune record appended
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _signer() -> Signer:
    signer = load_signer(create=True)
    assert signer is not None
    return signer


def prune(conn: psycopg.Connection, service: str, audit_days: int, *, now: datetime | None = None,
          dry_run: bool = False) -> PruneResult:
    """Remove the records of ``service`` past retention, proving what was removed."""
    if audit_days < 1:
        raise AuditError("audit_days must be at least 1")
    cutoff = (now or datetime.now(UTC)) - timedelta(days=audit_days)
    signer = _signer()
    with conn.transaction():
        lock_service(conn, service)
        # Never prune a chain that does not verify: that would destroy the evidence.
        check = verify_chain(conn, service)
        if not check.ok:
            raise AuditError(f"refusing to prune service {service!r}: its chain does not verify ({check.problem})")
        young = scalar(conn, "SELECT min(seq) FROM audit_log WHERE service = %s AND at >= %s", (service, cutoff))
        head_seq, head_hash = head(conn, service)
        first_seq = scalar(conn, "SELECT min(seq) FROM audit_log WHERE service = %s", (service,))
        last_seq = young - 1 if young is not None else head_seq
        # The chain verified, so every seq from first to last is present.
        first_rec = record_at(conn, service, first_seq) if first_seq is not None else None
        last_rec = record_at(conn, service, last_seq) if first_seq is not None and last_seq >= first_seq else None
        if first_rec is None or last_rec is None:
            return PruneResult(service, audit_days, cutoff.isoformat(), 0, dry_run=dry_run)
        count = last_rec.seq - first_rec.seq + 1
        if dry_run:
            return PruneResult(service, audit_days, cutoff.isoformat(), count, first_rec.seq, last_rec.seq,
                               dry_run=True)
        # The prune record goes after the current head, even when everything before it goes.
        conn.execute("DELETE FROM audit_log WHERE service = %s AND seq <= %s", (service, last_rec.seq))
        payload = admin.signed("prune", {
            "at": datetime.now(UTC).isoformat(),
            "service": service,
            "outcome": "pruned",
            "pruned": {"from_seq": first_rec.seq, "to_seq": last_rec.seq, "count": count,
                       "from_prev": first_rec.prev_hash, "to_hash": last_rec.row_hash,
                       "before": cutoff.isoformat(), "audit_days": audit_days},
        }, signer)
        record = build(service, head_seq + 1, head_hash, "prune", payload)
        insert(conn, record)
    write_checkpoint(conn, service, record.seq, record.row_hash, signer)
    return PruneResult(service, audit_days, cutoff.isoformat(), count, first_rec.seq, last_rec.seq, record.seq)


@dataclass(frozen=True)
class EraseResult:
    service: str
    records: list[int]  # seqs redacted
    record_seq: int  # the erase record appended

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def erase(conn: psycopg.Connection, conversation_id: str, service: str | None = None) -> list[EraseResult]:
    """Redact every record of one conversation, in each service's chain it appears in."""
    signer = _signer()
    sql = "SELECT DISTINCT service FROM audit_log WHERE conversation_id = %s"
    params: tuple[str, ...] = (conversation_id,)
    if service is not None:
        sql += " AND service = %s"
        params += (service,)
    results = []
    for name in sorted(r[0] for r in conn.execute(sql, params)):
        with conn.transaction():
            lock_service(conn, name)
            rows = conn.execute(f"{SELECT} WHERE service = %s AND conversation_id = %s ORDER BY seq",
                                (name, conversation_id)).fetchall()
            redacted: list[dict[str, Any]] = []
            removed: set[str] = set()
            for rec in (StoredRecord(*r) for r in rows):
                kept, gone = admin.redact(json.loads(rec.payload))
                text = canonical(kept)
                cols = derive(json.loads(text))
                conn.execute(
                    "UPDATE audit_log SET payload = %s, salt = NULL, at = %s, request_id = %s, conversation_id = %s,"
                    " classification = %s, outcome = %s, provider = %s, cost_gbp = %s WHERE service = %s AND seq = %s",
                    (text, cols["at"], cols["request_id"], cols["conversation_id"], cols["classification"],
                     cols["outcome"], cols["provider"], cols["cost_gbp"], name, rec.seq),
                )
                redacted.append({"seq": rec.seq, "before": rec.payload_digest, "after": payload_digest(text, None)})
                removed.update(gone)
            if not redacted:
                continue
            payload = admin.signed("erase", {
                "at": datetime.now(UTC).isoformat(),
                "service": name,
                "outcome": "erased",
                "erased": {"conversation_ref": signer.reference(conversation_id), "records": redacted,
                           "removed_fields": sorted(removed)},
            }, signer)
            record = append_locked(conn, "erase", payload)
        write_checkpoint(conn, name, record.seq, record.row_hash, signer)
        results.append(EraseResult(name, [r["seq"] for r in redacted], record.seq))
    return results
