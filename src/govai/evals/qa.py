"""Grounded-answer evaluation on files in the format of ``dev-qa.jsonl``.

Scored as the shared evaluation README defines: source ids compared without
``#anchor``, a leading ``https://www.gov.uk`` or a trailing ``/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from govai.errors import GovAIError
from govai.jsonl import read_jsonl

MAX_ANSWER_WORDS = 120


def load_questions(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, row in read_jsonl(path):
        if not isinstance(row, dict) or "question" not in row or "id" not in row:
            raise GovAIError(f"{path}:{number}: each row needs 'id' and 'question'")
        rows.append(row)
    return rows


def normalise_id(source_id: str) -> str:
    sid = source_id.split("#", 1)[0]
    sid = sid.removeprefix("https://www.gov.uk")
    return sid.rstrip("/") or "/"


def _dedupe(ids: list[str]) -> list[str]:
    out: list[str] = []
    for sid in map(normalise_id, ids):
        if sid not in out:
            out.append(sid)
    return out[:10]


def score(rows: list[dict[str, Any]], preds: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Metrics over the rows that have predictions."""
    answerable = [r for r in rows if r.get("kind") != "unanswerable" and r["id"] in preds]
    unanswerable = [r for r in rows if r.get("kind") == "unanswerable" and r["id"] in preds]
    recall = {1: [], 5: [], 10: []}
    rr, facts, false_abst, cites = [], [], [], []
    for r in answerable:
        p = preds[r["id"]]
        retrieved = _dedupe(p["retrieved"])
        expected = {normalise_id(s) for s in r.get("expected_sources", [])}
        ranks = [i for i, sid in enumerate(retrieved) if sid in expected]
        for k in recall:
            recall[k].append(bool(ranks) and ranks[0] < k)
        rr.append(1.0 / (ranks[0] + 1) if ranks else 0.0)
        answer = p["answer"].lower()
        ok = (not p["abstained"]) and len(p["answer"].split()) <= MAX_ANSWER_WORDS
        facts.append(ok and all(f.lower() in answer for f in r.get("key_facts", [])))
        false_abst.append(bool(p["abstained"]))
    for p in preds.values():
        retrieved = set(_dedupe(p["retrieved"]))
        cites.append(all(normalise_id(c) in retrieved for c in p["citations"]))
    latencies = [p["latency_ms"] for p in preds.values()]
    mean = lambda xs: float(np.mean(xs)) if xs else float("nan")  # noqa: E731
    return {
        "questions": len(preds),
        "recall@1": mean(recall[1]),
        "recall@5": mean(recall[5]),
        "recall@10": mean(recall[10]),
        "mrr": mean(rr),
        "key_fact_accuracy": mean(facts),
        "abstention_on_unanswerable": mean([preds[r["id"]]["abstained"] for r in unanswerable]),
        "false_abstention": mean(false_abst),
        "citation_validity": mean(cites),
        "latency_p50_ms": float(np.percentile(latencies, 50)) if latencies else float("nan"),
        "latency_p95_ms": float(np.percentile(latencies, 95)) if latencies else float("nan"),
    }


def run(
    rows: list[dict[str, Any]], answer: Callable[[str], dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Answer each question; one prediction per row, in order."""
    for row in rows:
        record = answer(row["question"])
        yield {
            "id": row["id"],
            "answer": record["answer"],
            "abstained": record["abstained"],
            "citations": record["citations"],
            "retrieved": record["retrieved"],
            "latency_ms": record["latency_ms"],
        }
