"""Every model call goes through model access: composition, the LLM judges and remote
embeddings are routed by the same policy for each request, and every decision, allowed
or refused, is in the audit record.

A real local OpenAI-compatible server records what reaches it, so "never reaches it"
is checked on the wire, not on a stand-in."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from openai_server import Behaviour, OpenAIServer

from govai.domain import Classification, Outcome, PersonalData, Source
from govai.pipeline.context import Context
from govai.profiles.model import ServiceProfile, StepConfig
from govai.providers.resilience import reset_breakers
from govai.runtime import Runtime

GUIDANCE = Source(source_id="/child-benefit", doc_id="/child-benefit", chunk_id=0, title="Child Benefit",
                  url="https://www.gov.uk/child-benefit",
                  text="Child Benefit is usually paid every 4 weeks on a Monday or Tuesday.")
NAME, NINO = "Amina Hussain", "AB 12 34 56 C"
WITH_PERSONAL_DATA = f"My name is {NAME} and my NI number is {NINO}. How often is Child Benefit paid?"


@pytest.fixture(autouse=True)
def _fresh(server: OpenAIServer):
    server.reset()
    reset_breakers()


def judge_entry(server: OpenAIServer, **kw: object) -> dict:
    # A UK cloud model cleared for OFFICIAL-SENSITIVE, not approved for personal data.
    return {"kind": "openai_compatible", "base_url": server.url, "model": "judge-model", "jurisdiction": "UK",
            "hosting_region": "UK South", "max_classification": "OFFICIAL-SENSITIVE", "trains_on_prompts": False,
            "retains_prompts": False, "timeout_s": 2, "max_retries": 0, **kw}


def service(tmp_path: Path, server: OpenAIServer, **profile: object) -> Runtime:
    path = tmp_path / f"providers-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(json.dumps({"providers": {"judge": judge_entry(server)}}), encoding="utf-8")
    data = {
        "name": f"access-{uuid.uuid4().hex[:8]}",
        "providers_file": str(path),
        "steps": [StepConfig(name="normalise"), StepConfig(name="security_marking"), StepConfig(name="pseudonymise"),
                  StepConfig(name="screen_input", options={"judge": "judge", "judge_mode": "always"}),
                  StepConfig(name="check_output", options={"judge": "judge"}), StepConfig(name="audit")],
        **profile,
    }
    return Runtime(ServiceProfile.model_validate(data))


def run(rt: Runtime, question: str, **kw: object) -> Context:
    ctx = rt.context(question, **kw)
    ctx.sources = [GUIDANCE]
    ctx.answer = "Child Benefit is usually paid every 4 weeks on a Monday or Tuesday. [1]"
    return rt.pipeline.run(ctx)


def audited(db, ctx: Context) -> dict:  # type: ignore[no-untyped-def]
    row = db.conn.execute("SELECT payload FROM audit_log WHERE request_id = %s", (ctx.request_id,)).fetchone()
    assert row is not None
    return json.loads(row[0])


def judge_calls(payload: dict) -> list[dict]:
    return [c for c in payload["model_calls"] if c["provider"] == "judge"]


def test_an_allowed_judge_is_asked_and_the_grant_is_audited(db, tmp_path: Path, server: OpenAIServer) -> None:
    server.always("judge-model", Behaviour.answer("SAFE"))
    ctx = run(service(tmp_path, server), "How often is Child Benefit paid?")
    assert len(server.requests_for("judge-model")) >= 2  # input judge and output support judge
    calls = judge_calls(audited(db, ctx))
    assert {c["purpose"] for c in calls} == {"input_judge", "output_judge"}
    assert all(c["allowed"] and c["text"] == "as_is" for c in calls)


@pytest.mark.parametrize("how", ["marking", "declared"])
def test_a_secret_request_never_reaches_a_cloud_judge(db, tmp_path: Path, server: OpenAIServer, how: str) -> None:
    rt = service(tmp_path, server)
    if how == "marking":
        ctx = run(rt, "SECRET: how often is Child Benefit paid?")
    else:
        ctx = run(rt, "How often is Child Benefit paid?", classification=Classification.SECRET)
    assert ctx.classification is Classification.SECRET
    assert server.requests_for("judge-model") == []
    calls = judge_calls(audited(db, ctx))
    assert calls and all(not c["allowed"] for c in calls)
    assert all("secret_on_premises" in c["reasons"] and "classification" in c["reasons"] for c in calls)
    layers = next(r.detail for r in ctx.records if r.step == "screen_input")["layers"]
    assert layers[-1] == {"layer": "judge", "verdict": "skipped",
                          "reasons": ["not allowed for this request by the routing policy"]}


def test_personal_data_never_reaches_a_judge_not_approved_for_it(db, tmp_path: Path, server: OpenAIServer) -> None:
    rt = service(tmp_path, server, routing={"personal_data": "approved_only"})
    ctx = run(rt, WITH_PERSONAL_DATA)
    assert ctx.personal_data is PersonalData.FOUND
    assert server.requests_for("judge-model") == []
    calls = judge_calls(audited(db, ctx))
    assert calls and all(not c["allowed"] and "personal_data" in c["reasons"] for c in calls)


def test_a_judge_not_approved_for_personal_data_sees_only_placeholders(db, tmp_path: Path,
                                                                       server: OpenAIServer) -> None:
    server.always("judge-model", Behaviour.answer("SAFE"))
    ctx = run(service(tmp_path, server), WITH_PERSONAL_DATA)  # the default mode: pseudonymise
    sent = json.dumps([r.messages for r in server.requests_for("judge-model")])
    assert sent and NAME.split()[0] not in sent and NINO not in sent and "[PERSON_1]" in sent
    assert {c["text"] for c in judge_calls(audited(db, ctx))} == {"pseudonymised"}


def test_without_pseudonymisation_unscreened_text_never_reaches_an_unapproved_judge(
        db, tmp_path: Path, server: OpenAIServer) -> None:
    rt = service(tmp_path, server, steps=[
        StepConfig(name="normalise"), StepConfig(name="screen_input", options={"judge": "judge", "judge_mode": "always"}),
        StepConfig(name="audit")], waived_safeguards={"pseudonymise": "internal staff tool"})
    ctx = run(rt, WITH_PERSONAL_DATA)
    assert ctx.personal_data is PersonalData.UNCHECKED
    assert server.requests_for("judge-model") == []
    [call] = judge_calls(audited(db, ctx))
    assert not call["allowed"] and "does not pseudonymise" in call["reasons"]["personal_data"]


def test_a_judge_approved_for_personal_data_gets_the_original_text(db, tmp_path: Path, server: OpenAIServer) -> None:
    server.always("judge-model", Behaviour.answer("SAFE"))
    rt = service(tmp_path, server)
    path = Path(rt.profile.providers_file or "")
    path.write_text(json.dumps({"providers": {"judge": judge_entry(server, personal_data=True)}}), encoding="utf-8")
    rt = Runtime(rt.profile)
    run(rt, WITH_PERSONAL_DATA)
    first = json.dumps(server.requests_for("judge-model")[0].messages)
    assert NINO in first


# ---------------------------------------------------------------- remote embeddings


def embedding_runtime(tmp_path: Path, server: OpenAIServer, monkeypatch: pytest.MonkeyPatch,
                      named_provider: dict | None) -> Runtime:
    from govai.embeddings.openai import OpenAIEmbedder

    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("GOVAI_EMBEDDING_MODEL", "embed-model")
    monkeypatch.setenv("GOVAI_EMBEDDING_DIM", "16")
    providers: dict = {}
    if named_provider is not None:
        providers["uk-embeddings"] = named_provider
        monkeypatch.setenv("GOVAI_EMBEDDER_PROVIDER", "uk-embeddings")
    else:
        monkeypatch.delenv("GOVAI_EMBEDDER_PROVIDER", raising=False)
    path = tmp_path / f"providers-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(json.dumps({"providers": providers}), encoding="utf-8")
    profile = ServiceProfile.model_validate({"name": f"emb-{uuid.uuid4().hex[:8]}", "providers_file": str(path),
                                             "kb": "no-such-kb", "steps": ["normalise", "pseudonymise", "screen_input",
                                                                          "retrieve", "compose", "audit"]})
    return Runtime(profile, embedder=OpenAIEmbedder())


def test_a_remote_embedder_with_unknown_attributes_gets_nothing(db, tmp_path: Path, server: OpenAIServer,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    rt = embedding_runtime(tmp_path, server, monkeypatch, named_provider=None)
    ctx = rt.ask("How often is Child Benefit paid?")
    assert ctx.outcome is Outcome.REFUSED
    assert server.requests_for("embed-model") == []
    [call] = [c for c in audited(db, ctx)["model_calls"] if c["purpose"] == "query_embedding"]
    assert not call["allowed"] and "training_use" in call["reasons"]


def test_a_remote_embedder_is_routed_like_any_provider(db, tmp_path: Path, server: OpenAIServer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    entry = judge_entry(server, model="embed-model")
    rt = embedding_runtime(tmp_path, server, monkeypatch, named_provider=entry)
    secret = rt.ask("How often is Child Benefit paid?", classification=Classification.SECRET)
    assert secret.outcome is Outcome.REFUSED and server.requests_for("embed-model") == []
    official = rt.ask(f"My NI number is {NINO}. How often is Child Benefit paid?")
    [request] = server.requests_for("embed-model")
    assert NINO not in json.dumps(request.messages)  # embedded as pseudonymised text
    # The knowledge base does not exist, so the request ends there, after the embedding was allowed.
    assert official.outcome is Outcome.ERROR and "no knowledge base" in (official.reason or "")
