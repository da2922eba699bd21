"""Exports that re-verify offline, without the database.

An export is JSON Lines. The first line is a manifest signed with the audit
key: for each service, the range of seqs exported and the hash of the record
before it. Then, per service: the records in the range (every column), the
headers only of the records from the end of the range up to the first signed
checkpoint at or after it (``link`` lines: hashes, no payloads), any erase
records outside the range that vouch for redacted records in it, and the
checkpoints in that span. The checkpoint proves the range is what was written;
the signed manifest proves nothing was cut from the file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from govai.policy.audit import admin, checkpoints
from govai.policy.audit.canonical import GENESIS, canonical
from govai.policy.audit.chain import SELECT, Header, StoredRecord, record_at, scalar, services
from govai.policy.audit.checkpoints import Checkpoint
from govai.policy.audit.keys import Signer, Verifier, load_signer, load_verifier
from govai.policy.audit.verify import (
    ChainCheck,
    Finding,
    MemoryLookup,
    ServiceCheck,
    check_service,
    snapshot,
    trusted,
)


@dataclass(frozen=True)
class Range:
    service: str
    from_seq: int | None  # None: nothing in the period
    to_seq: int | None
    prev_hash: str  # hash of the record before from_seq (the genesis, or a prune's kept hash)


def _manifest_message(body: dict[str, Any]) -> str:
    return canonical({"type": "govai-audit-export", "manifest": body})


def _range(conn: psycopg.Connection, service: str, since: datetime | None, until: datetime | None) -> Range:
    lo = scalar(conn, "SELECT min(seq) FROM audit_log WHERE service = %s" + (" AND at >= %s" if since else ""),
                (service, since) if since else (service,))
    hi = scalar(conn, "SELECT max(seq) FROM audit_log WHERE service = %s" + (" AND at < %s" if until else ""),
                (service, until) if until else (service,))
    if lo is None or hi is None or lo > hi:
        return Range(service, None, None, GENESIS)
    before, first = record_at(conn, service, lo - 1), record_at(conn, service, lo)
    # The hash before the range: the record before it, or (pruned) what the first one follows.
    prev = before.row_hash if before else first.prev_hash if first else GENESIS
    return Range(service, int(lo), int(hi), str(prev))


def export(conn: psycopg.Connection, out: Path, *, service: str | None = None, since: datetime | None = None,
           until: datetime | None = None) -> dict[str, Any]:
    """Write the records of one service (or all) in a period, with their proof."""
    signer = load_signer(create=True)
    assert signer is not None
    names = [service] if service is not None else services(conn)
    checkpoints.checkpoint(conn, service)  # a fresh checkpoint, so every range has one after it
    verifier = load_verifier()
    cps, _ = checkpoints.load(conn, service)
    lines: list[dict[str, Any]] = []
    ranges: list[Range] = []
    with snapshot(conn):
        for name in names:
            rng = _range(conn, name, since, until)
            ranges.append(rng)
            if rng.from_seq is None or rng.to_seq is None:
                continue
            valid = [c for c in cps if c.service == name and c.valid(verifier)]
            cover = min((c.seq for c in valid if c.seq >= rng.to_seq), default=rng.to_seq)
            rows = [StoredRecord(*r) for r in conn.execute(
                f"{SELECT} WHERE service = %s AND seq BETWEEN %s AND %s ORDER BY seq", (name, rng.from_seq, cover))]
            in_range = [r for r in rows if r.seq <= rng.to_seq]
            lines += [{"type": "record", **r.as_dict()} for r in in_range]
            lines += [{"type": "link", **r.header_dict()} for r in rows if r.seq > rng.to_seq]
            redacted = {r.seq for r in in_range if r.salt is None}
            if redacted:
                for rec in (StoredRecord(*r) for r in conn.execute(
                        f"{SELECT} WHERE service = %s AND kind = 'erase' AND seq > %s ORDER BY seq",
                        (name, rng.to_seq))):
                    if redacted & {x.seq for x in admin.redactions(json.loads(rec.payload))}:
                        lines.append({"type": "erasure", **rec.as_dict()})
            lines += [{"type": "checkpoint", **c.as_dict()} for c in valid if rng.from_seq <= c.seq <= cover]
    manifest = _manifest(signer, ranges, since, until)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="ascii") as f:
        for line in [manifest, *lines]:
            f.write(canonical(line) + "\n")
    return {"out": str(out), "services": [r.__dict__ for r in ranges],
            "records": sum(1 for line in lines if line["type"] == "record")}


def _manifest(signer: Signer, ranges: list[Range], since: datetime | None, until: datetime | None) -> dict[str, Any]:
    body = {
        "v": 1,
        "exported_at": datetime.now(UTC).isoformat(),
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "ranges": [r.__dict__ for r in ranges],
        "key_id": signer.key_id,
    }
    return {"type": "export", **body, "public_key": signer.public_b64,
            "signature": signer.sign(_manifest_message(body))}


@dataclass
class _Section:
    records: list[Header] = field(default_factory=list)
    erasures: list[StoredRecord] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)


def verify_export(path: Path, public_keys: list[str] | tuple[str, ...] = ()) -> ChainCheck:
    """Re-verify an export with no database: only the file and a public key."""
    verifier = load_verifier(public_keys)
    problems: list[Finding] = []
    manifest: dict[str, Any] | None = None
    sections: dict[str, _Section] = defaultdict(_Section)
    with path.open(encoding="utf-8", errors="replace") as f:
        for number, raw in enumerate(f, 1):
            try:
                line = json.loads(raw)
                kind = line.pop("type")
                if kind == "export" and number == 1:
                    manifest = line
                elif kind == "record":
                    sections[line["service"]].records.append(StoredRecord.from_dict(line))
                elif kind == "link":
                    sections[line["service"]].records.append(Header(**line))
                elif kind == "erasure":
                    sections[line["service"]].erasures.append(StoredRecord.from_dict(line))
                elif kind == "checkpoint":
                    sections[line["service"]].checkpoints.append(Checkpoint.from_dict(line))
                else:
                    raise ValueError(kind)
            except (ValueError, KeyError, TypeError, AttributeError):
                problems.append(Finding("altered", None, f"{path} line {number} is not a valid export line"))
    if manifest is None:
        return ChainCheck([], [*problems, Finding("altered", None, f"{path} has no export manifest on its first line")])
    if not verifier:
        return ChainCheck([], [*problems, Finding("unverifiable", None, "no audit key is configured to check the "
                                                  "export's signatures: pass the public key with --public-key")])
    body = {k: v for k, v in manifest.items() if k not in ("public_key", "signature")}
    if not verifier.verify(str(manifest.get("key_id")), _manifest_message(body), str(manifest.get("signature"))):
        return ChainCheck([], [*problems, Finding("signature", None, "the export manifest's signature is invalid: "
                                                  "the file was altered, or signed by a key not given")])
    results = []
    for rng in manifest.get("ranges", []):
        results.append(_verify_section(Range(**rng), sections.pop(rng["service"], _Section()), verifier))
    for name in sections:
        problems.append(Finding("inserted", None, f"service {name!r} is in the file but not in its signed manifest"))
    return ChainCheck(results, problems)


def _verify_section(rng: Range, section: _Section, verifier: Verifier) -> ServiceCheck:
    if rng.from_seq is None or rng.to_seq is None:
        result = ServiceCheck(rng.service)
        if section.records:
            result.findings.append(Finding("inserted", None, "records are present for a range the manifest says "
                                                             "is empty"))
        return result
    section.records.sort(key=lambda r: r.seq)  # the chain's order is by seq, not by line
    stored = [r for r in section.records if isinstance(r, StoredRecord)]
    # Erase records after the range are not chained here: their signatures vouch for them.
    trust = trusted([r for r in stored + section.erasures if r.kind != "request"], verifier)
    result = check_service(rng.service, section.records, section.checkpoints, verifier, trust,
                           MemoryLookup(section.records), start=(rng.from_seq, rng.prev_hash),
                           require_cover_to=rng.to_seq)
    if rng.from_seq == 1 and rng.prev_hash != GENESIS:
        result.findings.insert(0, Finding("altered", 1, "the range starts at seq 1 but not at the genesis hash"))
    last = max((r.seq for r in stored), default=None)
    if last != rng.to_seq:
        result.findings.insert(0, Finding("removed", (last or rng.from_seq - 1) + 1,
                                          f"the signed manifest says the range ends at seq {rng.to_seq}, "
                                          f"but the file's records end at {last}"))
    return result
