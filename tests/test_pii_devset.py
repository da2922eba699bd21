"""The detector on the shared development set: the issue's targets, as a regression guard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govai.pii import CHECKSUMMED, get_detector
from govai.pii.scoring import score


@pytest.fixture(scope="module")
def report(shared: Path) -> dict:
    path = shared / "evalsets" / "pii" / "pii-dev.jsonl"
    if not path.exists():
        pytest.skip("pii-dev.jsonl is not present")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    detector = get_detector()
    preds = [[e.to_dict() for e in detector.detect(r["text"])] for r in records]
    return score(zip(records, preds)).as_dict()


def test_micro_f1_and_any_label_recall(report: dict) -> None:
    assert report["micro"]["f1"] >= 0.95
    assert report["any_label_recall"] >= 0.98


def test_checksummed_identifiers(report: dict) -> None:
    for label in CHECKSUMMED:
        assert report["per_label"][label]["f1"] >= 0.99, label


def test_checksum_hard_negatives_are_never_flagged(report: dict) -> None:
    for kind in ("ref10_fails_nhs_utr", "nine_digit_invalid", "iban_bad_check", "nino_invalid", "postcode_invalid"):
        flagged, total = report["hard_negative_fp"][kind]
        assert total > 0 and flagged == 0, kind
