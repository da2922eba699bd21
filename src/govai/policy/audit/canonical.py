"""The canonical form of audit data, and the hashes over it.

Canonical JSON: keys sorted by code point, no insignificant whitespace, every
non-ASCII character escaped (so the text is plain ASCII: lone surrogates, NUL
and right-to-left marks survive any database or file unchanged), no NaN or
infinity. Strings are taken as JSON reads them back (a surrogate pair held as
two code points is the character it encodes), so canonicalising the parsed
text gives the same text again. A few Python types are converted the one way they can be (enums,
dates, sets, Pydantic models); anything else is refused rather than hashed as
an unstable ``str()``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from pathlib import PurePath
from typing import Any

GENESIS = "0" * 64  # the ``prev`` of the first record of every chain
FORMAT = 1  # version of the record layout, inside every hashed header


def _string(value: str) -> str:
    """A plain str as JSON reads it back: a surrogate pair held as two code points
    becomes the one character it encodes (lone surrogates stay as they are)."""
    if value.isascii():
        return str.__str__(value)  # a plain str, whatever a subclass's __str__ says
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _plain(value: Any) -> Any:
    """``value`` as JSON types only, or TypeError/ValueError."""
    # The exact built-in types an audit payload is mostly made of first (every request's record
    # passes through here); subclasses and every other type take the general path below.
    kind = type(value)
    if kind is str:
        return value if value.isascii() else _string(value)
    if kind is dict:
        return _mapping(value)
    if kind is list:
        return [_plain(v) for v in value]
    if value is None or kind is int or kind is bool:
        return value
    if isinstance(value, Enum):
        return _plain(value.value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"audit data cannot hold the number {value!r}")
        return float(value)
    if isinstance(value, Mapping):
        return _mapping(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=canonical)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    dump = getattr(value, "model_dump", None)  # Pydantic models
    if callable(dump):
        return _plain(dump(mode="json"))
    raise TypeError(f"audit data cannot hold a {type(value).__name__}")


def _mapping(value: Mapping[Any, Any]) -> dict[str, Any]:
    out = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise TypeError(f"audit data keys must be strings, not {type(key).__name__}")
        name = _string(key)
        if name in out:
            raise ValueError("audit data has two keys that are the same JSON string")
        out[name] = _plain(item)
    return out


def canonical(value: Any) -> str:
    """The one text for ``value``: equal data give equal text, in any process."""
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def _sha256(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("ascii")).hexdigest()


def payload_digest(payload_text: str, salt: str | None) -> str:
    """Commitment to a record's payload. The random salt makes it hiding, so
    once an erasure removes the salt the digest no longer confirms a guess."""
    return _sha256("govai-audit-payload", salt or "", payload_text)


def header(service: str, seq: int, prev: str, kind: str, digest: str) -> dict[str, Any]:
    """What a record's hash covers directly; the payload is covered via its digest."""
    return {"v": FORMAT, "service": service, "seq": seq, "prev": prev, "kind": kind, "payload_sha256": digest}


def record_hash(service: str, seq: int, prev: str, kind: str, digest: str) -> str:
    return _sha256("govai-audit-record", canonical(header(service, seq, prev, kind, digest)))
