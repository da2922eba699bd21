"""Service profiles: presets, validation, classification, review rules and notices."""

from __future__ import annotations

from pathlib import Path

import pytest

from govai.errors import ConfigError
from govai.domain import Classification, Outcome
from govai.pipeline.context import Context
from govai.pipeline.steps.review import exchange_of
from govai.pipeline.steps.security_marking import SecurityMarking, marking_in
from govai.policy.review import detectors, matches
from govai.profiles import load_profile, preset_names
from govai.profiles.model import DEFAULT_STEPS, SAFEGUARDS, ReviewRule, ServiceProfile

SECTORS = ["defence", "education", "justice", "tax_benefits"]


def test_sector_presets_ship() -> None:
    assert set(SECTORS) <= set(preset_names())


@pytest.mark.parametrize("name", ["default", *SECTORS])
def test_presets_are_valid_and_routed_and_audited(name: str) -> None:
    profile = load_profile(name)
    steps = [s.name for s in profile.steps]
    # Policy before routing before composing; review and audit last.
    assert steps.index("security_marking") < steps.index("route") < steps.index("retrieve") < steps.index("compose")
    assert steps[-2:] == ["review", "audit"]
    if "pseudonymise" in steps:
        assert steps.index("pseudonymise") < steps.index("route")


def test_every_preset_step_is_registered() -> None:
    import govai.pipeline.steps  # noqa: F401
    from govai.pipeline.step import steps

    missing = {n: s.name for n in preset_names() for s in load_profile(n).steps if s.name not in steps}
    assert not missing, f"steps named in presets but not registered: {missing}"


def test_sector_rules() -> None:
    education = load_profile("education")
    assert education.uk_only and education.retention.log_text
    assert {r.add_flag for r in education.review} >= {"safeguarding", "blocked_attempt"}
    assert any("not by a person" in n for n in education.notices)

    justice = load_profile("justice")
    assert justice.responsible is not None and justice.responsible.name
    assert any(r.action == "hold" and "decision" in r.detect for r in justice.review)
    assert any("not legal advice" in n for n in justice.notices)

    tax = load_profile("tax_benefits")
    assert any("looked at again" in n and "30 days" in n for n in tax.notices)
    assert any(r.action == "flag" and "decision" in r.detect for r in tax.review)

    defence = load_profile("defence")
    assert defence.classification is Classification.SECRET
    assert defence.routing.on_premises_only and defence.uk_only
    assert defence.risk_record is not None and defence.risk_record.human_centricity


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "service.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("name: x\nuk_only: maybe\n", "uk_only"),
        ("name: x\nclassification: CONFIDENTIAL\n", "classification"),
        ("name: x\nbudget: {daily_gbp: 5}\nsteps: [normalise, pseudonymise, screen_input, compose]\n"
         "waived_safeguards: {audit: none}\n", "add the 'audit' step"),
        ("name: x\nsteps: [normalise, retrieve, compose, audit]\n", "without pseudonymise"),
        ("name: x\nsteps: [normalise, pseudonymise, retrieve, compose]\n", "waived_safeguards: {screen_input: <why>, audit: <why>}"),
        ("name: x\nwaived_safeguards: {audit: 'not needed'}\n", "waived but also listed in steps"),
        ("name: x\nwaived_safeguards: {retrieve: 'not needed'}\n", "is not a safeguard"),
        ("name: x\nsteps: [normalise, normalise, pseudonymise, screen_input, audit]\n", "more than once"),
        ("name: x\ncanned: {not_fonud: 'Sorry'}\n", "unknown canned reply key"),
        ("name: x\nsector: justice\n", "must name the person responsible"),
        ("name: x\nreview: [{name: r, action: shout}]\n", "review.0.action"),
        ("name: x\nreview: [{name: r, answer_matches: ['(']}]\n", "bad regular expression"),
        ("name: x\nrouting: {personal_data: sometimes}\n", "routing.personal_data"),
        ("name: x\nproviders: []\n", "name at least one provider"),
        ("name: x\nfavourite_colour: blue\n", "favourite_colour"),
        ("- just\n- a list\n", "must be a YAML mapping"),
        ("name: [unclosed\n", "not valid YAML"),
    ],
)
def test_invalid_profiles_are_explained(tmp_path: Path, yaml_text: str, message: str) -> None:
    with pytest.raises(ConfigError, match="service.yaml") as err:
        load_profile(write(tmp_path, yaml_text))
    assert message in str(err.value)


def test_a_profile_without_steps_gets_the_full_safeguarded_pipeline(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, "name: bare\n"))
    names = [s.name for s in profile.steps]
    assert names == DEFAULT_STEPS
    assert set(SAFEGUARDS) <= set(names) and profile.waivers() == []


def test_waiving_a_safeguard_is_explicit_and_warned_about(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, "name: w\nsteps: [normalise, screen_input, retrieve, compose, audit]\n"
                                            "waived_safeguards: {pseudonymise: staff search of published guidance}\n"))
    [warning] = profile.waivers()
    assert warning.startswith("pseudonymise is waived (staff search of published guidance)")
    assert "personal data in clear" in warning


def test_unknown_preset_lists_the_presets() -> None:
    with pytest.raises(ConfigError, match="presets: .*justice"):
        load_profile("no-such-service")


def test_providers_file_is_relative_to_the_profile(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "svc.yaml"
    path.write_text("name: svc\nproviders_file: providers.yaml\n", encoding="utf-8")
    assert load_profile(path).providers_file == str((tmp_path / "conf" / "providers.yaml").resolve())


# -- classification -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("OFFICIAL-SENSITIVE: staffing plan for the unit", Classification.OFFICIAL_SENSITIVE),
        ("OFFICIAL SENSITIVE summary", Classification.OFFICIAL_SENSITIVE),
        ("SECRET // UK EYES ONLY briefing", Classification.SECRET),
        ("TOP SECRET annex", Classification.TOP_SECRET),
        ("what is the secret of a good CV?", None),
        ("How do I keep my password Secret?", None),
        ("Is SECRETARY of State approval needed?", None),
    ],
)
def test_markings(text: str, level: Classification | None) -> None:
    assert marking_in(text) == level


def test_security_marking_raises_but_never_lowers() -> None:
    ctx = Context(question="SECRET briefing notes", classification=Classification.OFFICIAL)
    SecurityMarking()(ctx)
    assert ctx.classification is Classification.SECRET
    assert ctx.records[-1].detail["raised"] is True
    ctx = Context(question="OFFICIAL-SENSITIVE note", classification=Classification.TOP_SECRET)
    SecurityMarking()(ctx)
    assert ctx.classification is Classification.TOP_SECRET
    ctx = Context(question="SECRET briefing", classification=Classification.OFFICIAL)
    SecurityMarking(detect_markings=False)(ctx)
    assert ctx.classification is Classification.OFFICIAL


# -- review rules ---------------------------------------------------------------


def answered(answer: str, **kw: object) -> Context:
    ctx = Context(question="q", answer=answer, **kw)
    ctx.outcome = Outcome.ANSWERED
    return ctx


@pytest.mark.parametrize(
    ("answer", "decision"),
    [
        ("You are entitled to Child Benefit. [1]", True),
        ("Your appeal has been refused. [1]", True),
        ("You will have to pay the penalty. [1]", True),
        ("The tribunal has decided in your favour. [1]", True),
        ("You're entitled to Child Benefit if you look after a child under 16. [1]", False),
        ("You may be eligible for Pension Credit. [1]", False),
        ("Child Benefit is paid every four weeks. [1]", False),
    ],
)
def test_decision_detector(answer: str, decision: bool) -> None:
    assert detectors.get("decision")(exchange_of(answered(answer))) is decision


def test_rule_conditions_all_must_hold() -> None:
    rule = ReviewRule(name="r", detect=["decision"], min_classification="OFFICIAL-SENSITIVE")
    assert not matches(rule, exchange_of(answered("You are entitled to it. [1]")))
    assert matches(rule, exchange_of(answered("You are entitled to it. [1]",
                                              classification=Classification.OFFICIAL_SENSITIVE)))
    crisis = ReviewRule(name="s", routes_any=["crisis"], outcomes=["answered", "refused"])
    ctx = Context(question="q", scope="crisis")
    ctx.stop(Outcome.REFUSED, "Call Samaritans on 116 123.", "crisis")
    assert matches(crisis, exchange_of(ctx))
    assert not matches(crisis, exchange_of(answered("x")))
