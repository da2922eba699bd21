"""Reading JSON Lines the one way: every bad line is a clear error naming file and line.

``iter_jsonl`` keeps going past a bad line (ingest keeps every good line of a file);
``read_jsonl`` stops at the first one (an evaluation set must be whole).
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govai.errors import GovAIError

log = logging.getLogger(__name__)

# A JSON escape of a UTF-16 surrogate ("\ud83d"). Paired ones decode to one character;
# a lone one decodes to a code point no UTF-8 consumer (PostgreSQL, stdout) accepts.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ONE_OBJECT = "each line must be one JSON object"


@dataclass(frozen=True)
class JsonLine:
    number: int
    value: Any
    warnings: tuple[str, ...] = ()  # something repaired on this line, named by file and line


@dataclass(frozen=True)
class BadLine:
    number: int
    reason: str  # the whole reason, starting "file:line: "


def replace_in_strings(value: Any, pattern: re.Pattern[str], replacement: str) -> tuple[Any, int]:
    """``value`` (parsed JSON) with ``pattern`` replaced in every string, keys included,
    and how many replacements were made."""
    if isinstance(value, str):
        return pattern.subn(replacement, value)
    if isinstance(value, list):
        total = 0
        items = []
        for item in value:
            fixed, count = replace_in_strings(item, pattern, replacement)
            items.append(fixed)
            total += count
        return items, total
    if isinstance(value, dict):
        total = 0
        pairs = {}
        for key, item in value.items():
            fixed_key, key_count = replace_in_strings(key, pattern, replacement)
            fixed, count = replace_in_strings(item, pattern, replacement)
            pairs[fixed_key] = fixed
            total += key_count + count
        return pairs, total
    return value, 0


def parse_json(text: str, label: str) -> tuple[Any, list[str]]:
    """Parse one JSON text; lone surrogate escapes become U+FFFD, reported as a warning.
    Raises json.JSONDecodeError."""
    value = json.loads(text)
    if not _SURROGATE_ESCAPE.search(text):
        return value, []
    value, count = replace_in_strings(value, _LONE_SURROGATE, "\ufffd")
    return value, [f"{label}: {count} lone surrogate escape(s) replaced with �"] if count else []


def _decode(raw: bytes, label: str) -> tuple[str, list[str]]:
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        return text, [f"{label}: not valid UTF-8; {text.count(chr(0xFFFD))} byte sequence(s) replaced with �"]


def _parse_line(text: str, warnings: list[str], label: str, number: int) -> JsonLine | BadLine:
    try:
        value, repaired = parse_json(text, label)
    except json.JSONDecodeError as exc:
        # Some messages end "at", meant to be followed by the position ("Invalid control character at").
        where = f"column {exc.colno}"
        problem = f"{exc.msg} {where}" if exc.msg.endswith(" at") else f"{exc.msg} at {where}"
        return BadLine(number, f"{label}: not valid JSON ({problem}); {_ONE_OBJECT}")
    except RecursionError:
        return BadLine(number, f"{label}: not valid JSON (nested too deeply to read); {_ONE_OBJECT}")
    return JsonLine(number, value, tuple(warnings + repaired))


def iter_jsonl(path: Path, error: type[GovAIError] = GovAIError) -> Iterator[JsonLine | BadLine]:
    """Every non-blank line of ``path``, parsed or with the reason it could not be.

    Lines end at ``\\n`` only (a JSON text never holds a raw newline). A byte-order mark
    before the first line is ignored. Raises ``error`` only if the file cannot be read.
    """
    try:
        with path.open("rb") as f:
            for number, raw in enumerate(f, 1):
                if number == 1:
                    raw = raw.removeprefix(codecs.BOM_UTF8)
                label = f"{path}:{number}"
                text, warnings = _decode(raw.rstrip(b"\r\n"), label)  # columns count within the line
                if text.strip():
                    yield _parse_line(text, warnings, label, number)
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror or exc}") from None


def read_jsonl(path: Path, error: type[GovAIError] = GovAIError) -> Iterator[tuple[int, Any]]:
    """Yield (line number, parsed value) for every non-blank line of ``path``; raise
    ``error`` at the first line that is not valid JSON.

    Undecodable bytes become U+FFFD rather than aborting the file.
    """
    for line in iter_jsonl(path, error):
        if isinstance(line, BadLine):
            raise error(line.reason)
        for warning in line.warnings:
            log.warning("%s", warning)
        yield line.number, line.value
