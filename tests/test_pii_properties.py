"""Property tests: any Unicode text, lone surrogates included, goes through detect, redact and
``govai pii`` without a crash, and what comes back is consistent with the input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from govai.cli.eval import eval_app
from govai.cli.pii import app
from govai.pii import LABELS, get_detector
from govai.pii.operators import anonymise

runner = CliRunner()

# Every code point, surrogates (U+D800..U+DFFF) included, mixed with text the recognisers react to,
# so that odd characters land inside and beside candidate names, numbers and addresses.
ANY_CHAR = st.one_of(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()),
                     st.integers(0xD800, 0xDFFF).map(chr))  # lone surrogates, which st.characters may leave out
PII_BITS = st.sampled_from([
    "Mr ", "Smith", "john smith", "SMITH, John", "AB 12 34 56 C", "943 476 5919", "07700 900123",
    "sort code 20-00-00 acc 12345678", "dob 3/4/85", "date of birth?\n", "12 High Street, Leeds ", "LS1 4AP",
    "a@b.co.uk", "PC 4417 ", "Kind regards,\n", "\\ud83d\\ude00", "\n", " ", ", ",
])
TEXTS = st.lists(st.one_of(st.text(ANY_CHAR, max_size=12), PII_BITS), max_size=12).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def detector():
    return get_detector().warm_up()


@FAST
@given(text=TEXTS)
def test_detect_returns_valid_spans(detector, text: str) -> None:
    entities = detector.detect(text)
    for e in entities:
        assert 0 <= e.start < e.end <= len(text)
        assert e.label in LABELS
        assert 0.0 <= e.score <= 1.0
    spans = sorted((e.start, e.end) for e in entities)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:])), "overlapping entities"


@FAST
@given(text=TEXTS)
def test_redact_keeps_the_text_between_entities(detector, text: str) -> None:
    entities = detector.detect(text)
    result = anonymise(text, entities)
    assert [(r.start, r.end) for r in result.replacements] == sorted((e.start, e.end) for e in entities)
    # Removing the replacements from the output gives back exactly the text between the entities.
    kept, out_pos, pos = [], 0, 0
    rest = result.text
    for r in result.replacements:
        between = text[pos : r.start]
        assert rest[out_pos : out_pos + len(between)] == between
        out_pos += len(between) + len(r.replacement)
        kept.append(between)
        pos = r.end
    assert rest[out_pos:] == text[pos:]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_cli_detect_and_redact_never_crash(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")  # what a file or pipe with lone surrogates holds
    detected = runner.invoke(app, ["detect", "--json"], input=data)
    assert detected.exit_code == 0, detected.output
    for line in detected.stdout.splitlines():
        json.loads(line)
    redacted = runner.invoke(app, ["redact"], input=data)
    assert redacted.exit_code == 0, redacted.output
    assert "Traceback" not in redacted.output


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXTS, min_size=1, max_size=4))
def test_cli_eval_pii_scores_any_rows(tmp_path: Path, texts: list[str]) -> None:
    data = tmp_path / "rows.jsonl"
    # json.dumps writes a lone surrogate as the escape "\\udXXX", as files from other tools do.
    data.write_text("".join(json.dumps({"id": str(i), "text": t, "spans": []}) + "\n" for i, t in enumerate(texts)))
    out = tmp_path / "pred.jsonl"
    result = runner.invoke(eval_app, ["pii", str(data), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(texts)
