"""The question hold-outs written for GovAI: well formed, checkable against the corpus, and apart
from the training questions (a hold-out a model has trained on measures nothing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govai.evals.qa import load_questions, normalise_id

from conftest import REPO

HOLDOUTS = sorted((REPO / "bench" / "data").glob("holdout-*qa.jsonl"))
TRAINING = REPO / "src" / "govai" / "answerability" / "data" / "questions.jsonl"


def _squash(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


@pytest.mark.parametrize("path", HOLDOUTS, ids=lambda p: p.name)
def test_a_holdout_is_well_formed_and_apart_from_training(path: Path) -> None:
    rows = load_questions(path)
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        answerable = row["kind"] == "answerable"
        assert bool(row["key_facts"]) == answerable and bool(row["expected_sources"]) == answerable, row["id"]
    training = {_squash(r["question"]) for r in load_questions(TRAINING)}
    assert not [r["id"] for r in rows if _squash(r["question"]) in training]


def test_the_forum_holdout_asks_long_questions_whose_facts_are_in_their_pages(shared: Path) -> None:
    rows = load_questions(REPO / "bench" / "data" / "holdout-forum-qa.jsonl")
    assert min(len(r["question"].split()) for r in rows) >= 70
    pages = {}
    with (shared / "corpus" / "govuk" / "pages.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            page = json.loads(line)
            pages[normalise_id(page["base_path"])] = page["body_markdown"]
    for row in rows:
        bodies = [pages[normalise_id(s)] for s in row["expected_sources"]]
        for fact in row["key_facts"] + row["support_quotes"]:
            assert any(fact in body for body in bodies), (row["id"], fact)
