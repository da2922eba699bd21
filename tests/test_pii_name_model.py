"""The names recogniser's learned second opinion: its features, the shipped weights, the switch that
turns it off, and the trainer that writes it (leave one set out, never the blind sets)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from govai.pii import name_model
from govai.pii.detector import Detector, build_recognisers
from govai.pii.markup import documents
from govai.pii.train_name_model import BLIND, TRAINING_SETS, main

DATA = Path(__file__).resolve().parents[1] / "bench" / "data"


def _names(text: str, second_opinion: bool = True) -> list[str]:
    detector = Detector(build_recognisers({"recogniser_options": {"person": {"second_opinion": second_opinion}}}))
    return [text[e.start : e.end] for e in detector.detect(text) if e.label == "PERSON"]


def test_features_read_shape_evidence_and_context() -> None:
    text = "Minutes\nRA to organise the litter pick.\n<sue.c> anyone know if the Jobcentre is open"
    start = text.index("RA")
    f = name_model.features(text, start, start + 2, 0.1, ["caps_token"], Counter({"RA": 1}))
    assert f["shape=initials"] == f["line_start"] == f["acts_after"] == f["ev=caps_token"] == 1.0
    assert f["rule_score"] == pytest.approx(0.1) and "score>=0.5" not in f
    start = text.index("sue.c")
    f = name_model.features(text, start, start + 5, 0.1, ["handle_shape"], Counter({"sue.c": 2}))
    assert f["shape=handle"] == f["handle_prefix"] == f["repeated"] == 1.0
    f = name_model.features("Dear Mrs Okafor,", 9, 15, 0.9, ["title"], Counter(), frozenset({"title"}))
    assert f["title_before"] == f["score>=0.9"] == 1.0


def test_organisation_handles_are_told_from_people() -> None:
    f = name_model.features("@advicenow_uk: you can ask", 1, 13, 0.1, ["handle_shape"], Counter())
    assert f["handle_organisation_word"] == 1.0 and "handle_first_name" not in f
    f = name_model.features("@chloe.mcgrath02: same", 1, 16, 0.1, ["handle_shape"], Counter())
    assert f["handle_first_name"] == 1.0


def test_the_score_puts_the_shipped_threshold_on_the_detectors() -> None:
    model = name_model.NameModel({"bias": 0.0, "x": 1.0}, threshold=0.3)
    assert model.score({"bias": 1.0}) > 0.5  # probability 0.5 is above this model's threshold of 0.3
    assert model.score({"bias": 1.0, "x": -1.0}) < 0.5
    assert 0.0 <= model.score({"x": -1000.0}) < model.score({"x": 1000.0}) <= 1.0


def test_the_shipped_model_was_trained_on_the_hand_written_sets_only() -> None:
    shipped = json.loads((Path(name_model.__file__).with_name("data") / "name_model.json").read_text())
    assert set(shipped["sets"]) == set(TRAINING_SETS)
    assert not set(shipped["sets"]) & set(BLIND) and not any("shared" in s for s in shipped["sets"])
    assert shipped["weights"]["rule_score"] > 0  # the rules' score is evidence the model builds on


def test_the_second_opinion_changes_what_the_rules_alone_find() -> None:
    text = "Applicant Darius Petrauskas (Lithuanian, EUSS settled) presented at the desk."
    assert _names(text, second_opinion=False) == ["Darius Petrauskas", "EUSS"]  # an acronym read as a name
    assert _names(text) == ["Darius Petrauskas"]
    minutes = "Sederunt: A. Beveridge (Convener), J. Reid"
    assert _names(minutes, second_opinion=False) == ["Sederunt", "A. Beveridge", "J. Reid"]
    assert _names(minutes) == ["A. Beveridge", "J. Reid"]
    chat = "<jo.h> anyone know if the library is open monday\n<tom_b> nah shut till tues\n<jo.h> ta"
    assert _names(chat, second_opinion=False) == [] and _names(chat).count("jo.h") == 2  # handles in a chat
    chat = "[15:32] Amir (Home Office): Hi, I can see your application\n[15:33] Carmen: thanks"
    assert _names(chat, second_opinion=False) == ["Carmen"] and _names(chat) == ["Amir", "Carmen"]
    chat = "@chloe.mcgrath02: this happened to me\n@advicenow_uk: you can ask for a reconsideration"
    assert _names(chat) == ["chloe.mcgrath02"]


def test_the_trainer_refuses_blind_sets_and_missing_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check", "--sets", BLIND[0]]) == 2
    assert "blind" in capsys.readouterr().err
    assert main(["--check", "--data", str(tmp_path), "--sets", "nowhere"]) == 2
    assert "missing" in capsys.readouterr().err


def test_the_trainer_writes_weights_from_two_sets_with_figures_for_each(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a", "b"):
        source = (DATA / "pii-handwritten-dev.src.txt").read_text(encoding="utf-8")
        part = source[: 6000] if name == "a" else source[6000:12000]
        part = part[part.index("### ") : part.rindex("\n### ")]
        records = documents(part, name)
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "model.json"
    assert main(["--data", str(tmp_path), "--sets", "a", "b", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "pooled, rules" in printed and "pooled, model" in printed and printed.count("→") == 3  # the header and one row per set
    written = json.loads(out.read_text())
    assert written["sets"] == ["a", "b"] and written["candidates"] > 0 and "rule_score" in written["weights"]
    model = name_model.NameModel(written["weights"], written["threshold"])
    assert 0.0 <= model.probability({"bias": 1.0, "rule_score": 0.9}) <= 1.0


def test_evidence_the_model_never_saw_keeps_its_rule_score() -> None:
    model = name_model.NameModel({"bias": -5.0}, known_evidence=frozenset({"title"}))
    assert model.knows(["title"]) and not model.knows(["title", "lower_first_and_word"])
    assert name_model.NameModel({}).knows(["anything"])  # a model without the list judges every candidate
    shipped = name_model.shipped()
    assert shipped.known_evidence and "caps_token" in shipped.known_evidence
    # A lower-case full name after "my name is": evidence the hand-written sets never produced below 0.9.
    text = "hi my name is keira hall NI no AB123456C can u check why my uc is late"
    assert "keira hall" in _names(text) and "keira hall" in _names(text, second_opinion=False)
