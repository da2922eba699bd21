"""Property-based tests of the canonicaliser: any JSON-able payload, odd Unicode
included, has exactly one canonical text, in any process, and round-trips."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import pytest
from audit_helpers import payload
from hypothesis import given, settings
from hypothesis import strategies as st

from govai.policy.audit.canonical import GENESIS, canonical
from govai.policy.audit.chain import StoredRecord, build
from govai.policy.audit.keys import Verifier
from govai.policy.audit.verify import MemoryLookup, Trusted, check_service

ODD = ["\ud800", "\udfff", "\x00", "\u202e", "\ufeff", "\u2028", "e\u0301", "\u00e9", "\U0001f600", "\U0010ffff",
       "\\", '"', "\t"]
text = st.lists(st.characters(exclude_categories=[]) | st.sampled_from(ODD), max_size=12).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | text,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(text, inner, max_size=5),
    max_leaves=30,
)


def reordered(value: Any) -> Any:
    """The same data with every object's keys inserted in reverse order."""
    if isinstance(value, dict):
        return {k: reordered(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [reordered(v) for v in value]
    return value


def as_json_reads_it(value: Any) -> Any:
    """``value`` with each surrogate pair held as two code points joined, as JSON parsing does."""
    if isinstance(value, str):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    if isinstance(value, dict):
        return {as_json_reads_it(k): as_json_reads_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json_reads_it(v) for v in value]
    return value


@given(json_values)
def test_canonical_is_ascii_deterministic_and_round_trips(value: Any) -> None:
    try:
        text_ = canonical(value)
    except ValueError:  # only for two keys that are one JSON string, e.g. "\ud800\udc00" and "\U00010000"
        assert len({as_json_reads_it(k) for k in _keys(value)}) < len(_keys(value))
        return
    assert text_.isascii() and "\n" not in text_
    assert canonical(reordered(value)) == text_
    back = json.loads(text_)
    assert back == as_json_reads_it(value)
    assert canonical(back) == text_


def _keys(value: Any) -> list[str]:
    """Every object key, per object, with the object's identity, to spot merged keys."""
    found: list[str] = []
    if isinstance(value, dict):
        found += [f"{id(value)}:{k}" for k in value]
        for v in value.values():
            found += _keys(v)
    elif isinstance(value, list):
        for v in value:
            found += _keys(v)
    return found


@pytest.mark.parametrize("odd", ["\ud800\udc00", "\U00010000"])
def test_a_surrogate_pair_is_the_character_it_encodes(odd: str) -> None:
    mixed = {odd: 1, "\uffff": 2}
    assert canonical(mixed) == '{"\\uffff":2,"\\ud800\\udc00":1}'
    assert canonical(json.loads(canonical(mixed))) == canonical(mixed)


@given(json_values)
@settings(max_examples=60)
def test_any_payload_makes_a_record_that_verifies(value: Any) -> None:
    record = build("svc", 1, GENESIS, "request", payload("svc", extra=value))
    # As an export stores it, and back.
    again = StoredRecord.from_dict(json.loads(json.dumps(record.as_dict())))
    assert again == record
    check = check_service("svc", [again], [], Verifier(), Trusted(None, {}), MemoryLookup([again]))
    assert check.ok, check.findings


def test_canonical_text_is_the_same_in_another_process() -> None:
    value = {"z": [1.5, -0.0, 1e16, 2**64], "é": "\ud800\u202e\x00", "a": {"b": None, "A": True}}
    script = ("import json,sys; from govai.policy.audit.canonical import canonical;"
              "print(canonical(json.loads(sys.stdin.read())))")
    out = subprocess.run([sys.executable, "-c", script], input=json.dumps(value), capture_output=True, text=True,
                         env={**os.environ, "PYTHONHASHSEED": "12345"}, check=True).stdout.strip()
    assert out == canonical(value)
    assert out == ('{"a":{"A":true,"b":null},"z":[1.5,-0.0,1e+16,18446744073709551616],'
                   '"\\u00e9":"\\ud800\\u202e\\u0000"}')  # keys by code point, all ASCII


class Colour(Enum):
    RED = "red"


@pytest.mark.parametrize(("value", "expected"), [
    ({"c": Colour.RED}, '{"c":"red"}'),
    ({"when": datetime(2025, 4, 1, tzinfo=UTC)}, '{"when":"2025-04-01T00:00:00+00:00"}'),
    ({"s": {"b", "a", "c"}}, '{"s":["a","b","c"]}'),
    ({"t": (1, 2)}, '{"t":[1,2]}'),
])
def test_python_types_have_one_conversion(value: Any, expected: str) -> None:
    assert canonical(value) == expected


@pytest.mark.parametrize("value", [{"x": float("nan")}, {"x": float("inf")}, {1: "key"}, {"x": object()}])
def test_what_json_cannot_hold_is_refused(value: Any) -> None:
    with pytest.raises((ValueError, TypeError)):
        canonical(value)
