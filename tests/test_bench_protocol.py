"""The benchmarks never choose a threshold on the rows they report."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _record(i: int, template: str) -> dict:
    text = f"Dear Amina Hussain, ref {i}."
    return {"id": f"r{i}", "template": template, "text": text,
            "spans": [{"start": 5, "end": 18, "label": "PERSON"}], "hard_negatives": []}


def test_pii_bench_tunes_each_fold_on_the_other_fold_only() -> None:
    pii = _bench("pii_bench")
    records = [_record(i, f"t{i % 4}") for i in range(40)]
    folds = pii.template_folds(records)
    by_template: dict[str, set[int]] = {}
    for r, f in zip(records, folds):
        by_template.setdefault(r["template"], set()).add(f)
    assert set(folds) == {0, 1} and all(len(s) == 1 for s in by_template.values())
    # Fold 0: true names score 0.6, false ones 0.3 (its own best threshold: 0.6). Fold 1: true 0.9,
    # false 0.7 (its own best: 0.9). Each fold must be scored with the other fold's choice.
    raw = [[(5, 18, "PERSON", 0.6 if f == 0 else 0.9), (20, 23, "PERSON", 0.3 if f == 0 else 0.7)] for f in folds]
    preds, chosen = pii.cross_fitted(records, raw, folds, pii.STRICT, per_label=False)
    assert chosen[0][""] == pytest.approx(0.9) and chosen[1][""] == pytest.approx(0.6)
    assert all(p == [] for p, f in zip(preds, folds) if f == 0)  # 0.9 drops fold 0's true names too
    assert all(len(p) == 2 for p, f in zip(preds, folds) if f == 1)  # 0.6 keeps fold 1's false ones


def test_pii_bench_mappings_differ_only_by_the_lenient_extras() -> None:
    pii = _bench("pii_bench")
    assert set(pii.STRICT.items()) < set(pii.LENIENT.items())
    assert pii.LENIENT["DATE_TIME"] == "DATE_OF_BIRTH" and "DATE_TIME" not in pii.STRICT


def test_guard_bench_reports_auc_and_rates_at_a_given_threshold() -> None:
    guard = _bench("guard_bench")
    scores = np.array([0.9, 0.8, 0.7, 0.3, 0.8, 0.1])
    positive = np.array([True, True, True, True, False, False])
    # pairs won: 0.9 beats both, 0.8 ties one and beats one, 0.7 and 0.3 beat one each: 5.5 of 8
    assert guard.roc_auc(scores, positive) == pytest.approx(5.5 / 8)
    assert guard.at(scores, positive, 0.75) == (0.5, 0.5)
