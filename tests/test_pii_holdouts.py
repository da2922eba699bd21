"""The hand-written PII sets in bench/data: each JSON Lines file is exactly what its marked-up
source gives, and no document of a hold-out repeats one of the development set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govai.pii.markup import documents

DATA = Path(__file__).resolve().parents[1] / "bench" / "data"
# The hand-written sets in the order they were written, and the id prefix their sources give their documents.
WRITTEN = ("pii-handwritten-dev", "pii-dev2", "pii-holdout", *(f"pii-holdout-v{i}" for i in range(2, 26)))
SETS = {name: "pii-hw-dev" if name == "pii-handwritten-dev" else name for name in WRITTEN}


def _records(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_set_is_its_marked_up_source(name: str) -> None:
    source = (DATA / f"{name}.src.txt").read_text(encoding="utf-8")
    assert _records(name) == documents(source, SETS[name])


@pytest.mark.parametrize("name", sorted(SETS))
def test_spans_are_sorted_and_never_overlap(name: str) -> None:
    for record in _records(name):
        marks = sorted([(s["start"], s["end"]) for s in record["spans"]] +
                       [(n["start"], n["end"]) for n in record["hard_negatives"]])
        assert all(a[1] <= b[0] for a, b in zip(marks, marks[1:])), record["id"]


# Each hold-out against the sets developed on before it was written: from v3 on, every set written before it.
EARLIER = {"pii-holdout": WRITTEN[:2], "pii-holdout-v2": WRITTEN[:2],
           **{name: WRITTEN[:k] for k, name in enumerate(WRITTEN) if k >= 4}}


@pytest.mark.parametrize("holdout", sorted(EARLIER))
def test_no_holdout_document_repeats_a_development_one(holdout: str) -> None:
    dev = {" ".join(r["text"].lower().split()) for name in EARLIER[holdout] for r in _records(name)}
    assert not [r["id"] for r in _records(holdout) if " ".join(r["text"].lower().split()) in dev]
