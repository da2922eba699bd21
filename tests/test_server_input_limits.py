"""The JSON nesting limit the server checks before any body is parsed (``app._too_deep``)."""

from __future__ import annotations

import json

from govai.server.app import MAX_JSON_DEPTH, _too_deep


def nested(depth: int) -> bytes:
    return json.dumps({"a": 1}).encode() if depth <= 1 else b'{"a": ' + nested(depth - 1) + b"}"


def test_nesting_up_to_the_limit_passes_and_one_more_is_refused() -> None:
    assert not _too_deep(nested(MAX_JSON_DEPTH))
    assert _too_deep(nested(MAX_JSON_DEPTH + 1))
    assert _too_deep(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))


def test_brackets_inside_strings_and_many_shallow_brackets_do_not_count() -> None:
    assert not _too_deep(json.dumps({"text": "[" * 100 + '\\" {' * 50}).encode())
    assert not _too_deep(json.dumps({"messages": [{"role": "user", "content": "hi"}] * 100}).encode())
    assert _too_deep(json.dumps({"text": "[[[ \\" + '" ]]'}).encode()[:-1] + b"[" * MAX_JSON_DEPTH + b"}")
