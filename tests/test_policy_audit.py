"""The route step, budgets, the hash-chained audit trail and the review queue
(against the real embedded PostgreSQL)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from govai.domain import Classification, Outcome
from govai.pipeline.context import Context
from govai.pipeline.steps.audit import payload_for
from govai.policy.audit import append, spent_gbp, verify_chain
from govai.profiles.model import ServiceProfile, StepConfig
from govai.runtime import Runtime

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


def runtime(providers_file: str | None, **fields: object) -> Runtime:
    base = {
        "name": f"svc-{uuid.uuid4().hex[:8]}",
        "providers": ["cloud-paid", "uk-approved"],
        "providers_file": providers_file,
        "steps": [StepConfig(name=n) for n in ("normalise", "classify", "route", "review", "audit")],
    }
    return Runtime(profile=ServiceProfile.model_validate({**base, **fields}))


def route(rt: Runtime, ctx: Context) -> Context:
    from govai.pipeline.steps.route import build

    build(rt, {})(ctx)
    return ctx


def test_route_picks_first_allowed_and_records_why(providers_file: str) -> None:
    rt = runtime(providers_file, uk_only=True)
    ctx = route(rt, Context(question="How do I claim?"))
    assert ctx.provider == "uk-approved"
    detail = ctx.records[-1].detail
    assert "cloud-paid" in detail["rejected"] and "uk_only" in detail["rejected"]["cloud-paid"]
    assert [r["provider"] for r in detail["chain"]] == ["uk-approved", "extractive"]


def test_personal_data_goes_original_only_to_approved(providers_file: str) -> None:
    rt = runtime(providers_file)
    ctx = Context(question="My NI number is [NINO_1]", flags=["personal_data"])
    route(rt, ctx)
    chain = {r["provider"]: r["text"] for r in ctx.state["route"]["chain"]}
    assert chain == {"cloud-paid": "pseudonymised", "uk-approved": "original", "extractive": "original"}


def test_refusal_says_why_without_the_content(providers_file: str) -> None:
    rt = runtime(providers_file, routing={"fallback_to_extractive": False})
    question = "SECRET: the convoy leaves Portsmouth at 0400"
    ctx = Context(question=question)
    rt.pipeline.run(ctx)
    assert ctx.outcome is Outcome.REFUSED
    assert ctx.classification is Classification.SECRET
    assert "SECRET" in (ctx.answer or "") and "Portsmouth" not in (ctx.answer or "")
    assert "accredited on-premises" in (ctx.reason or "") and "Portsmouth" not in (ctx.reason or "")
    assert ctx.state["audit_hash"]


def test_budget_stops_paid_providers(db, providers_file: str) -> None:
    rt = runtime(providers_file, providers=["cloud-paid"], budget={"daily_gbp": 0.05})
    service = rt.profile.name
    assert route(rt, Context(question="q", service=service)).provider == "cloud-paid"
    spend = Context(question="q", service=service)
    spend.outcome = Outcome.ANSWERED
    spend.usage.cost_gbp = 0.06
    append(db.conn, payload_for(spend))
    from datetime import UTC, datetime

    assert spent_gbp(db.conn, service, datetime(2000, 1, 1, tzinfo=UTC)) == pytest.approx(0.06)
    ctx = route(rt, Context(question="q", service=service))
    assert ctx.provider == "extractive"  # free, so still allowed
    assert "budget" in ctx.state["route"]["rejected"]["cloud-paid"]

    rt = runtime(providers_file, name=service, providers=["cloud-paid"], budget={"daily_gbp": 0.05},
                 routing={"fallback_to_extractive": False})
    ctx = route(rt, Context(question="q", service=service))
    assert ctx.outcome is Outcome.REFUSED and "spending limit" in (ctx.answer or "")


def test_audit_chain_detects_tampering(db) -> None:
    rt = runtime(None, providers=["extractive"])
    for q in ("one", "two", "three"):
        rt.pipeline.run(Context(question=q, service=rt.profile.name))
    assert verify_chain(db.conn).ok
    conn = db.conn
    row_id, payload = conn.execute("SELECT id, payload FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET 1").fetchone()
    forged = payload.replace('"classification":"OFFICIAL"', '"classification":"SECRET"')
    assert forged != payload
    with conn.transaction(force_rollback=True):
        conn.execute("UPDATE audit_log SET payload = %s WHERE id = %s", (forged, row_id))
        check = verify_chain(conn)
        assert not check.ok and check.broken_at == row_id and "altered" in (check.problem or "")
    with conn.transaction(force_rollback=True):
        conn.execute("DELETE FROM audit_log WHERE id = %s", (row_id,))
        check = verify_chain(conn)
        assert not check.ok and check.broken_at == row_id + 1 and "removed" in (check.problem or "")
    assert verify_chain(conn).ok


def test_audit_row_holds_decisions_not_text(db, providers_file: str) -> None:
    rt = runtime(providers_file, uk_only=True)
    ctx = Context(question="What is my NI number AB123456C for?", service=rt.profile.name)
    rt.pipeline.run(ctx)
    import json

    payload = json.loads(
        db.conn.execute("SELECT payload FROM audit_log WHERE request_id = %s", (ctx.request_id,)).fetchone()[0]
    )
    assert payload["route"]["provider"] == "uk-approved"
    assert [s["step"] for s in payload["steps"]] == ["normalise", "classify", "route", "review"]
    assert "AB123456C" not in json.dumps(payload)
    assert payload["question_sha256"] and "question" not in payload


def test_hold_rule_queues_the_answer_for_sign_off(db, providers_file: str) -> None:
    from govai.pipeline.steps.review import build
    from govai.policy.review import pending

    rt = runtime(
        providers_file,
        review=[{"name": "decisions", "detect": ["decision"], "action": "hold", "reviewer": "a legal adviser"}],
        notices=["Not legal advice."],
    )
    step = build(rt, {})
    ctx = Context(question="Will I win?", service=rt.profile.name, answer="Your appeal has been refused. [1]")
    ctx.outcome = Outcome.ANSWERED
    step(ctx)
    assert ctx.outcome is Outcome.REFUSED and "held_for_review" in ctx.flags
    assert "a legal adviser" in (ctx.answer or "") and "refused" not in (ctx.answer or "")
    queued = pending(db.conn, rt.profile.name)
    assert [(q["rule"], q["reviewer"], q["request_id"]) for q in queued] == [
        ("decisions", "a legal adviser", ctx.request_id)
    ]
    # An answer that is not a decision is delivered, with the service's notice.
    ctx = Context(question="How?", service=rt.profile.name, answer="You can appeal online. [1]")
    ctx.outcome = Outcome.ANSWERED
    step(ctx)
    assert ctx.outcome is Outcome.ANSWERED and ctx.answer.endswith("Not legal advice.")


def test_direct_callers_such_as_a_judge_can_ask_the_policy(providers_file: str) -> None:
    from govai.policy import reasons_not_to_send

    rt = runtime(providers_file, uk_only=True)
    ctx = Context(question="q", classification=Classification.OFFICIAL_SENSITIVE)
    assert set(reasons_not_to_send(rt, ctx, "cloud-paid")) == {"classification", "uk_only"}
    assert reasons_not_to_send(rt, ctx, "uk-approved") == {}
