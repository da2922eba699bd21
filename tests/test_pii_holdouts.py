"""The hand-written PII sets in bench/data: each JSON Lines file is exactly what its marked-up
source gives, and no document of a hold-out repeats one of the development set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govai.pii.markup import documents

DATA = Path(__file__).resolve().parents[1] / "bench" / "data"
SETS = {"pii-handwritten-dev": "pii-hw-dev", "pii-dev2": "pii-dev2", "pii-holdout": "pii-holdout",
        "pii-holdout-v2": "pii-holdout-v2", "pii-holdout-v3": "pii-holdout-v3",
        "pii-holdout-v4": "pii-holdout-v4", "pii-holdout-v5": "pii-holdout-v5",
        "pii-holdout-v6": "pii-holdout-v6", "pii-holdout-v7": "pii-holdout-v7", "pii-holdout-v8": "pii-holdout-v8",
        "pii-holdout-v9": "pii-holdout-v9", "pii-holdout-v10": "pii-holdout-v10", "pii-holdout-v11": "pii-holdout-v11",
        "pii-holdout-v12": "pii-holdout-v12", "pii-holdout-v13": "pii-holdout-v13",
        "pii-holdout-v14": "pii-holdout-v14", "pii-holdout-v15": "pii-holdout-v15",
        "pii-holdout-v16": "pii-holdout-v16", "pii-holdout-v17": "pii-holdout-v17",
        "pii-holdout-v18": "pii-holdout-v18", "pii-holdout-v19": "pii-holdout-v19",
        "pii-holdout-v20": "pii-holdout-v20", "pii-holdout-v21": "pii-holdout-v21",
        "pii-holdout-v22": "pii-holdout-v22"}


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


# Each hold-out against the sets developed on before it was written.
EARLIER = {"pii-holdout": ("pii-handwritten-dev", "pii-dev2"), "pii-holdout-v2": ("pii-handwritten-dev", "pii-dev2"),
           "pii-holdout-v3": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2"),
           "pii-holdout-v4": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3"),
           "pii-holdout-v5": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                              "pii-holdout-v4"),
           "pii-holdout-v6": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                              "pii-holdout-v4", "pii-holdout-v5"),
           "pii-holdout-v7": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                              "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6"),
           "pii-holdout-v8": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                              "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7"),
           "pii-holdout-v9": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                              "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8"),
           "pii-holdout-v10": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9"),
           "pii-holdout-v11": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9", "pii-holdout-v10"),
           "pii-holdout-v12": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9", "pii-holdout-v10", "pii-holdout-v11"),
           "pii-holdout-v13": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9", "pii-holdout-v10", "pii-holdout-v11", "pii-holdout-v12"),
           "pii-holdout-v14": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9", "pii-holdout-v10", "pii-holdout-v11", "pii-holdout-v12",
                               "pii-holdout-v13"),
           "pii-holdout-v15": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9", "pii-holdout-v10", "pii-holdout-v11", "pii-holdout-v12",
                               "pii-holdout-v13", "pii-holdout-v14"),
           "pii-holdout-v16": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9", "pii-holdout-v10", "pii-holdout-v11", "pii-holdout-v12",
                               "pii-holdout-v13", "pii-holdout-v14", "pii-holdout-v15"),
           "pii-holdout-v17": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9", "pii-holdout-v10", "pii-holdout-v11", "pii-holdout-v12",
                               "pii-holdout-v13", "pii-holdout-v14", "pii-holdout-v15", "pii-holdout-v16"),
           "pii-holdout-v18": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9", "pii-holdout-v10", "pii-holdout-v11", "pii-holdout-v12",
                               "pii-holdout-v13", "pii-holdout-v14", "pii-holdout-v15", "pii-holdout-v16",
                               "pii-holdout-v17"),
           "pii-holdout-v19": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9", "pii-holdout-v10", "pii-holdout-v11", "pii-holdout-v12",
                               "pii-holdout-v13", "pii-holdout-v14", "pii-holdout-v15", "pii-holdout-v16",
                               "pii-holdout-v17", "pii-holdout-v18"),
           "pii-holdout-v20": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9", "pii-holdout-v10", "pii-holdout-v11", "pii-holdout-v12",
                               "pii-holdout-v13", "pii-holdout-v14", "pii-holdout-v15", "pii-holdout-v16",
                               "pii-holdout-v17", "pii-holdout-v18", "pii-holdout-v19"),
           "pii-holdout-v21": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9", "pii-holdout-v10", "pii-holdout-v11", "pii-holdout-v12",
                               "pii-holdout-v13", "pii-holdout-v14", "pii-holdout-v15", "pii-holdout-v16",
                               "pii-holdout-v17", "pii-holdout-v18", "pii-holdout-v19", "pii-holdout-v20"),
           "pii-holdout-v22": ("pii-handwritten-dev", "pii-dev2", "pii-holdout", "pii-holdout-v2", "pii-holdout-v3",
                               "pii-holdout-v4", "pii-holdout-v5", "pii-holdout-v6", "pii-holdout-v7", "pii-holdout-v8",
                               "pii-holdout-v9", "pii-holdout-v10", "pii-holdout-v11", "pii-holdout-v12",
                               "pii-holdout-v13", "pii-holdout-v14", "pii-holdout-v15", "pii-holdout-v16",
                               "pii-holdout-v17", "pii-holdout-v18", "pii-holdout-v19", "pii-holdout-v20",
                               "pii-holdout-v21")}


@pytest.mark.parametrize("holdout", sorted(EARLIER))
def test_no_holdout_document_repeats_a_development_one(holdout: str) -> None:
    dev = {" ".join(r["text"].lower().split()) for name in EARLIER[holdout] for r in _records(name)}
    assert not [r["id"] for r in _records(holdout) if " ".join(r["text"].lower().split()) in dev]
