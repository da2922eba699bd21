"""The compose step with generative providers against a real local OpenAI-compatible
server: fallback along the allowed chain and finally to the extractive composer,
retries, circuit breakers, token and cost accounting, and the audit of it all."""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path

import pytest
from openai_server import Behaviour, OpenAIServer

from govai.domain import Outcome, Source
from govai.pipeline.context import Context
from govai.policy.audit import verify_chain
from govai.profiles.model import ServiceProfile, StepConfig
from govai.providers.resilience import reset_breakers
from govai.runtime import Runtime

SOURCES = [
    Source(source_id="/child-benefit", doc_id="/child-benefit", chunk_id=1, title="Child Benefit",
           headings=["How it's paid"], url="https://www.gov.uk/child-benefit",
           text="Child Benefit is usually paid every four weeks on a Monday or Tuesday."),
    Source(source_id="/child-benefit/eligibility", doc_id="/child-benefit", chunk_id=2, title="Child Benefit",
           headings=["Eligibility"], url="https://www.gov.uk/child-benefit/eligibility",
           text="You can get Child Benefit if you're responsible for a child under 16."),
]
GOOD = "It is usually paid every four weeks [link_1]. You must be responsible for a child under 16 [link_2]."


@pytest.fixture(autouse=True)
def _fresh(server: OpenAIServer):
    server.reset()
    reset_breakers()


def provider_entry(server: OpenAIServer, model: str, **kw: object) -> dict:
    return {
        "kind": "openai_compatible", "base_url": server.url, "model": model, "jurisdiction": "UK",
        "hosting_region": "UK South", "max_classification": "OFFICIAL-SENSITIVE", "trains_on_prompts": False,
        "retains_prompts": False, "timeout_s": 0.6, "connect_timeout_s": 0.5, "max_retries": 1, "backoff_s": 0,
        "breaker_failures": 50, "cost_per_1k_input_gbp": 0.5, "cost_per_1k_output_gbp": 1.5, **kw,
    }


def make_runtime(tmp_path: Path, server: OpenAIServer, providers: dict[str, dict], **profile: object) -> Runtime:
    # Unique provider names per test keep circuit breakers (process-wide) apart.
    path = tmp_path / f"providers-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(json.dumps({"providers": providers}), encoding="utf-8")  # JSON is YAML
    data = {
        "name": f"gen-{uuid.uuid4().hex[:8]}",
        "providers": list(providers),
        "providers_file": str(path),
        "steps": [StepConfig(name=n) for n in ("normalise", "security_marking", "pseudonymise", "route", "compose",
                                               "review", "audit")],
        "waived_safeguards": {"screen_input": "test of composition"},
        **profile,
    }
    return Runtime(profile=ServiceProfile.model_validate(data))


def ask(rt: Runtime, question: str = "How often is Child Benefit paid?", **kw: object) -> Context:
    ctx = Context(question=question, service=rt.profile.name, sources=list(SOURCES), **kw)
    return rt.pipeline.run(ctx)


def audit_payload(db, ctx: Context) -> dict:
    row = db.conn.execute("SELECT payload FROM audit_log WHERE request_id = %s", (ctx.request_id,)).fetchone()
    assert row is not None, "every request is audited"
    return json.loads(row[0])


def compose_record(ctx: Context) -> dict:
    return next(r.detail for r in ctx.records if r.step == "compose")


def test_generative_answer_with_citations_usage_and_audit(db, tmp_path: Path, server: OpenAIServer) -> None:
    rt = make_runtime(tmp_path, server, {"gen-a": provider_entry(server, "model-a")})
    server.script("model-a", Behaviour.answer(GOOD))
    ctx = ask(rt)
    assert ctx.outcome is Outcome.ANSWERED
    assert ctx.answer == "It is usually paid every four weeks. [1] You must be responsible for a child under 16. [2]"
    assert [c.url for c in ctx.citations] == [s.url for s in SOURCES]
    assert ctx.provider == "gen-a" and ctx.usage.provider == "gen-a" and ctx.usage.model == "model-a"
    assert ctx.usage.completion_tokens == len(GOOD.split())
    usage = ctx.usage
    assert usage.cost_gbp == pytest.approx((usage.prompt_tokens * 0.5 + usage.completion_tokens * 1.5) / 1000)
    payload = audit_payload(db, ctx)
    assert payload["provider"] == "gen-a" and payload["usage"]["cost_gbp"] == pytest.approx(ctx.usage.cost_gbp)
    assert compose_record(ctx)["attempts"] == [{"provider": "gen-a", "attempt": 1, "ok": True,
                                               "ms": compose_record(ctx)["attempts"][0]["ms"]}]
    # The model saw link tokens, never the URLs.
    sent = " ".join(m["content"] for m in server.requests_for("model-a")[0].messages)
    assert "[link_1]" in sent and "gov.uk" not in sent


def test_not_found_abstains_without_falling_back(db, tmp_path: Path, server: OpenAIServer) -> None:
    rt = make_runtime(tmp_path, server, {"gen-nf": provider_entry(server, "model-nf")})
    server.script("model-nf", Behaviour.answer("I cannot find the answer in the guidance."))
    ctx = ask(rt, "What is the capital of France?")
    assert ctx.outcome is Outcome.ABSTAINED and not ctx.citations
    assert compose_record(ctx)["fallbacks"] == []


def test_falls_back_along_the_chain_and_audits_it(db, tmp_path: Path, server: OpenAIServer) -> None:
    rt = make_runtime(tmp_path, server, {
        "gen-down": provider_entry(server, "model-down"),
        "gen-up": provider_entry(server, "model-up"),
    })
    server.always("model-down", Behaviour.status(503))
    server.script("model-up", Behaviour.malformed(), Behaviour.answer(GOOD))
    ctx = ask(rt)
    assert ctx.outcome is Outcome.ANSWERED and ctx.provider == "gen-up"
    assert "provider_fallback" in ctx.flags
    record = compose_record(ctx)
    assert [(a["provider"], a["ok"]) for a in record["attempts"]] == [
        ("gen-down", False), ("gen-down", False), ("gen-up", False), ("gen-up", True)
    ]
    assert record["fallbacks"][0]["from"] == "gen-down" and "HTTP 503" in record["fallbacks"][0]["reason"]
    payload = audit_payload(db, ctx)
    audited = next(s for s in payload["steps"] if s["step"] == "compose")["detail"]
    assert audited["fallbacks"] == record["fallbacks"]


def test_finally_falls_back_to_the_extractive_composer(db, tmp_path: Path, server: OpenAIServer) -> None:
    rt = make_runtime(tmp_path, server, {"gen-hang": provider_entry(server, "model-hang", max_retries=0)})
    server.always("model-hang", Behaviour.hang(2))
    ctx = ask(rt)
    assert ctx.outcome is Outcome.ANSWERED and ctx.provider == "extractive"
    assert ctx.citations and ctx.citations[0].source_id == "/child-benefit"
    assert "timed out" in compose_record(ctx)["fallbacks"][0]["reason"]
    assert ctx.usage.cost_gbp == 0


def test_circuit_breaker_skips_a_failing_provider(db, tmp_path: Path, server: OpenAIServer) -> None:
    entry = provider_entry(server, "model-brk", max_retries=0, breaker_failures=2, breaker_reset_s=3600)
    rt = make_runtime(tmp_path, server, {"gen-brk": entry})
    server.always("model-brk", Behaviour.status(500))
    for _ in range(2):
        assert ask(rt).provider == "extractive"
    assert len(server.requests_for("model-brk")) == 2
    ctx = ask(rt)
    assert ctx.provider == "extractive"
    assert len(server.requests_for("model-brk")) == 2  # not called: the circuit is open
    assert "CircuitOpen" in compose_record(ctx)["fallbacks"][0]["reason"]


def test_no_request_lost_under_mixed_failures(db, tmp_path: Path, server: OpenAIServer) -> None:
    rt = make_runtime(tmp_path, server, {
        "gen-x": provider_entry(server, "model-x", timeout_s=0.4),
        "gen-y": provider_entry(server, "model-y", timeout_s=0.4, stream=False),
    })
    rng = random.Random(20250101)
    choices = [
        Behaviour.answer(GOOD), Behaviour.status(500), Behaviour.status(502), Behaviour.status(429),
        Behaviour.malformed(), Behaviour.hang(0.8), Behaviour.slow_stream(0.15),
    ]
    for model in ("model-x", "model-y"):
        server.script(model, *(rng.choice(choices) for _ in range(40)))
    contexts = [ask(rt) for _ in range(20)]
    assert all(c.outcome is Outcome.ANSWERED and c.citations for c in contexts)
    assert {c.provider for c in contexts} <= {"gen-x", "gen-y", "extractive"}
    failed_attempts = 0
    for ctx in contexts:
        audited = next(s for s in audit_payload(db, ctx)["steps"] if s["step"] == "compose")["detail"]
        failures = [a for a in audited["attempts"] if not a["ok"]]
        failed_attempts += len(failures)
        # Every provider given up on is a recorded fallback with its reason.
        gave_up = {a["provider"] for a in failures} - {ctx.provider}
        assert gave_up == {f["from"] for f in audited["fallbacks"]}
    assert failed_attempts > 0
    assert verify_chain(db.conn).ok


def test_personal_data_goes_pseudonymised_to_unapproved(db, tmp_path: Path, server: OpenAIServer) -> None:
    rt = make_runtime(tmp_path, server, {
        "gen-unapproved": provider_entry(server, "model-u", personal_data=False),
        "gen-approved": provider_entry(server, "model-ap", personal_data=True),
    })
    server.always("model-u", Behaviour.status(500))
    server.always("model-ap", Behaviour.answer(GOOD))
    ctx = Context(question="My name is Amina Hussain. Am I eligible?", service=rt.profile.name, sources=list(SOURCES))
    rt.pipeline.run(ctx)
    assert ctx.text == "My name is [PERSON_1]. Am I eligible?"
    assert ctx.provider == "gen-approved"
    to_unapproved = server.requests_for("model-u")[0].messages[-1]["content"]
    to_approved = server.requests_for("model-ap")[0].messages[-1]["content"]
    assert "[PERSON_1]" in to_unapproved and "Amina Hussain" not in to_unapproved
    assert "Amina Hussain" in to_approved
    assert compose_record(ctx)["text_sent"] == "original"


def test_per_request_token_budget_skips_paid_providers(db, tmp_path: Path, server: OpenAIServer) -> None:
    rt = make_runtime(tmp_path, server, {"gen-tok": provider_entry(server, "model-tok")},
                      budget={"max_tokens_per_request": 200})
    server.always("model-tok", Behaviour.answer(GOOD))
    ctx = ask(rt)
    assert ctx.provider == "extractive" and server.requests_for("model-tok") == []
    assert "token budget" in compose_record(ctx)["fallbacks"][0]["reason"]


def test_daily_budget_stops_spending(db, tmp_path: Path, server: OpenAIServer) -> None:
    rt = make_runtime(tmp_path, server, {"gen-bud": provider_entry(server, "model-bud")},
                      budget={"daily_gbp": 0.0001})
    server.always("model-bud", Behaviour.answer(GOOD))
    first = ask(rt)
    assert first.provider == "gen-bud" and first.usage.cost_gbp > 0.0001
    second = ask(rt)
    assert second.provider == "extractive" and len(server.requests_for("model-bud")) == 1
    assert "budget" in second.routing.rejected["gen-bud"]["budget"]


def test_compose_applies_the_policy_without_a_route_step(db, tmp_path: Path, server: OpenAIServer) -> None:
    rt = make_runtime(
        tmp_path, server, {"gen-nr": provider_entry(server, "model-nr")},
        routing={"fallback_to_extractive": False},
        steps=[StepConfig(name=n) for n in ("normalise", "security_marking", "pseudonymise", "compose", "audit")],
    )
    ctx = ask(rt, "SECRET: the plan")
    assert ctx.outcome is Outcome.REFUSED and "SECRET" in (ctx.answer or "")
    assert server.requests_for("model-nr") == []
    assert ctx.routing is not None and ctx.routing.rejected["gen-nr"]["secret_on_premises"]
