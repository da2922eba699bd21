"""Records the audit trail writes about itself: prunes and erasures.

Their payloads are signed with the audit key (on top of being chained), so
nobody without the key can delete old records and pass it off as retention,
or blank a record and pass it off as an erasure. Verification trusts what a
prune or erase record says only when its signature holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govai.policy.audit.canonical import canonical
from govai.policy.audit.keys import Signer, Verifier

# Fields an erasure keeps: the decision and its reasons, nothing about the person.
KEPT_ON_ERASURE = (
    "at", "request_id", "service", "kb", "classification", "personal_data", "outcome", "reason", "provider",
    "route", "model_calls", "flags", "usage", "retrieved", "citations",
)


def _message(kind: str, payload: dict[str, Any]) -> str:
    body = {k: v for k, v in payload.items() if k not in ("key_id", "signature")}
    return canonical({"type": "govai-audit-admin", "kind": kind, "payload": body})


def signed(kind: str, payload: dict[str, Any], signer: Signer) -> dict[str, Any]:
    body = {**payload, "key_id": signer.key_id}
    return {**body, "signature": signer.sign(_message(kind, body))}


def signature_valid(kind: str, payload: dict[str, Any], verifier: Verifier) -> bool:
    kid, sig = payload.get("key_id"), payload.get("signature")
    if not isinstance(kid, str) or not isinstance(sig, str):
        return False
    return verifier.verify(kid, _message(kind, payload), sig)


@dataclass(frozen=True)
class Pruned:
    """What a prune removed: every record up to ``to_seq``, whose hash was ``to_hash``.

    ``to_hash`` commits to the whole removed prefix (each hash covers the one
    before), and it is what the first remaining record's ``prev_hash`` must be.
    """

    from_seq: int
    to_seq: int
    from_prev: str
    to_hash: str


@dataclass(frozen=True)
class Redaction:
    """One record an erasure redacted: its payload digest before, and after."""

    seq: int
    before: str
    after: str


def pruned(payload: dict[str, Any]) -> Pruned:
    p = payload["pruned"]
    return Pruned(int(p["from_seq"]), int(p["to_seq"]), str(p["from_prev"]), str(p["to_hash"]))


def redactions(payload: dict[str, Any]) -> list[Redaction]:
    return [Redaction(int(r["seq"]), str(r["before"]), str(r["after"])) for r in payload["erased"]["records"]]


def redact(payload: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The payload with everything but the decision removed, and the names removed."""
    removed = sorted(k for k in payload if k not in KEPT_ON_ERASURE)
    kept = {k: v for k, v in payload.items() if k in KEPT_ON_ERASURE}
    return {**kept, "redacted": removed}, removed
