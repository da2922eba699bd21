"""Behaviour snapshot: every answer, citation and verdict GovAI gives on the evaluation sets.

    python bench/snapshot.py write OUT.jsonl [--kb snapshot-corpus] [--reuse]
    python bench/snapshot.py compare BEFORE.jsonl AFTER.jsonl

``write`` ingests both shared corpora (kept between runs with ``--reuse``) and records,
one line per item: for each question of ``dev-qa.jsonl``, the hold-out set and the
answerability training questions, the answer, citations, retrieval order, outcome and
flags; for each row of the guardrail dev sets, the verdict and score; for each PII dev
text, the spans found. ``compare`` prints every item whose record changed, so a refactor
can show that it changed nothing it did not mean to.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

QA_SETS = {
    "dev-qa": SHARED / "evalsets" / "dev-qa.jsonl",
    "holdout": REPO / "bench" / "data" / "holdout-qa.jsonl",
    "answerability-train": REPO / "src" / "govai" / "answerability" / "data" / "questions.jsonl",
}
GUARD_SETS = {
    "prompts-dev": (SHARED / "evalsets" / "guardrails" / "prompts-dev.jsonl", "prompt", "text"),
    "indirect-dev": (SHARED / "evalsets" / "guardrails" / "indirect-dev.jsonl", "document", "document"),
}
PII_SET = SHARED / "evalsets" / "pii" / "pii-dev.jsonl"


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def qa_records(kb: str, reuse: bool) -> list[dict[str, Any]]:
    from govai.ingest.pipeline import Ingester
    from govai.pipeline.answer import answer_record
    from govai.profiles import load_profile
    from govai.runtime import Runtime

    profile = load_profile("default").model_copy(update={"kb": kb})
    runtime = Runtime(profile)
    if not reuse and runtime.knowledge.get(kb):
        runtime.knowledge.delete(kb)
    sources = [SHARED / "corpus" / "govuk" / "pages.jsonl", SHARED / "corpus" / "legislation"]
    Ingester(runtime.knowledge, runtime.embedder, kb).run(sources)
    out = []
    for set_name, path in QA_SETS.items():
        for row in _rows(path):
            ctx = runtime.ask(row["question"])
            rec = answer_record(ctx)
            evidence = next((r.detail for r in ctx.records if r.step == "check_evidence"), {})
            out.append({
                "item": f"{set_name}/{row['id']}",
                "answer": rec["answer"],
                "citations": rec["citations"],
                "retrieved": rec["retrieved"],
                "outcome": rec["outcome"],
                "flags": sorted(rec["flags"]),
                "answerability": evidence.get("score"),
            })
    return out


def guard_records() -> list[dict[str, Any]]:
    from govai.guards.engine import Screen

    out = []
    for set_name, (path, kind, field) in GUARD_SETS.items():
        screen = Screen(kind)  # type: ignore[arg-type]
        for row in _rows(path):
            result = screen.check(row[field])
            out.append({"item": f"{set_name}/{row['id']}", "verdict": result.verdict,
                        "score": round(result.score, 4), "categories": sorted(result.categories)})
    return out


def pii_records() -> list[dict[str, Any]]:
    from govai.pii.detector import get_detector

    detector = get_detector()
    return [{"item": f"pii-dev/{row['id']}",
             "spans": [[e.start, e.end, e.label] for e in detector.detect(row["text"])]}
            for row in _rows(PII_SET)]


def write(out: Path, kb: str, reuse: bool) -> int:
    records = guard_records() + pii_records() + qa_records(kb, reuse)
    with out.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(records)} records -> {out}")
    return 0


def compare(before: Path, after: Path) -> int:
    old = {r["item"]: r for r in _rows(before)}
    new = {r["item"]: r for r in _rows(after)}
    changed = 0
    for item in sorted(old.keys() | new.keys()):
        a, b = old.get(item), new.get(item)
        if a == b:
            continue
        changed += 1
        if a is None or b is None:
            print(f"{item}: only in {'after' if a is None else 'before'}")
            continue
        for key in sorted(a.keys() | b.keys()):
            if a.get(key) != b.get(key):
                print(f"{item}: {key}\n  before: {a.get(key)!r}\n  after:  {b.get(key)!r}")
    by_set: dict[str, int] = {}
    for item in old:
        by_set[item.split("/", 1)[0]] = by_set.get(item.split("/", 1)[0], 0) + 1
    print(f"\n{changed} of {len(old)} items changed ("
          + ", ".join(f"{k}: {v}" for k, v in sorted(by_set.items())) + ")")
    return 1 if changed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("--kb", default="snapshot-corpus")
    w.add_argument("--reuse", action="store_true", help="keep an existing knowledge base (ingest is incremental)")
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        return write(args.out, args.kb, args.reuse)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
