"""The route step, budgets, the audit record of routing decisions and the review queue
(against the real embedded PostgreSQL)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from govai.domain import Classification, Outcome, PersonalData
from govai.pipeline.context import Context
from govai.pipeline.steps.audit import payload_for
from govai.policy.audit import append, spent_gbp
from govai.policy.review import pending
from govai.profiles.model import ServiceProfile

from conftest import WAIVED, build_step

PROVIDERS = """
providers:
  cloud-paid:
    kind: openai_compatible
    base_url: http://127.0.0.1:9/v1
    model: m
    jurisdiction: US
    hosting_region: US East
    max_classification: OFFICIAL
    trains_on_prompts: false
    cost_per_1k_input_gbp: 0.01
    cost_per_1k_output_gbp: 0.03
  uk-approved:
    kind: openai_compatible
    base_url: http://127.0.0.1:9/v1
    model: m
    jurisdiction: UK
    hosting_region: UK South
    max_classification: OFFICIAL-SENSITIVE
    trains_on_prompts: false
    personal_data: true
"""


@pytest.fixture
def providers_file(tmp_path: Path) -> str:
    path = tmp_path / "providers.yaml"
    path.write_text(PROVIDERS, encoding="utf-8")
    return str(path)


def profile(providers_file: str | None, **fields: object) -> ServiceProfile:
    base = {
        "name": f"svc-{uuid.uuid4().hex[:8]}",
        "providers": ["cloud-paid", "uk-approved"],
        "providers_file": providers_file,
        "steps": ["normalise", "security_marking", "pseudonymise", "route", "review", "audit"],
        "waived_safeguards": {"screen_input": WAIVED["screen_input"]},
    }
    return ServiceProfile.model_validate({**base, **fields})


def route(prof: ServiceProfile, ctx: Context) -> Context:
    build_step("route", prof)(ctx)
    return ctx


def test_route_picks_first_allowed_and_records_why(providers_file: str) -> None:
    ctx = route(profile(providers_file, uk_only=True), Context(question="How do I claim?", personal_data="none"))
    assert ctx.routing is not None and ctx.routing.provider == "uk-approved"
    detail = ctx.records[-1].detail
    assert "cloud-paid" in detail["rejected"] and "uk_only" in detail["rejected"]["cloud-paid"]
    assert [r["provider"] for r in detail["chain"]] == ["uk-approved", "extractive"]
    assert [(c.provider, c.allowed) for c in ctx.model_calls] == [
        ("uk-approved", True), ("extractive", True), ("cloud-paid", False)]


def test_personal_data_goes_original_only_to_approved(providers_file: str) -> None:
    ctx = route(profile(providers_file), Context(question="My NI number is [NINO_1]", personal_data="found"))
    chain = {r.provider: str(r.text) for r in ctx.routing.chain}
    assert chain == {"cloud-paid": "pseudonymised", "uk-approved": "original", "extractive": "original"}


def test_unscreened_personal_data_goes_only_to_approved_providers(providers_file: str) -> None:
    ctx = route(profile(providers_file), Context(question="q"))
    assert ctx.personal_data is PersonalData.UNCHECKED
    assert [r.provider for r in ctx.routing.chain] == ["uk-approved", "extractive"]
    assert "does not pseudonymise" in ctx.routing.rejected["cloud-paid"]["personal_data"]


def test_refusal_says_why_without_the_content(db, providers_file: str) -> None:
    rt_profile = profile(providers_file, routing={"fallback_to_extractive": False})
    from govai.runtime import Runtime

    ctx = Runtime(rt_profile).ask("SECRET: the convoy leaves Portsmouth at 0400")
    assert ctx.outcome is Outcome.REFUSED
    assert ctx.classification is Classification.SECRET
    assert "SECRET" in (ctx.answer or "") and "Portsmouth" not in (ctx.answer or "")
    assert "accredited on-premises" in (ctx.reason or "") and "Portsmouth" not in (ctx.reason or "")
    assert ctx.audit_hash


def test_budget_stops_paid_providers(db, providers_file: str) -> None:
    prof = profile(providers_file, providers=["cloud-paid"], budget={"daily_gbp": 0.05})
    service = prof.name
    assert route(prof, Context(question="q", service=service, personal_data="none")).routing.provider == "cloud-paid"
    spend = Context(question="q", service=service)
    spend.outcome = Outcome.ANSWERED
    spend.usage.cost_gbp = 0.06
    append(db.conn, payload_for(spend))
    assert spent_gbp(db.conn, service, datetime(2000, 1, 1, tzinfo=UTC)) == pytest.approx(0.06)
    ctx = route(prof, Context(question="q", service=service, personal_data="none"))
    assert ctx.routing.provider == "extractive"  # free, so still allowed
    assert "budget" in ctx.routing.rejected["cloud-paid"]

    strict = profile(providers_file, name=service, providers=["cloud-paid"], budget={"daily_gbp": 0.05},
                     routing={"fallback_to_extractive": False})
    ctx = route(strict, Context(question="q", service=service, personal_data="none"))
    assert ctx.outcome is Outcome.REFUSED and "spending limit" in (ctx.answer or "")


def test_audit_row_holds_decisions_not_text(db, providers_file: str) -> None:
    from govai.runtime import Runtime

    rt = Runtime(profile(providers_file, uk_only=True))
    ctx = rt.ask("What is my NI number AB123456C for?")
    payload = json.loads(
        db.conn.execute("SELECT payload FROM audit_log WHERE request_id = %s", (ctx.request_id,)).fetchone()[0]
    )
    assert payload["route"]["provider"] == "uk-approved"
    assert payload["personal_data"] == "found"
    assert [s["step"] for s in payload["steps"]] == ["normalise", "security_marking", "pseudonymise", "route",
                                                      "review"]
    assert {(c["provider"], c["allowed"]) for c in payload["model_calls"]} >= {("uk-approved", True),
                                                                                ("cloud-paid", False)}
    assert "AB123456C" not in json.dumps(payload)
    assert payload["question_sha256"] and "question" not in payload


def test_logged_text_keeps_placeholders_not_personal_data(db) -> None:
    ctx = Context(question="My NI number is AB123456C", text="My NI number is [NINO_1]",
                  original_text="My NI number is AB123456C", personal_data="found",
                  draft="Your number [NINO_1] is on your payslip. [1]",
                  answer="Your number AB123456C is on your payslip. [1]")
    payload = payload_for(ctx, log_text=True)
    assert payload["question"] == "My NI number is [NINO_1]"
    assert payload["answer"] == "Your number [NINO_1] is on your payslip. [1]"


def test_hold_rule_queues_the_answer_for_sign_off(db, providers_file: str) -> None:
    prof = profile(
        providers_file,
        review=[{"name": "decisions", "detect": ["decision"], "action": "hold", "reviewer": "a legal adviser"}],
        notices=["Not legal advice."],
    )
    step = build_step("review", prof)
    ctx = Context(question="Will I win?", service=prof.name, answer="Your appeal has been refused. [1]")
    ctx.outcome = Outcome.ANSWERED
    step(ctx)
    assert ctx.outcome is Outcome.REFUSED and "held_for_review" in ctx.flags
    assert "a legal adviser" in (ctx.answer or "") and "refused" not in (ctx.answer or "")
    queued = pending(db.conn, prof.name)
    assert [(q["rule"], q["reviewer"], q["request_id"]) for q in queued] == [
        ("decisions", "a legal adviser", ctx.request_id)
    ]
    # An answer that is not a decision is delivered, with the service's notice.
    ctx = Context(question="How?", service=prof.name, answer="You can appeal online. [1]")
    ctx.outcome = Outcome.ANSWERED
    step(ctx)
    assert ctx.outcome is Outcome.ANSWERED and ctx.answer.endswith("Not legal advice.")
