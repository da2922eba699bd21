"""Marked-up text to exact spans, for writing PII evaluation sets and tests by hand.

``[[PERSON:Ade Okafor]]`` marks a span, ``{{date_not_dob:3 May 2024}}`` a hard negative. The
markers are removed and the offsets computed, so spans are exact however the text is edited.
A source file holds many documents, each opened by a line ``### kind`` (the document type:
``transcript``, ``chat``, ``email``...), which becomes the record's ``template``.

    python -m govai.pii.markup bench/data/pii-holdout.src.txt bench/data/pii-holdout.jsonl --prefix pii-holdout
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from govai.pii.entities import LABELS

_MARK = re.compile(r"\[\[(?P<label>[A-Z_]+):(?P<span>.*?)\]\]|\{\{(?P<kind>[a-z_0-9]+):(?P<neg>.*?)\}\}", re.S)
_HEADER = re.compile(r"^### (?P<kind>[a-z_]+)[ \t]*$", re.M)
_OUTER = " \t\n,.;:!?\"'()"


class MarkupError(ValueError):
    pass


def parse(marked: str) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """The plain text, its spans and its hard negatives (offsets into the plain text)."""
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    negatives: list[dict[str, Any]] = []
    length = 0
    pos = 0
    for m in _MARK.finditer(marked):
        before = marked[pos : m.start()]
        out.append(before)
        length += len(before)
        value = m.group("span") if m.group("label") else m.group("neg")
        if not value or value != value.strip(_OUTER) or "[[" in value or "{{" in value:
            raise MarkupError(f"bad marked value {value!r} (outer space or punctuation, or nested marks)")
        if m.group("label"):
            if m.group("label") not in LABELS:
                raise MarkupError(f"unknown label {m.group('label')!r}")
            spans.append({"start": length, "end": length + len(value), "label": m.group("label")})
        else:
            negatives.append({"start": length, "end": length + len(value), "kind": m.group("kind")})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text or "{{" in text or "}}" in text:
        raise MarkupError(f"unclosed mark in {text[:80]!r}")
    _check_boundaries(text, spans)
    return text, spans, negatives


def _check_boundaries(text: str, spans: list[dict[str, Any]]) -> None:
    for s in spans:
        before = text[s["start"] - 1] if s["start"] else " "
        after = text[s["end"]] if s["end"] < len(text) else " "
        if before.isalnum() or after.isalnum():
            raise MarkupError(f"span {text[s['start']:s['end']]!r} is not on a token boundary")


def documents(source: str, prefix: str) -> list[dict[str, Any]]:
    """Records in the shared evaluation format, one per ``### kind`` section of ``source``."""
    headers = list(_HEADER.finditer(source))
    records = []
    for i, h in enumerate(headers):
        body = source[h.end() : headers[i + 1].start() if i + 1 < len(headers) else len(source)]
        body = body.strip("\n")
        if not body.strip():
            continue
        text, spans, negatives = parse(body)
        records.append({"id": f"{prefix}-{len(records):04d}", "text": text, "spans": spans,
                        "template": h.group("kind"), "hard_negatives": negatives})
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Marked-up PII documents to JSON Lines with exact spans.")
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--prefix", required=True, help="id prefix, e.g. pii-holdout")
    args = parser.parse_args(argv)
    try:
        records = documents(args.source.read_text(encoding="utf-8"), args.prefix)
    except MarkupError as exc:
        print(f"{args.source}: {exc}", file=sys.stderr)
        return 1
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    print(f"{len(records)} documents, {sum(len(r['spans']) for r in records)} spans -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
