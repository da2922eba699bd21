"""``govai pii detect|redact`` and ``govai eval pii``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from govai.cli.eval import eval_app
from govai.cli.pii import app

runner = CliRunner()
TEXT = "Dear Mr Smith, your NI number is AB 12 34 56 C. Call 07700 900123.\n"


def test_detect_json_from_stdin() -> None:
    result = runner.invoke(app, ["detect", "--json"], input=TEXT)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["source"] == "-"
    assert [(e["label"], e["text"]) for e in out["entities"]] == [
        ("PERSON", "Smith"), ("NINO", "AB 12 34 56 C"), ("PHONE_UK", "07700 900123")]


def test_detect_files_and_label_filter(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT)
    b.write_bytes(b"\x00\xff\xfe binary junk NHS no. 943 476 5919 \x80")
    result = runner.invoke(app, ["detect", "--json", "-l", "NHS_NUMBER", str(a), str(b)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [len(x["entities"]) for x in lines] == [0, 1]


def test_redact_with_per_label_operators() -> None:
    result = runner.invoke(app, ["redact", "-o", "NINO=mask", "-o", "PERSON=pseudonymise"], input=TEXT)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Dear Mr [PERSON_1], your NI number is ** ** ** ** C. Call [PHONE_UK].\n"


def test_redact_json_never_repeats_the_values() -> None:
    result = runner.invoke(app, ["redact", "--json"], input=TEXT)
    out = json.loads(result.stdout)
    assert "AB 12 34 56 C" not in result.stdout and out["text"].startswith("Dear Mr [PERSON]")
    assert {r["operator"] for r in out["replacements"]} == {"redact"}


def test_bad_operator_and_label_are_clear_errors() -> None:
    result = runner.invoke(app, ["redact", "-o", "NINO=shred"], input=TEXT)
    assert result.exit_code == 1 and "unknown PII operator 'shred'" in result.output
    result = runner.invoke(app, ["redact", "-o", "NINO"], input=TEXT)
    assert result.exit_code == 1 and "LABEL=OPERATOR" in result.output
    result = runner.invoke(app, ["detect", "-l", "SSN"], input=TEXT)
    assert result.exit_code == 1 and "unknown label" in result.output


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["detect", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1 and "cannot read" in result.output


def test_eval_pii_writes_predictions_with_original_offsets(tmp_path: Path) -> None:
    data = tmp_path / "set.jsonl"
    records = [
        {"id": "r1", "text": "NI: AB\u200b123456C", "spans": [{"start": 4, "end": 14, "label": "NINO"}]},
        {"id": "r2", "text": "nothing here", "spans": []},
    ]
    data.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    out = tmp_path / "pred.jsonl"
    result = runner.invoke(eval_app, ["pii", str(data), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    preds = [json.loads(line) for line in out.read_text().splitlines()]
    assert preds == [{"id": "r1", "spans": [{"start": 4, "end": 14, "label": "NINO"}]}, {"id": "r2", "spans": []}]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["micro"]["f1"] == 1.0


def test_eval_pii_rejects_malformed_records(tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"id": 1}\n')
    result = runner.invoke(eval_app, ["pii", str(data), "--out", str(tmp_path / "p.jsonl")])
    assert result.exit_code == 1 and "needs an 'id' and a string 'text'" in result.output


def test_many_files_are_screened_in_order_as_one_at_a_time(tmp_path: Path) -> None:
    from govai.pii import get_detector

    texts = [f"Note {i}: spoke to Amara Nwosu, NI number AB 12 34 56 C." if i % 3 else f"Nothing here {i}."
             for i in range(20)]  # more files than one batch
    files = []
    for i, text in enumerate(texts):
        files.append(tmp_path / f"n{i:02}.txt")
        files[-1].write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["detect", "--json", *map(str, files)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert [r["source"] for r in rows] == [str(f) for f in files]
    detector = get_detector()
    for row, text in zip(rows, texts):
        assert [(e["start"], e["end"], e["label"]) for e in row["entities"]] == [
            (e.start, e.end, e.label) for e in detector.detect(text)]
    assert any(r["entities"] for r in rows)
