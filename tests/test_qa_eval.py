"""Scoring of grounded answers (govai.evals.qa) on hand-built predictions."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from govai.errors import GovAIError
from govai.evals import qa

LEG = "https://www.legislation.gov.uk/ukpga/2099/7/section/1"


def words(n: int, fact: str = "council") -> str:
    return " ".join([fact] + ["word"] * (n - 1))


def pred(answer: str, *, abstained: bool = False, citations=(), retrieved=(), latency: float = 10.0) -> dict:
    return {
        "answer": answer,
        "abstained": abstained,
        "citations": list(citations),
        "retrieved": list(retrieved),
        "latency_ms": latency,
    }


ROWS = [
    {"id": "q1", "kind": "answerable", "question": "?", "expected_sources": ["/pond-grant"], "key_facts": ["£250"]},
    {"id": "q2", "kind": "multi_hop", "question": "?", "expected_sources": ["/hives", LEG],
     "key_facts": ["28 days", "fence"]},
    {"id": "q3", "kind": "unanswerable", "question": "?", "expected_sources": [], "key_facts": []},
    {"id": "q4", "kind": "answerable", "question": "?", "expected_sources": ["/bonfires/"], "key_facts": ["Council"]},
    {"id": "q5", "kind": "answerable", "question": "?", "expected_sources": ["https://www.gov.uk/long"],
     "key_facts": ["council"]},
    {"id": "q6", "kind": "answerable", "question": "no prediction for this one", "expected_sources": ["/x"]},
]

PREDS = {
    # Right page first, given as a full GOV.UK URL with an anchor and trailing slash.
    "q1": pred("You can get up to £250 towards a fence. [1]", citations=["/pond-grant#who-can-apply"],
               retrieved=["https://www.gov.uk/pond-grant/#who-can-apply", "/hives"], latency=10),
    # Expected source third after deduplication (/other and /other#x are one page);
    # one key fact missing; one citation that was never retrieved.
    "q2": pred("Register within 28 days. [1]", citations=["/third", "/missing"],
               retrieved=["/other", "/other#x", "/third", LEG + "/"], latency=20),
    "q3": pred("", abstained=True, retrieved=["/x"], latency=30),
    # A false abstention; the expected page is 13th, outside the top 10.
    "q4": pred("", abstained=True, retrieved=[f"/p{i}" for i in range(12)] + ["/bonfires"], latency=40),
    # All key facts, but 121 words: over the limit.
    "q5": pred(words(121), citations=["/long"], retrieved=["/long"], latency=50),
}


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    return qa.score(ROWS, PREDS)


def test_recall_and_mrr(scores) -> None:
    assert scores["questions"] == 5
    assert scores["recall@1"] == pytest.approx(2 / 4)  # q1, q5
    assert scores["recall@5"] == pytest.approx(3 / 4)  # + q2 at rank 3
    assert scores["recall@10"] == pytest.approx(3 / 4)  # q4's page is 13th, past the cut at 10
    assert scores["mrr"] == pytest.approx((1 + 1 / 3 + 0 + 1) / 4)


def test_key_fact_accuracy_needs_every_fact_no_abstention_and_120_words(scores) -> None:
    assert scores["key_fact_accuracy"] == pytest.approx(1 / 4)  # only q1


def test_abstention_rates(scores) -> None:
    assert scores["abstention_on_unanswerable"] == 1.0
    assert scores["false_abstention"] == pytest.approx(1 / 4)


def test_citation_validity_counts_every_prediction(scores) -> None:
    assert scores["citation_validity"] == pytest.approx(4 / 5)


def test_latency_percentiles(scores) -> None:
    assert scores["latency_p50_ms"] == pytest.approx(30)
    assert scores["latency_p95_ms"] == pytest.approx(48)


@pytest.mark.parametrize(("n", "ok"), [(120, True), (121, False)])
def test_the_120_word_rule_is_inclusive(n: int, ok: bool) -> None:
    rows = [{"id": "a", "kind": "answerable", "question": "?", "expected_sources": ["/a"], "key_facts": ["COUNCIL"]}]
    result = qa.score(rows, {"a": pred(words(n), citations=["/a"], retrieved=["/a"])})
    assert result["key_fact_accuracy"] == (1.0 if ok else 0.0)


def test_no_unanswerable_rows_gives_nan_not_an_error() -> None:
    result = qa.score(ROWS[:1], {"q1": PREDS["q1"]})
    assert math.isnan(result["abstention_on_unanswerable"])
    assert result["recall@1"] == 1.0


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("/pond-grant", "/pond-grant"),
        ("/pond-grant#how-to-apply", "/pond-grant"),
        ("https://www.gov.uk/pond-grant", "/pond-grant"),
        ("https://www.gov.uk/pond-grant/", "/pond-grant"),
        ("https://www.gov.uk/pond-grant/#eligibility", "/pond-grant"),
        ("https://www.gov.uk/", "/"),
        (LEG + "#p1", LEG),
        (LEG + "/", LEG),
    ],
)
def test_normalise_id(raw: str, normal: str) -> None:
    assert qa.normalise_id(raw) == normal


def test_load_questions_reports_bad_lines(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "a", "question": "q"}) + "\n\n" + json.dumps({"id": "b", "question": "r"}) + "\n")
    assert [r["id"] for r in qa.load_questions(good)] == ["a", "b"]

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "a", "question": "q"}) + "\n{not json\n")
    with pytest.raises(GovAIError, match=":2: not valid JSON"):
        qa.load_questions(bad)

    missing = tmp_path / "missing.jsonl"
    missing.write_text(json.dumps({"question": "no id"}) + "\n")
    with pytest.raises(GovAIError, match=":1: each row needs 'id' and 'question'"):
        qa.load_questions(missing)

    with pytest.raises(GovAIError, match="cannot read"):
        qa.load_questions(tmp_path / "absent.jsonl")


def test_run_writes_only_the_prediction_fields_in_order() -> None:
    rows = [{"id": "x1", "question": "first"}, {"id": "x2", "question": "second"}]
    record = {"answer": "A [1]", "abstained": False, "citations": ["/a"], "retrieved": ["/a"], "latency_ms": 1.5,
              "outcome": "answered", "flags": []}
    out = list(qa.run(rows, lambda q: {**record, "answer": q}))
    assert [p["id"] for p in out] == ["x1", "x2"]
    assert [p["answer"] for p in out] == ["first", "second"]
    assert set(out[0]) == {"id", "answer", "abstained", "citations", "retrieved", "latency_ms"}
