"""The HTTP service against the real embedded PostgreSQL (and the local Redis for shared limits):
conversations, streaming, feedback, contests, review, the kill switch, audit, limits, errors,
and tenant isolation by row-level security."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from govai.profiles.model import ServiceProfile
from govai.server.app import MAX_BODY_BYTES, create_app
from govai.server.catalogue import ServiceCatalogue
from govai.server.state import ServerState
from govai.store import conversations as convo
from govai.store.tenants import ROLES, Tenants

KB = "test-server"
PAGES = {
    "pond-grant.md": ("Garden pond safety grant", "## What you get\n\nThe grant pays up to £250 towards a fence or "
                      "a rigid pond cover.\n\n## How to apply\n\nApply to your local council with a photo of the pond."),
    "beehives.md": ("Register your beehives", "## When to register\n\nRegister each new colony of honey bees "
                    "within 28 days of getting it.\n\n## Fees\n\nRegistration is free."),
}
QUESTION = "How many days do I have to register a new colony of honey bees?"


@pytest.fixture(scope="module")
def kb(db, tmp_path_factory) -> str:
    from govai.embeddings import get_embedder
    from govai.ingest.pipeline import Ingester
    from govai.store.knowledge import KnowledgeStore

    folder = tmp_path_factory.mktemp("server-kb")
    for name, (title, body) in PAGES.items():
        (folder / name).write_text(f"---\ntitle: {title}\nurl: https://www.gov.uk/{name[:-3]}\n---\n\n{body}\n",
                                   encoding="utf-8")
    store = KnowledgeStore(db)
    if store.get(KB):
        store.delete(KB)
    Ingester(store, get_embedder("minilm"), KB).run([folder])
    return KB


@pytest.fixture(scope="module")
def world(db, kb):  # type: ignore[no-untyped-def]
    """Two tenants, each with a service and one key per role."""
    tenants = Tenants(db)
    suffix = uuid.uuid4().hex[:6]
    names = {"a": f"dept-a-{suffix}", "b": f"dept-b-{suffix}"}
    for t in names.values():
        tenants.create(t, t.upper())
    profiles = [
        ServiceProfile.model_validate({"name": f"bees-{suffix}", "tenant": names["a"], "kb": kb,
                                       "review": [{"name": "fees", "action": "hold", "answer_matches": ["free"],
                                                   "reviewer": "a caseworker"}]}),
        ServiceProfile.model_validate({"name": f"other-{suffix}", "tenant": names["b"], "kb": kb}),
    ]
    state = ServerState(ServiceCatalogue.from_profiles(profiles), db)
    keys = {(t, r): tenants.create_key(names[t], f"{r} key", r)[1] for t in names for r in ROLES}
    return {"state": state, "tenants": names, "keys": keys, "a": profiles[0].name, "b": profiles[1].name,
            "store": tenants}


@pytest.fixture(scope="module")
def client(world) -> TestClient:  # type: ignore[no-untyped-def]
    with TestClient(create_app(world["state"])) as c:
        yield c


def auth(world, tenant: str = "a", role: str = "citizen_app") -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {world['keys'][(tenant, role)]}"}


def ask(client: TestClient, world, question: str = QUESTION, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(f"/v1/services/{world['a']}/conversations", json={"question": question},
                       headers={**auth(world), **headers})


# ---------------------------------------------------------------- conversations


def test_a_conversation_answers_with_citations_route_and_guard_verdicts(client, world) -> None:  # type: ignore[no-untyped-def]
    response = ask(client, world)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["outcome"] == "answered" and "28 days" in body["answer"]
    assert body["citations"][0]["url"].startswith("https://www.gov.uk/beehives")
    assert body["route"]["provider"] == "extractive" and body["route"]["personal_data"] == "none"
    assert {g["step"] for g in body["guards"]} >= {"screen_input", "check_output"}
    assert response.headers["X-Request-Id"]
    fetched = client.get(f"/v1/services/{world['a']}/conversations/{body['conversation_id']}", headers=auth(world))
    assert fetched.status_code == 200
    [message] = fetched.json()["messages"]
    assert message["request_id"] == body["request_id"] and message["answer"] == body["answer"]


def test_a_follow_up_is_retrieved_with_the_question_before_it(client, world) -> None:  # type: ignore[no-untyped-def]
    first = ask(client, world).json()
    follow = client.post(f"/v1/services/{world['a']}/conversations/{first['conversation_id']}/messages",
                         json={"question": "and is it free?"}, headers=auth(world))
    assert follow.status_code == 200, follow.text
    ctx_messages = client.get(f"/v1/services/{world['a']}/conversations/{first['conversation_id']}",
                              headers=auth(world)).json()["messages"]
    assert len(ctx_messages) == 2
    assert follow.json()["status"] == "held"  # "Registration is free." matches the service's hold rule


def test_streaming_sends_only_the_checked_answer(client, world) -> None:  # type: ignore[no-untyped-def]
    with client.stream("POST", f"/v1/services/{world['a']}/conversations", json={"question": QUESTION},
                       headers={**auth(world), "Accept": "text/event-stream"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = _events("".join(response.iter_text()))
    kinds = [e["event"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "done" and "delta" in kinds
    done = json.loads(events[-1]["data"])
    streamed = "".join(json.loads(e["data"])["text"] for e in events if e["event"] == "delta")
    assert " ".join(streamed.split()) == " ".join(done["answer"].split())
    assert done["outcome"] == "answered"  # the output guard passed it before a word was sent


def _events(text: str) -> list[dict[str, str]]:
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in fields:
            events.append(fields)
    return events


def test_feedback_and_a_contest_reach_the_review_queue(client, world, db) -> None:  # type: ignore[no-untyped-def]
    body = ask(client, world).json()
    service, request_id = world["a"], body["request_id"]
    ok = client.post(f"/v1/services/{service}/messages/{request_id}/feedback",
                     json={"useful": False, "comment": "not what I asked"}, headers=auth(world))
    assert ok.status_code == 200
    contested = client.post(f"/v1/services/{service}/messages/{request_id}/contest",
                            json={"reason": "I think this is wrong"}, headers=auth(world))
    assert contested.status_code == 200
    again = client.post(f"/v1/services/{service}/messages/{request_id}/contest", json={}, headers=auth(world))
    assert again.status_code == 409
    queue = client.get(f"/v1/review/queue?service={service}", headers=auth(world, role="reviewer")).json()
    item = next(i for i in queue if i["request_id"] == request_id)
    assert item["kind"] == "contested" and item["reason"] == "I think this is wrong"
    decided = client.post(f"/v1/review/queue/{item['id']}/decision",
                          json={"decision": "edit", "answer": "You have 28 days. [1]", "reason": "clearer"},
                          headers=auth(world, role="reviewer"))
    assert decided.status_code == 200, decided.text
    messages = client.get(f"/v1/services/{service}/conversations/{body['conversation_id']}",
                          headers=auth(world)).json()["messages"]
    assert messages[0]["status"] == "edited" and messages[0]["answer"] == "You have 28 days. [1]"
    assert client.post(f"/v1/review/queue/{item['id']}/decision", json={"decision": "approve"},
                       headers=auth(world, role="reviewer")).status_code == 409


def test_a_held_answer_waits_for_a_reviewer_then_the_citizen_sees_it(client, world) -> None:  # type: ignore[no-untyped-def]
    held = ask(client, world, "Do I have to pay to register my beehives?").json()
    assert held["status"] == "held" and "check this answer" in held["answer"]
    queue = client.get(f"/v1/review/queue?service={world['a']}", headers=auth(world, role="reviewer")).json()
    item = next(i for i in queue if i["request_id"] == held["request_id"])
    assert item["kind"] == "held" and "free" in item["answer"] and item["question"]
    assert client.post(f"/v1/review/queue/{item['id']}/decision", json={"decision": "reject"},
                       headers=auth(world, role="reviewer")).status_code == 422  # a rejection needs a reason
    ok = client.post(f"/v1/review/queue/{item['id']}/decision", json={"decision": "approve"},
                     headers=auth(world, role="reviewer"))
    assert ok.status_code == 200
    [message] = client.get(f"/v1/services/{world['a']}/conversations/{held['conversation_id']}",
                           headers=auth(world)).json()["messages"]
    assert message["status"] == "approved" and "free" in message["answer"]


# ---------------------------------------------------------------- kill switch and audit


def test_the_kill_switch_answers_unavailable_without_any_model_and_is_audited(client, world, db) -> None:  # type: ignore[no-untyped-def]
    service = world["a"]
    admin = auth(world, role="service_admin")
    off = client.put(f"/v1/admin/services/{service}/switch", json={"enabled": False, "reason": "incident 42"},
                     headers=admin)
    assert off.status_code == 200 and off.json()["enabled"] is False
    try:
        body = ask(client, world).json()
        assert body["outcome"] == "refused" and "not available" in body["answer"]
        payload = json.loads(db.conn.execute("SELECT payload FROM audit_log WHERE request_id = %s",
                                             (body["request_id"],)).fetchone()[0])
        assert payload["model_calls"] == [] and "kill switch" in payload["reason"]
    finally:
        client.put(f"/v1/admin/services/{service}/switch", json={"enabled": True, "reason": "resolved"}, headers=admin)
    actions = [json.loads(r[0]) for r in db.conn.execute(
        "SELECT payload FROM audit_log WHERE service = %s AND outcome = 'action:kill_switch'", (service,))]
    assert [a["enabled"] for a in actions][-2:] == [False, True]
    assert ask(client, world).json()["outcome"] == "answered"


def test_flagged_passages_of_a_service_for_admins_and_auditors(client, world, db) -> None:  # type: ignore[no-untyped-def]
    from govai.store.knowledge import KnowledgeStore

    service = world["a"]
    url = f"/v1/admin/services/{service}/flagged"
    assert client.get(url, headers=auth(world, role="service_admin")).json() == []
    store = KnowledgeStore(db)
    chunk = store.chunks(store.require(KB))[0]
    with db.connect() as conn:  # flagged by an older model
        conn.execute("UPDATE chunk SET flags = ARRAY['injection'] WHERE id = %s", (chunk.id,))
    try:
        rows = client.get(url, headers=auth(world, role="auditor")).json()
        assert [(r["kb"], r["source_id"], r["flags"], r["flagged_now"]) for r in rows] == [
            (KB, chunk.source_id, ["injection"], False)]
        assert rows[0]["text"] == chunk.text
        assert client.get(url, headers=auth(world)).status_code == 403  # a citizen app's key
        assert client.get(url, headers=auth(world, "b", "service_admin")).status_code == 404  # another tenant's
    finally:
        with db.connect() as conn:
            conn.execute("UPDATE chunk SET flags = '{}' WHERE id = %s", (chunk.id,))


def test_an_auditor_reads_and_verifies_only_its_own_tenant(client, world) -> None:  # type: ignore[no-untyped-def]
    ask(client, world)
    records = client.get("/v1/audit/records?limit=200", headers=auth(world, "a", "auditor")).json()
    assert records and {r["service"] for r in records} == {world["a"]}
    assert client.get("/v1/audit/verify", headers=auth(world, "a", "auditor")).json()["ok"] is True
    others = client.get("/v1/audit/records?limit=200", headers=auth(world, "b", "auditor")).json()
    assert all(r["service"] == world["b"] for r in others)


# ---------------------------------------------------------------- authorisation


def _endpoints(world, conversation_id: str, request_id: str) -> list[tuple[str, str, dict | None, str]]:  # type: ignore[no-untyped-def]
    a = world["a"]
    return [
        ("GET", "/v1/services", None, "any"),
        ("POST", f"/v1/services/{a}/conversations", {"question": QUESTION}, "citizen_app"),
        ("GET", f"/v1/services/{a}/conversations/{conversation_id}", None, "citizen_app"),
        ("POST", f"/v1/services/{a}/messages/{request_id}/feedback", {"useful": True}, "citizen_app"),
        ("GET", "/v1/review/queue", None, "reviewer"),
        ("GET", f"/v1/admin/services/{a}/switch", None, "service_admin"),
        ("GET", "/v1/audit/records", None, "auditor"),
        ("GET", "/v1/audit/verify", None, "auditor"),
    ]


def test_authorisation_matrix_tenants_by_roles_by_endpoints(client, world) -> None:  # type: ignore[no-untyped-def]
    first = ask(client, world).json()
    for method, path, body, allowed in _endpoints(world, first["conversation_id"], first["request_id"]):
        assert client.request(method, path, json=body).status_code == 401, path
        assert client.request(method, path, json=body, headers={"Authorization": "Bearer gk_000000000000_"
                                                                 + "x" * 43}).status_code == 401, path
        for tenant in ("a", "b"):
            for role in ROLES:
                status = client.request(method, path, json=body, headers=auth(world, tenant, role)).status_code
                if allowed != "any" and role != allowed:
                    assert status == 403, (path, tenant, role, status)
                elif tenant == "b" and world["a"] in path:
                    assert status == 404, (path, tenant, role, status)  # another tenant's service is not there
                else:
                    assert status == 200, (path, tenant, role, status)


def test_row_level_security_holds_when_the_handlers_are_bypassed(client, world, db) -> None:  # type: ignore[no-untyped-def]
    mine = ask(client, world).json()
    a, b = world["tenants"]["a"], world["tenants"]["b"]
    with db.tenant(b) as conn:
        assert convo.get(conn, mine["conversation_id"]) is None
        assert conn.execute("SELECT count(*) FROM conversation WHERE tenant_id = %s", (a,)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM message WHERE request_id = %s",
                            (mine["request_id"],)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM audit_log WHERE service = %s", (world["a"],)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM api_key WHERE tenant_id = %s", (a,)).fetchone()[0] == 0
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege), db.tenant(b) as conn:
        conn.execute("INSERT INTO conversation (id, tenant_id, service, delete_after) VALUES ('x', %s, 's', now())",
                     (a,))
    with db.tenant(a) as conn:
        assert convo.get(conn, mine["conversation_id"]) is not None


def test_a_revoked_or_expired_key_is_refused(client, world) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    store = world["store"]
    key, token = store.create_key(world["tenants"]["a"], "short-lived", "citizen_app")
    store.revoke(key.id)
    assert client.get("/v1/services", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    _, expired = store.create_key(world["tenants"]["a"], "expired", "citizen_app",
                                  expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert client.get("/v1/services", headers={"Authorization": f"Bearer {expired}"}).status_code == 401


# ---------------------------------------------------------------- limits and errors


def test_a_key_over_its_rate_gets_429_with_retry_after(client, world) -> None:  # type: ignore[no-untyped-def]
    _, token = world["store"].create_key(world["tenants"]["a"], "slow", "citizen_app", rate_per_minute=2)
    headers = {"Authorization": f"Bearer {token}"}
    codes = [client.post(f"/v1/services/{world['a']}/conversations", json={"question": QUESTION},
                         headers=headers).status_code for _ in range(3)]
    assert codes[:2] == [200, 200] and codes[2] == 429
    refused = client.post(f"/v1/services/{world['a']}/conversations", json={"question": QUESTION}, headers=headers)
    assert int(refused.headers["Retry-After"]) >= 1 and refused.json()["error"]["code"] == "rate_limited"


def test_an_end_user_over_the_service_rate_gets_429(client, world) -> None:  # type: ignore[no-untyped-def]
    user = {"GovAI-End-User-Id": f"citizen-{uuid.uuid4().hex}"}
    limit = world["state"].catalogue.get(world["a"]).profile.end_user_rate_per_minute
    codes = [ask(client, world, **user).status_code for _ in range(limit + 1)]
    assert codes[-1] == 429 and set(codes[:-1]) == {200}


def test_limits_are_shared_through_redis(db, world) -> None:  # type: ignore[no-untyped-def]
    from govai.server.errors import ApiError
    from govai.server.ratelimit import RateLimits

    one, two = RateLimits("redis://127.0.0.1:6379"), RateLimits("redis://127.0.0.1:6379")
    subject = uuid.uuid4().hex
    one.check("api_key", subject, 2)
    two.check("api_key", subject, 2)
    with pytest.raises(ApiError) as refused:
        one.check("api_key", subject, 2)
    assert refused.value.status == 429


def test_a_key_over_its_budget_is_refused(client, world) -> None:  # type: ignore[no-untyped-def]
    store = world["store"]
    key, token = store.create_key(world["tenants"]["a"], "budgeted", "citizen_app", budget_gbp=0.01)
    store.record_spend(key, 0.02)
    refused = client.post(f"/v1/services/{world['a']}/conversations", json={"question": QUESTION},
                          headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "budget_exhausted"


@pytest.mark.parametrize(("body", "status", "code"), [
    (b'{"question": ', 422, "invalid_request"),
    (b'{"question": ""}', 422, "invalid_request"),
    (b'{"question": "hi", "extra": 1}', 422, "invalid_request"),
    (json.dumps({"question": "x" * 5000}).encode(), 422, "invalid_request"),
    (json.dumps({"question": "x" * 2500}).encode(), 422, "question_too_long"),
    (b"[" * 40 + b"]" * 40, 422, "invalid_request"),
    (b'{"question": "' + b"x" * (MAX_BODY_BYTES + 10) + b'"}', 413, "too_large"),
])
def test_bad_input_gets_a_clear_4xx_in_one_format(client, world, body: bytes, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post(f"/v1/services/{world['a']}/conversations", content=body,
                           headers={**auth(world), "Content-Type": "application/json"})
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code and response.json()["error"]["message"]


def test_unknown_routes_services_and_conversations_are_404_in_the_same_format(client, world) -> None:  # type: ignore[no-untyped-def]
    for path in ("/v1/nope", f"/v1/services/no-such/conversations/x", f"/v1/services/{world['a']}/conversations/x"):
        response = client.get(path, headers=auth(world))
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", path


# ---------------------------------------------------------------- operations


def test_health_readiness_metrics_and_openapi(client, world) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"
    assert ready.json()["checks"]["warm_up"] == "done"
    state = client.app.state.govai
    state.warmed.clear()  # as while a starting worker loads its models
    try:
        warming = client.get("/readyz")
        assert warming.status_code == 503 and warming.json()["checks"]["warm_up"] == "running"
    finally:
        state.warmed.set()
    ask(client, world)
    metrics = client.get("/metrics").text
    assert f'govai_requests_total{{outcome="answered",service="{world["a"]}"}}' in metrics
    assert "govai_step_seconds_bucket" in metrics
    spec = client.get("/openapi.json").json()
    assert "/v1/services/{service}/conversations" in spec["paths"]
    assert client.get("/docs").status_code == 200
