"""Verification: does each chain still prove itself?

The walker checks, record by record in seq order: the payload against its
digest (or, for a redacted record, against the digest a signed erasure record
gave for it), every derived column against the payload, the header against the
record hash, and the link to the record before. Before the first record it
expects either the genesis hash or the hash a signed prune record kept for the
last record it removed. Signed checkpoints must match the record at their seq;
one beyond the head means the newest records were removed.

A finding names the first bad record and why: altered, inserted, removed,
reordered, truncated, checkpoint (a bad checkpoint signature), signature (a bad
export manifest signature) or unverifiable (no key to check signatures).
Messages never quote payload values, which may hold personal data.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import psycopg
from psycopg import pq

from govai.policy.audit import admin, checkpoints
from govai.policy.audit.canonical import GENESIS, canonical, payload_digest
from govai.policy.audit.chain import DERIVED, KINDS, SELECT, Header, StoredRecord, derive, services
from govai.policy.audit.checkpoints import Checkpoint
from govai.policy.audit.keys import Verifier, load_verifier

_BRUTE_FORCE_LIMIT = 1_000_000  # seqs tried to tell where a misplaced record was written


@dataclass(frozen=True)
class Finding:
    kind: str  # altered, inserted, removed, reordered, truncated, checkpoint, signature, unverifiable
    seq: int | None  # the first bad record (None: not tied to one)
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


@dataclass
class ServiceCheck:
    service: str
    records: int = 0
    first_seq: int | None = None
    head_seq: int | None = None
    head_hash: str | None = None
    pruned_to: int = 0  # every record up to here was removed by a signed prune
    redacted: int = 0
    checkpoints: int = 0  # signed checkpoints that matched
    covered_to: int | None = None  # newest seq a matching checkpoint vouches for
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def uncovered(self) -> int:
        """Records after the newest checkpoint (normal between checkpoints)."""
        if self.head_seq is None:
            return 0
        return self.head_seq - max(self.covered_to or 0, self.pruned_to, (self.first_seq or 1) - 1)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["ok"], out["uncovered"] = self.ok, self.uncovered
        return out


@dataclass
class ChainCheck:
    services: list[ServiceCheck]
    problems: list[Finding] = field(default_factory=list)  # not tied to one service (checkpoint file)

    @property
    def ok(self) -> bool:
        return not self.problems and all(s.ok for s in self.services)

    @property
    def rows(self) -> int:
        return sum(s.records for s in self.services)

    @property
    def first(self) -> tuple[str | None, Finding] | None:
        for s in self.services:
            if s.findings:
                return s.service, s.findings[0]
        return (None, self.problems[0]) if self.problems else None

    @property
    def service(self) -> str | None:
        return self.first[0] if self.first else None

    @property
    def broken_at(self) -> int | None:
        return self.first[1].seq if self.first else None

    @property
    def problem(self) -> str | None:
        return str(self.first[1]) if self.first else None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "records": self.rows, "services": [s.as_dict() for s in self.services],
                "problems": [asdict(p) for p in self.problems]}


class Lookup(Protocol):
    """Random access to a chain, used only to explain a failure."""

    def at_seq(self, seq: int) -> StoredRecord | Header | None: ...
    def by_hash(self, row_hash: str) -> StoredRecord | Header | None: ...
    def by_prev(self, prev_hash: str) -> StoredRecord | Header | None: ...
    def seq_range(self) -> tuple[int, int]: ...


class MemoryLookup:
    def __init__(self, records: Sequence[Header]) -> None:
        self._seq = {r.seq: r for r in records}
        self._hash = {r.row_hash: r for r in records}
        self._prev = {r.prev_hash: r for r in records}

    def at_seq(self, seq: int) -> Header | None:
        return self._seq.get(seq)

    def by_hash(self, row_hash: str) -> Header | None:
        return self._hash.get(row_hash)

    def by_prev(self, prev_hash: str) -> Header | None:
        return self._prev.get(prev_hash)

    def seq_range(self) -> tuple[int, int]:
        return (min(self._seq), max(self._seq)) if self._seq else (0, 0)


class DatabaseLookup:
    def __init__(self, conn: psycopg.Connection, service: str) -> None:
        self.conn, self.service = conn, service

    def _one(self, where: str, value: object) -> StoredRecord | None:
        row = self.conn.execute(f"{SELECT} WHERE service = %s AND {where} = %s LIMIT 1", (self.service, value)).fetchone()
        return StoredRecord(*row) if row else None

    def at_seq(self, seq: int) -> StoredRecord | None:
        return self._one("seq", seq)

    def by_hash(self, row_hash: str) -> StoredRecord | None:
        return self._one("row_hash", row_hash)

    def by_prev(self, prev_hash: str) -> StoredRecord | None:
        return self._one("prev_hash", prev_hash)

    def seq_range(self) -> tuple[int, int]:
        row = self.conn.execute("SELECT min(seq), max(seq) FROM audit_log WHERE service = %s", (self.service,)).fetchone()
        return (int(row[0]), int(row[1])) if row and row[0] is not None else (0, 0)


@dataclass(frozen=True)
class Trusted:
    """What the signed prune and erase records vouch for."""

    anchor: admin.Pruned | None
    redactions: dict[int, admin.Redaction]


def trusted(records: Iterable[StoredRecord], verifier: Verifier) -> Trusted:
    """Prune anchor and redactions from the admin records whose signatures hold."""
    anchor: admin.Pruned | None = None
    redactions: dict[int, admin.Redaction] = {}
    for rec in records:
        try:
            payload = json.loads(rec.payload)
            if not admin.signature_valid(rec.kind, payload, verifier):
                continue
            if rec.kind == "prune":
                p = admin.pruned(payload)
                if anchor is None or p.to_seq > anchor.to_seq:
                    anchor = p
            elif rec.kind == "erase":
                redactions.update({r.seq: r for r in admin.redactions(payload)})
        except (ValueError, KeyError, TypeError):
            continue  # malformed: the walk reports it when it reaches the record
    return Trusted(anchor, redactions)


def _content_problem(rec: StoredRecord, trust: Trusted, verifier: Verifier) -> Finding | None:
    """Is the record's content what its digest and derived columns say?"""

    def altered(why: str) -> Finding:
        return Finding("altered", rec.seq, f"record {rec.seq}: {why}")

    try:
        data = json.loads(rec.payload)
    except ValueError:
        return altered("its payload is not JSON")
    if not isinstance(data, dict):
        return altered("its payload is not a JSON object")
    if canonical(data) != rec.payload:
        return altered("its payload is not in canonical form")
    if rec.salt is not None:
        if payload_digest(rec.payload, rec.salt) != rec.payload_digest:
            return altered("its payload (or salt) does not match the payload digest in its hash")
    else:
        red = trust.redactions.get(rec.seq)
        if red is None:
            return altered("its payload was replaced, and no signed erasure record vouches for a redaction")
        if red.before != rec.payload_digest or red.after != payload_digest(rec.payload, None):
            return altered("its redacted payload is not the one the erasure record vouches for")
    try:
        derived = derive(data)
    except (ValueError, TypeError):
        return altered("its payload has no valid 'at' timestamp")
    for column in DERIVED:
        if getattr(rec, column) != derived[column]:
            return altered(f"column {column} does not match the record's payload")
    if rec.kind not in KINDS:
        return altered(f"unknown kind {rec.kind!r}")
    if rec.kind != "request":
        if not verifier:
            return Finding("unverifiable", rec.seq, f"record {rec.seq} is a {rec.kind} record and no audit key "
                           "is configured to check its signature")
        if not admin.signature_valid(rec.kind, data, verifier):
            return altered(f"the {rec.kind} record's signature is invalid")
    return None


def _written_seq(rec: Header, lookup: Lookup) -> int | None:
    """The seq a record whose hash fails at its own seq was written at, if any."""
    candidates: list[int] = []
    if (pred := lookup.by_hash(rec.prev_hash)) is not None:
        candidates.append(pred.seq + 1)
    if (succ := lookup.by_prev(rec.row_hash)) is not None:
        candidates.append(succ.seq - 1)
    lo, hi = lookup.seq_range()
    if hi - lo < _BRUTE_FORCE_LIMIT:
        candidates += range(max(lo - 1, 1), hi + 2)
    return next((s for s in candidates if s != rec.seq and rec.computed_hash(s) == rec.row_hash), None)


def _misplaced(rec: Header, lookup: Lookup) -> Finding:
    t = _written_seq(rec, lookup)
    s = rec.seq
    if t is None:
        return Finding("altered", s, f"record {s}: its hash does not match its service, seq, prev_hash, kind "
                                     "and payload digest")
    if t < s:
        return Finding("inserted", t, f"record {s} was written as seq {t}: records {t}..{s - 1} were inserted "
                                      "before it and later ones renumbered")
    other = lookup.at_seq(t)
    if other is not None and other.computed_hash(s) == other.row_hash:
        return Finding("reordered", s, f"records {s} and {t} were swapped")
    return Finding("removed", s, f"record {s} was written as seq {t}: records before it were removed and later "
                                 "ones renumbered")


def check_service(
    service: str,
    records: Iterable[Header],
    cps: Sequence[Checkpoint],
    verifier: Verifier,
    trust: Trusted,
    lookup: Lookup,
    *,
    start: tuple[int, str] | None = None,
    require_cover_to: int | None = None,
) -> ServiceCheck:
    """Walk one chain in seq order. ``records`` may end with header-only links.

    ``start`` is where the walk begins (seq, prev hash); by default the genesis,
    or the signed prune anchor. With ``require_cover_to``, a checkpoint must
    vouch for that seq or a later one (offline exports).
    """
    result = ServiceCheck(service)
    anchor = trust.anchor
    if start is None:
        start = (anchor.to_seq + 1, anchor.to_hash) if anchor else (1, GENESIS)
        result.pruned_to = anchor.to_seq if anchor else 0
    expect_seq, expect_prev = start
    first: Finding | None = None

    by_seq: dict[int, list[Checkpoint]] = defaultdict(list)
    extra: list[Finding] = []
    if cps and not verifier:
        extra.append(Finding("unverifiable", None, f"{len(cps)} checkpoints, and no audit key is configured "
                                                   "to check their signatures"))
    else:
        for cp in cps:
            if cp.valid(verifier):
                by_seq[cp.seq].append(cp)
            else:
                extra.append(Finding("checkpoint", cp.seq, f"checkpoint {cp.seq} (signed {cp.signed_at}, key "
                                     f"{cp.key_id}) has an invalid signature: forged, altered, or signed by a key "
                                     "that is not configured"))

    def matched(seq: int, row_hash: str) -> None:
        for cp in by_seq.pop(seq, []):
            if cp.row_hash == row_hash:
                result.checkpoints += 1
                result.covered_to = max(result.covered_to or 0, seq)
            else:
                extra.append(Finding("altered", seq, f"record {seq} is not the one checkpoint {seq} (signed "
                                     f"{cp.signed_at}) vouches for: the chain was rewritten, or an old backup "
                                     "restored and appended to"))

    if anchor is not None and start[0] == anchor.to_seq + 1:
        matched(anchor.to_seq, anchor.to_hash)  # the last pruned record's hash is kept
    for rec in records:
        result.records += 1
        result.first_seq = rec.seq if result.first_seq is None else result.first_seq
        result.head_seq, result.head_hash = rec.seq, rec.row_hash
        matched(rec.seq, rec.row_hash)
        if isinstance(rec, StoredRecord) and rec.salt is None:
            result.redacted += 1
        if first is not None:
            continue
        if isinstance(rec, StoredRecord):
            first = _content_problem(rec, trust, verifier)
        if first is None and rec.computed_hash() != rec.row_hash:
            first = _misplaced(rec, lookup)
        if first is None and rec.seq != expect_seq:
            if rec.seq < expect_seq:
                first = Finding("inserted", rec.seq, f"record {rec.seq} lies inside the range a signed prune "
                                                     f"removed (up to seq {expect_seq - 1})")
            elif expect_seq == 1 and not verifier:
                first = Finding("unverifiable", 1, f"records 1..{rec.seq - 1} are gone, and no audit key is "
                                                   "configured to check a prune record for them")
            elif expect_seq == 1:
                first = Finding("removed", 1, f"records 1..{rec.seq - 1} are missing and no signed prune record "
                                              "accounts for them")
            else:
                first = Finding("removed", expect_seq, f"records {expect_seq}..{rec.seq - 1} are missing")
        if first is None and rec.prev_hash != expect_prev:
            pred = lookup.by_hash(rec.prev_hash)
            if pred is not None and pred.seq > rec.seq:
                first = Finding("reordered", rec.seq, f"record {rec.seq} follows record {pred.seq}")
            else:
                first = Finding("removed", rec.seq, f"record {rec.seq} is not chained to record {rec.seq - 1}: "
                                                    "the record it followed was removed or replaced")
        expect_seq, expect_prev = rec.seq + 1, rec.row_hash

    head = result.head_seq or (start[0] - 1)
    beyond = [cp for seq, group in by_seq.items() if seq > head for cp in group]
    if beyond:
        last = max(beyond, key=lambda c: c.seq)
        extra.append(Finding("truncated", head + 1, f"truncated after checkpoint {last.seq} (signed "
                             f"{last.signed_at}): the chain ends at seq {head}, so records {head + 1}..{last.seq} "
                             "were removed, or an old backup was restored"))
    if require_cover_to is not None and result.records and (result.covered_to or 0) < require_cover_to:
        extra.append(Finding("unverifiable", require_cover_to, f"no signed checkpoint vouches for seq "
                             f"{require_cover_to} or later, so the records cannot be proven"))
    result.findings = ([first] if first else []) + sorted(extra, key=lambda f: (f.seq or 0, f.kind))
    return result


@contextmanager
def snapshot(conn: psycopg.Connection) -> Iterator[None]:
    """One consistent view of the tables for the whole check."""
    top_level = conn.info.transaction_status == pq.TransactionStatus.IDLE
    with conn.transaction():
        if top_level:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def admin_records(conn: psycopg.Connection, service: str) -> list[StoredRecord]:
    rows = conn.execute(f"{SELECT} WHERE service = %s AND kind <> 'request' ORDER BY seq", (service,))
    return [StoredRecord(*r) for r in rows]


def _walk_rows(conn: psycopg.Connection, service: str) -> Iterator[StoredRecord]:
    with conn.cursor(name=f"audit_walk_{uuid.uuid4().hex}") as cur:
        cur.itersize = 2000
        cur.execute(f"{SELECT} WHERE service = %s ORDER BY seq", (service,))
        for row in cur:
            yield StoredRecord(*row)


def verify_service(conn: psycopg.Connection, service: str, cps: Sequence[Checkpoint], verifier: Verifier) -> ServiceCheck:
    """Check one service's chain; call inside ``snapshot``."""
    trust = trusted(admin_records(conn, service), verifier)
    return check_service(service, _walk_rows(conn, service), cps, verifier, trust, DatabaseLookup(conn, service))


def verify_chain(conn: psycopg.Connection, service: str | None = None, public_keys: Sequence[str] = ()) -> ChainCheck:
    """Verify every chain (or one service's) and its checkpoints."""
    verifier = load_verifier(public_keys)
    # Checkpoints first: one read later could name a record the snapshot predates.
    cps, bad = checkpoints.load(conn, service)
    problems = [Finding("checkpoint", None, b) for b in bad]
    with snapshot(conn):
        names = set(services(conn)) if service is None else {service}
        names |= {c.service for c in cps}
        results = [verify_service(conn, s, [c for c in cps if c.service == s], verifier) for s in sorted(names)]
    return ChainCheck(results, problems)
