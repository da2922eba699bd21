"""Scoring predicted spans against gold spans (the PII eval set format).

A prediction matches a gold span of the same label when it overlaps at least
half of the gold span ("half-overlap"); "exact" needs identical offsets.
Each gold span is matched at most once. Any-label recall counts a gold span as
found when predictions of any label cover at least half of it (what redaction needs).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Span = Mapping[str, Any]  # {"start", "end", "label"}


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def half_overlap(pred: Span, gold: Span) -> bool:
    return _overlap(pred, gold) * 2 >= gold["end"] - gold["start"]


def exact(pred: Span, gold: Span) -> bool:
    return pred["start"] == gold["start"] and pred["end"] == gold["end"]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Report:
    per_label: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    exact_per_label: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    any_label_found: int = 0
    gold_total: int = 0
    hard_negative_fp: Counter[str] = field(default_factory=Counter)
    hard_negative_total: Counter[str] = field(default_factory=Counter)

    @property
    def micro(self) -> Counts:
        return _sum(self.per_label.values())

    @property
    def exact_micro(self) -> Counts:
        return _sum(self.exact_per_label.values())

    @property
    def any_label_recall(self) -> float:
        return self.any_label_found / self.gold_total if self.gold_total else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "micro": self.micro.as_dict(),
            "exact_micro": self.exact_micro.as_dict(),
            "any_label_recall": round(self.any_label_recall, 4),
            "per_label": {k: v.as_dict() for k, v in sorted(self.per_label.items())},
            "exact_per_label": {k: v.as_dict() for k, v in sorted(self.exact_per_label.items())},
            "hard_negative_fp": {k: [self.hard_negative_fp[k], n] for k, n in sorted(self.hard_negative_total.items())},
        }


def _sum(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for c in counts:
        total.tp += c.tp
        total.fp += c.fp
        total.fn += c.fn
    return total


def _match(preds: Sequence[Span], golds: Sequence[Span], same: Any, table: dict[str, Counts]) -> None:
    used: set[int] = set()
    for p in preds:
        hit = next((i for i, g in enumerate(golds) if i not in used and g["label"] == p["label"] and same(p, g)), None)
        if hit is None:
            table[p["label"]].fp += 1
        else:
            used.add(hit)
            table[p["label"]].tp += 1
    for i, g in enumerate(golds):
        if i not in used:
            table[g["label"]].fn += 1


def score(records: Iterable[tuple[Mapping[str, Any], Sequence[Span]]]) -> Report:
    """``records``: (gold record with spans and hard_negatives, predicted spans)."""
    report = Report()
    for gold, preds in records:
        golds = gold.get("spans", [])
        _match(preds, golds, half_overlap, report.per_label)
        _match(preds, golds, exact, report.exact_per_label)
        for g in golds:
            report.gold_total += 1
            covered = sum(_overlap(p, g) for p in preds)
            report.any_label_found += covered * 2 >= g["end"] - g["start"]
        for neg in gold.get("hard_negatives", []):
            report.hard_negative_total[neg["kind"]] += 1
            report.hard_negative_fp[neg["kind"]] += any(_overlap(p, neg) > 0 for p in preds)
    return report
