"""The answerability check: its evidence signals, the check_evidence step, the shipped
model and the training examples (counterfactuals with the answer pages withheld).

Guidance text is invented for these tests; the real MiniLM embedder scores it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from govai.answerability import train
from govai.answerability.model import load_model, model_path, save_model
from govai.answerability.signals import NAMES, Signals, signals_for as measure_signals
from govai.errors import ConfigError
from govai.ingest.pipeline import Ingester
from govai.pipeline.answer import answer_record
from govai.domain import Outcome
from govai.pipeline.context import Context
from govai.pipeline.replies import DEFAULT_REPLIES
from govai.profiles.model import ServiceProfile
from govai.runtime import Runtime

from conftest import WAIVED

KB = "test-answerability"
PAGES = [
    {"base_path": "/garden-pond-safety-grant", "title": "Garden pond safety grant",
     "body_markdown": "## What you get\n\nThe grant pays up to £250 towards a fence or a rigid pond cover.\n\n"
                      "## Who can apply\n\nYou can apply if your garden pond is deeper than 60 centimetres.\n\n"
                      "## Contact\n\nPond Safety Helpline\nTelephone: 0300 555 0199"},
    {"base_path": "/register-beehives", "title": "Register your beehives",
     "body_markdown": "## When to register\n\nRegister each new colony of honey bees within 28 days of getting it.\n\n"
                      "## Fees\n\nRegistration is free."},
    {"base_path": "/allotment-waiting-lists", "title": "Allotment waiting lists",
     "body_markdown": "## Join a waiting list\n\nContact your parish council to join the allotment waiting list.\n\n"
                      "## Rent\n\nAllotment rent is £40 a year for a full plot and £20 for a half plot."},
]
STEPS = ("normalise", "retrieve", "check_evidence", "compose", "check_citations")
NOT_FOUND = DEFAULT_REPLIES["not_found"]


def profile(**options) -> ServiceProfile:
    steps = [{"name": n, "options": options} if n == "check_evidence" and options else {"name": n} for n in STEPS]
    return ServiceProfile.model_validate({"name": "answerability-test", "kb": KB, "steps": steps,
                                          "waived_safeguards": WAIVED})


@pytest.fixture(scope="module")
def runtime(db, tmp_path_factory) -> Runtime:
    path = tmp_path_factory.mktemp("answerability") / "pages.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PAGES), encoding="utf-8")
    runtime = Runtime(profile())
    if runtime.knowledge.get(KB):
        runtime.knowledge.delete(KB)
    assert Ingester(runtime.knowledge, runtime.embedder, KB).run([path]).added == len(PAGES)
    return runtime


def signals_for(runtime: Runtime, question: str, **search) -> Signals:
    return measure_signals(runtime.retriever, KB, question, runtime.retriever.search(KB, question, **search).passages)


# ---------------------------------------------------------------- signals


def test_signals_are_higher_for_the_question_the_guidance_answers(runtime: Runtime) -> None:
    answered = signals_for(runtime, "How much does the pond safety grant pay towards a fence?")
    unrelated = signals_for(runtime, "What time does the last train to Edinburgh leave?")
    assert answered.sentence1 > unrelated.sentence1 + 0.2
    assert answered.passage1 > unrelated.passage1
    assert answered.typed_cover > unrelated.typed_cover
    assert answered.open_question == 0.0  # "how much" wants an amount
    assert set(answered.as_dict()) == set(NAMES) and answered.vector().shape == (len(NAMES),)


def test_typed_signal_needs_a_sentence_of_the_wanted_kind(runtime: Runtime) -> None:
    # Beehives: the guidance says when to register and that it is free, but gives no phone number;
    # the only number is the pond helpline's, on a page that shares none of the question's terms.
    ring = signals_for(runtime, "What number do I ring to register my beehives?")
    when = signals_for(runtime, "How long do I have to register a new bee colony?")
    assert ring.typed < 0.4 and ring.typed_cover == 0.0
    assert when.typed > 0.4 and when.typed_cover > 0.5


def test_a_story_is_measured_apart_from_the_ask(runtime: Runtime) -> None:
    ask = "How much is the rent for a half allotment plot?"
    story = ("Hi all, my husband and I moved to the village last spring and we have been trying to eat better. "
             "Our landlord says we can't dig up the back garden and the kids want to grow strawberries. "
             "Money is tight since I went part time. ")
    plain, posted = signals_for(runtime, ask), signals_for(runtime, story + ask)
    assert plain.story_share == 0.0 and 0.6 < posted.story_share < 1.0
    assert posted.sentence1 < plain.sentence1  # what the model must read in the light of story_share


def test_withholding_the_page_lowers_the_evidence(runtime: Runtime) -> None:
    question = "How much is the rent for a half allotment plot?"
    full = signals_for(runtime, question)
    withheld = signals_for(runtime, question, exclude={"/allotment-waiting-lists"})
    assert withheld.sentence1 < full.sentence1 and withheld.typed_cover < full.typed_cover


# ---------------------------------------------------------------- the step


def test_answers_when_the_guidance_answers(runtime: Runtime) -> None:
    ctx = runtime.ask("How long do I have to register a new colony of honey bees?")
    assert ctx.outcome is Outcome.ANSWERED and "28 days" in ctx.answer
    record = next(r for r in ctx.records if r.step == "check_evidence")
    assert record.detail["score"] >= record.detail["threshold"]
    assert set(record.detail["signals"]) == set(NAMES)


@pytest.mark.parametrize("question", [
    "What time does the last train to Edinburgh leave tonight?",
    "Which team won the football cup final in 1966?",
    "asdf qwerty zxcv",
])
def test_abstains_with_signposting_when_it_does_not(runtime: Runtime, question: str) -> None:
    ctx = runtime.ask(question)
    record = answer_record(ctx)
    assert record["abstained"] is True and record["outcome"] == "abstained"
    assert record["answer"] == NOT_FOUND and record["citations"] == []
    assert record["retrieved"]  # retrieval ran; the evidence did not answer
    assert "does not answer" in ctx.reason
    assert "compose" not in [r.step for r in ctx.records]  # no provider was asked


def test_threshold_option_tunes_how_readily_it_abstains(runtime: Runtime) -> None:
    question = "What time does the last train to Edinburgh leave tonight?"
    never = Runtime(profile(threshold=0.0))
    always = Runtime(profile(threshold=1.01))
    assert never.ask(question).outcome is Outcome.ANSWERED
    assert always.ask("How long do I have to register a new colony of honey bees?").outcome is Outcome.ABSTAINED


def test_no_passages_is_an_abstention(runtime: Runtime) -> None:
    ctx = Context(question="q", text="q", kb=KB)
    check = runtime.pipeline.steps[[s.name for s in runtime.pipeline.steps].index("check_evidence")]
    check(ctx)
    assert ctx.outcome is Outcome.ABSTAINED and ctx.reason == "no guidance retrieved"


def test_the_service_can_word_the_not_found_reply(runtime: Runtime) -> None:
    worded = profile().model_copy(update={"canned": {"not_found": "Try the pond team on 0300 555 0199."}})
    ctx = Runtime(worded).ask("Which team won the football cup final in 1966?")
    assert ctx.answer == "Try the pond team on 0300 555 0199."


# ---------------------------------------------------------------- the model


def test_shipped_model_was_trained_on_the_current_data() -> None:
    model = load_model()
    assert model.meta["data_sha256"] == train.data_fingerprint(), (
        "answerability/data changed since the model was trained: run python -m govai.answerability.train"
    )
    assert 0.0 < model.threshold < 1.0
    assert model_path().stat().st_size < 64 * 1024


def test_a_model_trained_on_signals_govai_does_not_measure_is_refused(tmp_path: Path) -> None:
    data = json.loads(model_path().read_text(encoding="utf-8"))
    data["signals"] = [*data["signals"][:-1], "crystal_ball"]
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="does not measure"):
        load_model(stale)
    data["signals"] = data["signals"][:-2]  # fewer names than weights
    stale.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="does not measure"):
        load_model(stale)


def test_a_model_trained_on_fewer_signals_still_scores(tmp_path: Path) -> None:
    # An older model file (or a department's own) names the signals it weighs: the rest are not read.
    names = NAMES[:10]
    older = train._weights([train.Example(f"q{i}", replace(Signals(*[0.5] * len(NAMES)), sentence1=0.3 + 0.01 * i,
                                                           story_share=float(i % 2)), i > 20, "answerable")
                            for i in range(40)], names)
    path = save_model(older, tmp_path / "older.json")
    loaded = load_model(path)
    assert loaded.signals == names
    low, high = (Signals(*[0.5] * len(NAMES)) for _ in range(2))
    assert loaded.score(replace(high, sentence1=0.7)) > loaded.score(replace(low, sentence1=0.3))
    assert loaded.score(replace(low, story_share=1.0)) == loaded.score(low)


def test_model_round_trips_through_its_file(tmp_path: Path) -> None:
    model = load_model()
    copy = load_model(save_model(model, tmp_path / "copy.json"))
    example = Signals(*[0.5] * len(NAMES))
    assert copy.score(example) == pytest.approx(model.score(example))
    assert copy.threshold == model.threshold


def test_logistic_regression_separates_and_sets_the_threshold() -> None:
    rng = np.random.default_rng(0)
    base = Signals(*[0.5] * len(NAMES))
    data = [train.Example(f"q{i}", replace(base, sentence1=float(rng.normal(0.7 if i % 2 else 0.4, 0.05))),
                          bool(i % 2), "answerable" if i % 2 else "unanswerable") for i in range(400)]
    model = train.fit(data, false_abstention=0.05)
    assert model.coef[NAMES.index("sentence1")] > 0
    # The threshold targets questions the model was not fitted on: measure it on a fresh sample.
    fresh = [train.Example(f"f{i}", replace(base, sentence1=float(rng.normal(0.7 if i % 2 else 0.4, 0.05))),
                           bool(i % 2), "answerable" if i % 2 else "unanswerable") for i in range(4000)]
    rates = train.rates(model, fresh)
    assert rates["answerable"] == pytest.approx(0.05, abs=0.02)
    assert rates["unanswerable"] > 0.95



def test_threshold_is_read_off_out_of_fold_scores_grouped_by_source() -> None:
    groups = train.source_groups([
        {"id": "a", "expected_sources": ["https://www.legislation.gov.uk/ukpga/2024/11/section/7"]},
        {"id": "b", "expected_sources": ["https://www.legislation.gov.uk/ukpga/2024/11/section/1"]},
        {"id": "c", "expected_sources": ["https://www.gov.uk/carers-allowance/"]},
        {"id": "u", "expected_sources": []},
    ])
    assert groups["a"] == groups["b"] != groups["c"] and groups["u"] == "u"
    rng = np.random.default_rng(1)
    base = Signals(*[0.5] * len(NAMES))
    data = [train.Example(f"q{i}", replace(base, sentence1=float(rng.normal(0.6 if i % 2 else 0.45, 0.08))),
                          bool(i % 2), "answerable" if i % 2 else "unanswerable") for i in range(300)]
    model = train.fit(data, false_abstention=0.05)
    held_out = train.out_of_fold_scores(data)
    in_sample = [model.score(e.signals) for e in data if e.answerable]
    oof = [s for s, e in zip(held_out, data) if e.answerable]
    assert model.threshold == pytest.approx(float(np.quantile(oof, 0.05)))
    assert model.threshold != pytest.approx(float(np.quantile(in_sample, 0.05)))


# ---------------------------------------------------------------- training examples


def test_each_question_is_also_asked_as_a_citizen_and_as_a_forum_post() -> None:
    rows = [{"id": "a", "kind": "answerable", "question": "How much is the rent for a half allotment plot?",
             "expected_sources": ["/allotment-waiting-lists"]},
            {"id": "u", "kind": "unanswerable", "question": "How much is a rod fishing licence?", "expected_sources": []}]
    asked = train.variant_rows(rows)
    assert [r["id"] for r in asked] == ["a", "a~citizen", "a~forum", "u", "u~citizen", "u~forum"]
    assert asked == train.variant_rows(rows)  # seeded: the same data every run
    forum = asked[2]["question"]
    assert len(forum.split()) > 3 * len(rows[0]["question"].split())
    assert "rent for a half allotment plot" in forum.lower()
    groups = train.source_groups(asked)
    assert groups["a"] == groups["a~citizen"] == groups["a~forum"]  # one fold for a question and its variants
    assert groups["u"] == groups["u~forum"] == "u"
    assert [train.variant_of(r["id"]) for r in asked[:3]] == ["written", "citizen", "forum"]


def test_training_examples_include_counterfactuals(runtime: Runtime) -> None:
    rows = [
        {"id": "a", "kind": "answerable", "question": "How much is the rent for a half allotment plot?",
         "expected_sources": ["/allotment-waiting-lists"], "support_quotes": ["£20 for a half plot"]},
        {"id": "u", "kind": "unanswerable", "question": "How much is a rod fishing licence?",
         "expected_sources": []},
    ]
    got = train.examples(runtime.retriever, KB, rows)
    assert [(e.question_id, e.kind, e.answerable) for e in got] == [
        ("a", "answerable", True), ("a", "counterfactual", False), ("u", "unanswerable", False)]


def test_no_counterfactual_when_the_answer_is_on_another_page_too(runtime: Runtime) -> None:
    rows = [{"id": "b", "kind": "answerable", "question": "Do I have to pay to register my beehives?",
             "expected_sources": ["/register-beehives"], "support_quotes": ["Telephone: 0300 555 0199"]}]
    # The quote is on the pond grant page as well, so withholding the beehive page does not remove it.
    got = train.examples(runtime.retriever, KB, rows)
    assert [e.kind for e in got] == ["answerable"]
