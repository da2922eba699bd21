"""Many serving nodes (issue 14): two ``govai serve`` processes on different ports, sharing one
PostgreSQL and one Redis and nothing else, serve one conversation, one key's rate limit and one
audit chain as a single node would. Each process is a real node: its own interpreter, no state
shared in memory with the other or with the test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow  # two server processes, each loading the embedder

KB = "test-two-nodes"
REDIS_URL = os.environ.get("GOVAI_TEST_REDIS_URL", "redis://127.0.0.1:6379")
START_TIMEOUT_S = 240
PAGES = {
    "allotments.md": ("Rent an allotment", "## Waiting lists\n\nAsk your council to put you on its allotment "
                      "waiting list.\n\n## Rent\n\nAllotment rent is paid once a year to the council."),
    "bonfires.md": ("Garden bonfire rules", "## When you can burn\n\nThere are no set times for garden "
                    "bonfires, but you must not let smoke drift across a road."),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _redis_up() -> bool:
    host, port = REDIS_URL.split("://", 1)[1].split("/", 1)[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def deployment(db, tmp_path_factory) -> Iterator[dict]:  # type: ignore[no-untyped-def]
    """A knowledge base, a tenant with keys, a service profile, and two nodes serving it."""
    if not _redis_up():
        pytest.fail(f"the two-node test needs Redis at {REDIS_URL} (set GOVAI_TEST_REDIS_URL)")
    from govai.embeddings import get_embedder
    from govai.ingest.pipeline import Ingester
    from govai.store.knowledge import KnowledgeStore
    from govai.store.tenants import Tenants
    from govai.web import assets

    work = tmp_path_factory.mktemp("two-nodes")
    pages = work / "pages"
    pages.mkdir()
    for name, (title, body) in PAGES.items():
        (pages / name).write_text(f"---\ntitle: {title}\nurl: https://www.gov.uk/{name[:-3]}\n---\n\n{body}\n",
                                  encoding="utf-8")
    store = KnowledgeStore(db)
    if store.get(KB):
        store.delete(KB)
    Ingester(store, get_embedder("minilm"), KB).run([pages])

    suffix = uuid.uuid4().hex[:6]
    tenant, service = f"council-{suffix}", f"allotments-{suffix}"
    tenants = Tenants(db)
    tenants.create(tenant, "Council")
    keys = {
        "citizen": tenants.create_key(tenant, "app", "citizen_app")[1],
        "limited": tenants.create_key(tenant, "limited", "citizen_app", rate_per_minute=3)[1],
        "auditor": tenants.create_key(tenant, "audit", "auditor")[1],
    }
    services = work / "services"
    services.mkdir()
    (services / f"{service}.yaml").write_text(f"name: {service}\ntenant: {tenant}\nkb: {KB}\n", encoding="utf-8")
    web = work / "web-assets"  # the web pages are not under test: stand-in assets, so no node fetches any
    web.mkdir()
    (web / assets.MARKER).write_text(assets.GOVUK_FRONTEND, encoding="utf-8")
    (web / "govuk-frontend.min.css").write_text("", encoding="utf-8")

    env = {**os.environ, "DATABASE_URL": db.url, "REDIS_URL": f"{REDIS_URL}/0", "GOVAI_WEB_ASSETS": str(web)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    nodes, procs = [], []
    for i in range(2):
        port = _free_port()
        log = (work / f"node{i}.log").open("w", encoding="utf-8")
        procs.append(subprocess.Popen(
            [sys.executable, "-c", "from govai.cli.main import app; app()", "serve", "--services", str(services),
             "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work))
        nodes.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        for i, (node, proc) in enumerate(zip(nodes, procs, strict=True)):
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"node {i} exited: {(work / f'node{i}.log').read_text()[-3000:]}")
                try:
                    if httpx.get(f"{node}/readyz", timeout=5).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"node {i} not ready in {START_TIMEOUT_S}s: "
                                f"{(work / f'node{i}.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield {"nodes": nodes, "keys": keys, "service": service, "tenant": tenant}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _auth(deployment: dict, key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {deployment['keys'][key]}"}


def _post(deployment: dict, node: int, path: str, json: dict, key: str = "citizen") -> httpx.Response:
    return httpx.post(f"{deployment['nodes'][node]}/v1/services/{deployment['service']}{path}", json=json,
                      headers=_auth(deployment, key), timeout=120)


def test_both_nodes_are_live_and_ready_on_the_shared_store(deployment) -> None:  # type: ignore[no-untyped-def]
    for node in deployment["nodes"]:
        assert httpx.get(f"{node}/healthz", timeout=10).json() == {"status": "ok"}
        checks = httpx.get(f"{node}/readyz", timeout=10).json()["checks"]
        assert checks["database"] == "ok" and checks["redis"] == "ok"


def test_a_conversation_continues_on_the_other_node(deployment) -> None:  # type: ignore[no-untyped-def]
    first = _post(deployment, 0, "/conversations", {"question": "How do I get on an allotment waiting list?"})
    assert first.status_code == 200, first.text
    conversation = first.json()["conversation_id"]
    follow = _post(deployment, 1, f"/conversations/{conversation}/messages", {"question": "and how is rent paid?"})
    assert follow.status_code == 200, follow.text
    assert follow.json()["conversation_id"] == conversation
    seen = [httpx.get(f"{node}/v1/services/{deployment['service']}/conversations/{conversation}",
                      headers=_auth(deployment, "citizen"), timeout=30).json() for node in deployment["nodes"]]
    assert seen[0] == seen[1]
    assert [m["request_id"] for m in seen[0]["messages"]] == [first.json()["request_id"], follow.json()["request_id"]]


def test_a_key_rate_limit_counts_requests_on_both_nodes(deployment) -> None:  # type: ignore[no-untyped-def]
    question = {"question": "Are there set times for garden bonfires?"}
    codes = [_post(deployment, i % 2, "/conversations", question, "limited").status_code for i in range(3)]
    assert codes == [200, 200, 200]
    for node in (0, 1):  # the fourth request within the minute is refused, whichever node takes it
        refused = _post(deployment, node, "/conversations", question, "limited")
        assert refused.status_code == 429, refused.text
        assert refused.json()["error"]["code"] == "rate_limited" and int(refused.headers["Retry-After"]) >= 1


def test_one_audit_chain_holds_every_nodes_records(deployment) -> None:  # type: ignore[no-untyped-def]
    asked = [_post(deployment, i % 2, "/conversations", {"question": q}).json()["request_id"]
             for i, q in enumerate(["Who do I pay allotment rent to?", "Can smoke from my bonfire cross a road?",
                                    "How do I join the allotment waiting list?", "When can I have a bonfire?"])]
    verdicts = [httpx.get(f"{node}/v1/audit/verify", headers=_auth(deployment, "auditor"), timeout=60).json()
                for node in deployment["nodes"]]
    assert verdicts[0]["ok"] and verdicts[1]["ok"], verdicts
    assert verdicts[0] == verdicts[1]
    records = [httpx.get(f"{node}/v1/audit/records?service={deployment['service']}&limit=500",
                         headers=_auth(deployment, "auditor"), timeout=60).json() for node in deployment["nodes"]]
    assert records[0] == records[1]
    seqs = sorted(r["seq"] for r in records[0])
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "one chain: no gap, no sequence number twice"
    request_ids = {r["record"].get("request_id") for r in records[0]}
    assert set(asked) <= request_ids
