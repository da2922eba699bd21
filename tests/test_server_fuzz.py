"""Property-based fuzzing of the whole HTTP API from its own OpenAPI document (schemathesis),
against the real app and the real PostgreSQL.

Every operation in ``/openapi.json`` gets valid and invalid requests generated from its schema,
sent with a key of each role (and with none, or a bogus one); path parameters are, half the
time, real ids (the tenant's service, a conversation, an answer, a review item) so the handlers
behind the authorisation checks are reached too. Every response must be no 5xx, carry a status
the document declares, and conform to the declared schema and content type; invalid input must
be refused with a 4xx.

Bounded to run in CI in about a minute: ``GOVAI_FUZZ_EXAMPLES`` (default 25) cases per operation.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from govai.profiles.model import ServiceProfile
from govai.server.app import create_app
from govai.server.catalogue import ServiceCatalogue
from govai.server.state import ServerState
from govai.store.tenants import ROLES, Tenants

EXAMPLES = int(os.environ.get("GOVAI_FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
KB = "test-server-fuzz"
PAGES = {
    "beehives.md": ("Register your beehives", "## When to register\n\nRegister each new colony of honey bees "
                    "within 28 days of getting it.\n\n## Fees\n\nRegistration is free."),
    "ponds.md": ("Garden pond safety grant", "## What you get\n\nThe grant pays up to £250 towards a fence or "
                 "a rigid pond cover."),
}
QUESTION = "How many days do I have to register a new colony of honey bees?"

# The document alone (no database): which operations there are, for one test each.
OPERATIONS = [(method.upper(), path) for path, item in create_app().openapi()["paths"].items() for method in item]


@dataclass
class World:
    state: ServerState
    service: str  # tenant A's service
    other: str  # tenant B's service
    keys: dict[str, str]  # role -> tenant A's key
    conversation_id: str
    request_id: str
    queue_id: int
    models: list[str]  # what GET /v1/models lists for tenant A's citizen key


@pytest.fixture(scope="module")
def world(db, tmp_path_factory) -> World:  # type: ignore[no-untyped-def]
    from govai.embeddings import get_embedder
    from govai.ingest.pipeline import Ingester
    from govai.store.knowledge import KnowledgeStore

    folder = tmp_path_factory.mktemp("fuzz-kb")
    for name, (title, body) in PAGES.items():
        (folder / name).write_text(f"---\ntitle: {title}\nurl: https://www.gov.uk/{name[:-3]}\n---\n\n{body}\n",
                                   encoding="utf-8")
    store = KnowledgeStore(db)
    if store.get(KB):
        store.delete(KB)
    Ingester(store, get_embedder("minilm"), KB).run([folder])

    tenants = Tenants(db)
    suffix = uuid.uuid4().hex[:6]
    a, b = f"fuzz-a-{suffix}", f"fuzz-b-{suffix}"
    tenants.create(a, "Fuzz A")
    tenants.create(b, "Fuzz B")
    profiles = [
        ServiceProfile.model_validate({"name": f"fuzz-{suffix}", "tenant": a, "kb": KB,
                                       "review": [{"name": "fees", "action": "hold", "answer_matches": ["free"]}]}),
        ServiceProfile.model_validate({"name": f"fuzz-other-{suffix}", "tenant": b, "kb": KB}),
    ]
    state = ServerState(ServiceCatalogue.from_profiles(profiles), db)
    # A generous rate, so the fuzzer reaches the handlers rather than the rate limiter.
    keys = {role: tenants.create_key(a, f"fuzz {role}", role, rate_per_minute=1_000_000)[1] for role in ROLES}

    # Real ids to aim at: a conversation, an answer in it, and an answer held for review.
    from fastapi.testclient import TestClient

    with TestClient(create_app(state)) as client:
        citizen = {"Authorization": f"Bearer {keys['citizen_app']}"}
        first = client.post(f"/v1/services/{profiles[0].name}/conversations", json={"question": QUESTION},
                            headers=citizen).json()
        held = client.post(f"/v1/services/{profiles[0].name}/conversations",
                           json={"question": "Do I have to pay to register my beehives?"}, headers=citizen).json()
        assert held["status"] == "held", held
        queue = client.get(f"/v1/review/queue?service={profiles[0].name}",
                           headers={"Authorization": f"Bearer {keys['reviewer']}"}).json()
        listed = client.get("/v1/models", headers=citizen)  # the OpenAI-compatible gateway's models, if any
        models = [m["id"] for m in listed.json()["data"]] if listed.status_code == 200 else []
    queue_id = next(i["id"] for i in queue if i["request_id"] == held["request_id"])
    return World(state, profiles[0].name, profiles[1].name, keys, first["conversation_id"], first["request_id"],
                 queue_id, models or [profiles[0].name])


@pytest.fixture(scope="module")
def api(world: World) -> Any:
    app = create_app(world.state)
    # Schemathesis starts the app once and keeps it for the rest of the run: without its own
    # retention, so it never becomes the retention leader under other tests' feet.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVAI_RETENTION_INTERVAL_S", "0")
        return schemathesis.openapi.from_asgi("/openapi.json", app)


def _real(world: World) -> dict[str, st.SearchStrategy[Any]]:
    """Real values for path parameters (and the gateway's model), mostly the caller's own."""
    service = st.sampled_from([world.service, world.service, world.service, world.other])
    return {"service": service, "model": st.sampled_from(world.models), "conversation_id": st.just(world.conversation_id),
            "request_id": st.just(world.request_id), "queue_id": st.just(world.queue_id)}


def _chat_body(world: World) -> st.SearchStrategy[dict[str, Any]]:
    chat_models = [m for m in world.models if not m.startswith("embedding:")] or [world.service]
    return st.fixed_dictionaries({"model": st.sampled_from(chat_models),
                                  "messages": st.just([{"role": "user", "content": QUESTION}])},
                                 optional={"stream": st.booleans(), "max_tokens": st.integers(1, 500)})


def _embeddings_body(world: World) -> st.SearchStrategy[dict[str, Any]]:
    embedding_models = [m for m in world.models if m.startswith("embedding:")] or ["embedding:minilm"]
    return st.fixed_dictionaries({"model": st.sampled_from(embedding_models),
                                  "input": st.one_of(st.text(min_size=1, max_size=40),
                                                     st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=3))})


# Generated gateway bodies almost never name a real model with a well-formed message; every other
# positive case sends one that does, so the handler's own work is fuzzed too.
AIMED_BODIES = {"/v1/chat/completions": _chat_body, "/v1/embeddings": _embeddings_body}


def _switch_on(world: World) -> None:
    """A generated PUT may switch the service off: switch it back on for the next case."""
    from govai.store import conversations as convo

    service = world.state.catalogue.get(world.service)
    assert service is not None
    with world.state.db.tenant(service.tenant) as conn:
        convo.set_switch(conn, service.tenant, service.name, True, "fuzzing", "test")


def _negates_auth(case: Any) -> bool:
    """Whether a negative case is "no Authorization header" (then none is sent)."""
    for mutation in getattr(case.meta.phase.data, "mutations", ()) if case.meta else ():
        values = mutation.original_value if isinstance(mutation.original_value, list) else [mutation.original_value]
        if mutation.parameter == "Authorization" or "Authorization" in values:
            return True
    return False


CALLERS = (*ROLES, "anonymous")
BOGUS = ("gk_000000000000_" + "x" * 43, "not-a-key")
SEEN: dict[tuple[str, str], list[tuple[str, int]]] = {}  # (method, path) -> [(caller, status)]
if os.environ.get("GOVAI_FUZZ_REPORT"):
    import atexit
    from collections import Counter

    atexit.register(lambda: [print(m, p, dict(Counter(s for _, s in calls)), dict(Counter(c for c, s in calls if s < 300)))
                             for (m, p), calls in SEEN.items()])


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_operation_survives_fuzzing(api: Any, world: World, method: str, path: str, caller: str) -> None:
    """One operation, called by a key of one role (or with no key, or a bogus one)."""
    operation = api[path][method]
    positive = operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE)
    negative = operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE)
    real = _real(world)
    who = st.sampled_from([None, *BOGUS]) if caller == "anonymous" else st.just(world.keys[caller])
    seen = SEEN.setdefault((method, path), [])

    def fuzz(examples: int) -> None:
        @given(case=st.one_of(positive, positive, negative), token=who, aim=st.integers(0, 3), data=st.data())
        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any, token: str | None, aim: int, data: st.DataObject) -> None:
            if not case.meta.generation.mode.is_negative:
                if aim:  # mostly at real ids, so valid requests get past "not found" to the handler's work
                    case.path_parameters = {name: data.draw(real[name], label=name) if name in real else value
                                            for name, value in (case.path_parameters or {}).items()}
                if aim and isinstance(case.body, dict) and isinstance(case.body.get("model"), str):
                    case.body = {**case.body, "model": data.draw(real["model"], label="model")}
                # about every other case: a body it can serve (drawn, so that a replayed case draws the same)
                if path in AIMED_BODIES and data.draw(st.booleans(), label="aimed body"):
                    case.body = data.draw(AIMED_BODIES[path](world), label="body")
            headers = {"Authorization": f"Bearer {token}"} if token and not _negates_auth(case) else {}
            response = case.call(headers=headers)
            seen.append((caller, response.status_code))
            if method == "PUT" and path.endswith("/switch"):
                _switch_on(world)  # the next operations fuzz a service that answers
            case.validate_response(response, checks=CHECKS, headers=headers)

        run()

    # A caller refused outright (no key, or a role that may not) needs only a few cases to show it;
    # the others get the full run.
    start = len(seen)
    fuzz(min(5, EXAMPLES))
    if any(status not in (401, 403) for _, status in seen[start:]):
        fuzz(EXAMPLES)


def test_the_fuzzing_reached_every_handler() -> None:
    """Every operation fuzzed above answered some generated request with success (so the fuzzer got
    past authentication, authorisation and "not found" into each handler), and none with a 5xx."""
    complete = {op: calls for op, calls in SEEN.items() if {c for c, _ in calls} == set(CALLERS)}
    if not complete:
        pytest.skip("the fuzzing tests did not run (deselected)")
    missed = sorted(f"{m} {p}" for (m, p), calls in complete.items() if not any(200 <= s < 300 for _, s in calls))
    assert not missed, f"no generated request succeeded on {missed}: raise GOVAI_FUZZ_EXAMPLES or aim better"
    assert not [s for calls in complete.values() for _, s in calls if s >= 500]
