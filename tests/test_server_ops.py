"""Operations inside the server, against the real PostgreSQL: retention on a schedule (one worker
at a time) and OpenTelemetry traces (with the SDK's in-memory exporter; names and timings only)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from audit_helpers import new_key, payload
from fastapi.testclient import TestClient

from govai.policy.audit import append, verify_chain
from govai.profiles.model import ServiceProfile
from govai.server import retention, tracing
from govai.server.app import create_app
from govai.server.catalogue import ServiceCatalogue
from govai.server.state import ServerState
from govai.store.tenants import Tenants

KB = "test-server-ops"


@pytest.fixture(scope="module")
def kb(db, tmp_path_factory) -> str:  # type: ignore[no-untyped-def]
    from govai.embeddings import get_embedder
    from govai.ingest.pipeline import Ingester
    from govai.store.knowledge import KnowledgeStore

    folder = tmp_path_factory.mktemp("ops-kb")
    (folder / "beehives.md").write_text(
        "---\ntitle: Register your beehives\nurl: https://www.gov.uk/beehives\n---\n\n## When to register\n\n"
        "Register each new colony of honey bees within 28 days of getting it.\n", encoding="utf-8")
    store = KnowledgeStore(db)
    if store.get(KB):
        store.delete(KB)
    Ingester(store, get_embedder("minilm"), KB).run([folder])
    return KB


@pytest.fixture
def audit_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A private signing key and checkpoint file (prunes are signed)."""
    monkeypatch.setenv("GOVAI_AUDIT_KEY", new_key())
    monkeypatch.setenv("GOVAI_AUDIT_CHECKPOINTS", str(tmp_path / "checkpoints.jsonl"))
    monkeypatch.setenv("GOVAI_AUDIT_CHECKPOINT_EVERY", "0")


def _state(db, kb: str, **retention_days: dict[str, int]) -> tuple[ServerState, str]:  # type: ignore[no-untyped-def]
    """A tenant with one service per keyword argument, each with that retention."""
    tenant = f"ops-{uuid.uuid4().hex[:8]}"
    Tenants(db).create(tenant, "Operations")
    profiles = [ServiceProfile.model_validate({"name": f"{name}-{tenant}", "tenant": tenant, "kb": kb,
                                               "retention": days})
                for name, days in retention_days.items()]
    return ServerState(ServiceCatalogue.from_profiles(profiles), db), tenant


# ---------------------------------------------------------------- retention


def _conversation(db, tenant: str, service: str, *, expired: bool, vault_idle_days: float | None = None) -> str:  # type: ignore[no-untyped-def]
    """A conversation with one message, feedback on it and (optionally) a PII-vault mapping."""
    cid = uuid.uuid4().hex
    delete_after = datetime.now(UTC) + (timedelta(hours=-1) if expired else timedelta(days=20))
    conn = db.conn
    conn.execute("INSERT INTO conversation (id, tenant_id, service, delete_after) VALUES (%s, %s, %s, %s)",
                 (cid, tenant, service, delete_after))
    request_id = uuid.uuid4().hex
    conn.execute("INSERT INTO message (conversation_id, tenant_id, request_id, question, answer, outcome)"
                 " VALUES (%s, %s, %s, 'q', 'a', 'answered')", (cid, tenant, request_id))
    conn.execute("INSERT INTO feedback (tenant_id, request_id, useful) VALUES (%s, %s, true)", (tenant, request_id))
    if vault_idle_days is not None:
        _mapping(db, cid, vault_idle_days)
    return cid


def _mapping(db, conversation_id: str, idle_days: float) -> None:  # type: ignore[no-untyped-def]
    db.conn.execute("INSERT INTO pii_vault (conversation_id, key_id, nonce, ciphertext, updated_at)"
                    " VALUES (%s, 'k', '\\x00', '\\x00', now() - make_interval(secs => %s))",
                    (conversation_id, idle_days * 86400))


def _exists(db, table: str, column: str, value: str) -> bool:  # type: ignore[no-untyped-def]
    return db.conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = %s", (value,)).fetchone()[0] > 0


def _review_item(db, tenant: str, service: str, *, expired: bool) -> int:  # type: ignore[no-untyped-def]
    delete_after = datetime.now(UTC) + (timedelta(hours=-1) if expired else timedelta(days=20))
    row = db.conn.execute(
        "INSERT INTO review_queue (tenant_id, request_id, service, rule, answer, delete_after)"
        " VALUES (%s, %s, %s, 'r', 'a', %s) RETURNING id", (tenant, uuid.uuid4().hex, service, delete_after)).fetchone()
    return int(row[0])


def test_retention_runs_on_a_schedule_inside_the_server(db, kb, audit_key, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    state, tenant = _state(db, kb, short={"audit_days": 1, "conversation_days": 1},
                           long={"audit_days": 365, "conversation_days": 30})
    short, long = sorted(state.catalogue.names(), key=lambda n: not n.startswith("short"))
    # The audit trail: two records past the short service's day, one inside it; old ones in the other.
    for _ in range(2):
        append(db.conn, payload(short, days_ago=3))
    kept_record = payload(short)
    append(db.conn, kept_record)
    append(db.conn, payload(long, days_ago=3))
    # Conversations: one past delete_after (with its message, feedback and vault mapping), one not.
    gone = _conversation(db, tenant, short, expired=True, vault_idle_days=0)
    alive = _conversation(db, tenant, long, expired=False, vault_idle_days=5)  # 5 idle days < 30: kept
    idle = _conversation(db, tenant, short, expired=False, vault_idle_days=2)  # 2 idle days > 1: erased
    orphan_old, orphan_new = uuid.uuid4().hex, uuid.uuid4().hex  # no conversation: the longest period, 30 days
    _mapping(db, orphan_old, 31)
    _mapping(db, orphan_new, 5)
    stale_item, fresh_item = (_review_item(db, tenant, short, expired=e) for e in (True, False))

    monkeypatch.setenv(retention.INTERVAL_ENV, "0.3")
    with TestClient(create_app(state)) as client:
        scheduler = client.app.state.retention
        assert isinstance(scheduler, retention.RetentionScheduler) and scheduler.interval_s == 0.3
        deadline = time.monotonic() + 30
        while scheduler.passes < 2 and time.monotonic() < deadline:  # two passes: the second finds nothing
            time.sleep(0.1)
        assert scheduler.passes >= 2 and scheduler.leading

    assert not client.app.state.retention.leading  # given up when the server stopped
    rows = [json.loads(r[0]) for r in db.conn.execute(
        "SELECT payload FROM audit_log WHERE service = %s ORDER BY seq", (short,))]
    assert [r.get("request_id") for r in rows if "request_id" in r] == [kept_record["request_id"]]
    assert rows[-1]["outcome"] == "pruned" and rows[-1]["pruned"]["count"] == 2
    assert verify_chain(db.conn, short).ok and verify_chain(db.conn, long).ok
    assert db.conn.execute("SELECT count(*) FROM audit_log WHERE service = %s", (long,)).fetchone()[0] == 1

    assert not _exists(db, "conversation", "id", gone) and not _exists(db, "message", "conversation_id", gone)
    assert not _exists(db, "pii_vault", "conversation_id", gone)
    assert db.conn.execute("SELECT count(*) FROM feedback f WHERE f.tenant_id = %s AND NOT EXISTS"
                           " (SELECT 1 FROM message m WHERE m.request_id = f.request_id)", (tenant,)).fetchone()[0] == 0
    assert _exists(db, "conversation", "id", alive) and _exists(db, "pii_vault", "conversation_id", alive)
    assert _exists(db, "conversation", "id", idle) and not _exists(db, "pii_vault", "conversation_id", idle)
    assert not _exists(db, "pii_vault", "conversation_id", orphan_old)
    assert _exists(db, "pii_vault", "conversation_id", orphan_new)
    assert not db.conn.execute("SELECT 1 FROM review_queue WHERE id = %s", (stale_item,)).fetchone()
    assert db.conn.execute("SELECT 1 FROM review_queue WHERE id = %s", (fresh_item,)).fetchone()


def test_only_one_worker_runs_retention_and_another_takes_over_when_it_stops(db, kb, audit_key) -> None:  # type: ignore[no-untyped-def]
    state, tenant = _state(db, kb, svc={"audit_days": 30, "conversation_days": 1})
    first, second = (retention.RetentionScheduler(state, 3600) for _ in range(2))
    try:
        assert first.run_once() is not None  # the first to try leads...
        assert second.run_once() is None  # ...and the other stands by
        [service] = state.catalogue.names()
        cid = _conversation(db, tenant, service, expired=True)
        assert second.run_once() is None and _exists(db, "conversation", "id", cid)
        done = first.run_once()
        assert done is not None and done.conversations >= 1 and not _exists(db, "conversation", "id", cid)
        first.close()  # the leader's worker stops (or dies: its connection, and so the lock, goes)
        assert second.run_once() is not None and second.leading
        assert first.run_once() is None  # and the old one, back, stands by
    finally:
        first.close()
        second.close()


def test_audit_pruning_waits_for_a_signing_key(db, kb, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A host without the audit key (kept off it on purpose) does not make one up to sign prunes."""
    monkeypatch.delenv("GOVAI_AUDIT_KEY", raising=False)
    monkeypatch.setenv("GOVAI_AUDIT_KEY_FILE", str(tmp_path / "none.key"))
    monkeypatch.setattr("govai.policy.audit.keys.load_signer", lambda create=True: None)
    state, _ = _state(db, kb, svc={"audit_days": 1})
    scheduler = retention.RetentionScheduler(state, 3600)
    try:
        done = scheduler.run_once()
        assert done is not None and done.audit_pruned == {}
        assert set(done.audit_skipped) == set(state.catalogue.names())
    finally:
        scheduler.close()


def test_the_interval_comes_from_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(retention.INTERVAL_ENV, raising=False)
    assert retention.interval_from_environment() == 3600
    monkeypatch.setenv(retention.INTERVAL_ENV, "0")
    assert retention.interval_from_environment() == 0
    from govai.errors import ConfigError

    for bad in ("soon", "-5", "nan"):
        monkeypatch.setenv(retention.INTERVAL_ENV, bad)
        with pytest.raises(ConfigError):
            retention.interval_from_environment()
    scheduler = retention.RetentionScheduler.__new__(retention.RetentionScheduler)
    scheduler.interval_s = 60
    assert scheduler.seconds_to_next(now=120.0) == 60 and scheduler.seconds_to_next(now=150.5) == 29.5


def test_retention_off_runs_no_scheduler(db, kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(retention.INTERVAL_ENV, "0")
    state, _ = _state(db, kb, svc={})
    with TestClient(create_app(state)) as client:
        assert client.app.state.retention is None


# ---------------------------------------------------------------- traces


@pytest.fixture
def spans() -> Iterator[Any]:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.configure(provider)
    yield exporter
    tracing.shutdown()


def _texts(span: Any) -> list[str]:
    """Everything a span says: its name, attribute values and events."""
    out = [span.name, *(str(v) for v in (span.attributes or {}).values())]
    for event in span.events:
        out += [event.name, *(str(v) for v in (event.attributes or {}).values())]
    return out


def test_a_request_is_one_span_with_a_child_per_pipeline_step_and_no_text(db, kb, spans) -> None:  # type: ignore[no-untyped-def]
    state, tenant = _state(db, kb, svc={})
    [service] = state.catalogue.names()
    _, token = Tenants(db).create_key(tenant, "traced", "citizen_app")
    question = "My NI number is AB 12 34 56 C: how many days do I have to register a new colony of honey bees?"
    parent_trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    with TestClient(create_app(state)) as client:
        response = client.post(f"/v1/services/{service}/conversations", json={"question": question},
                               headers={"Authorization": f"Bearer {token}",
                                        "traceparent": f"00-{parent_trace}-00f067aa0ba902b7-01"})
        assert response.status_code == 200, response.text
        body = response.json()
        missing = client.get("/v1/services/nope/conversations/x", headers={"Authorization": f"Bearer {token}"})
        assert missing.status_code == 404

    finished = spans.get_finished_spans()
    [http] = [s for s in finished if s.name == "POST /v1/services/{service}/conversations"]
    assert http.kind.name == "SERVER" and format(http.context.trace_id, "032x") == parent_trace
    assert http.attributes["http.route"] == "/v1/services/{service}/conversations"
    assert http.attributes["http.response.status_code"] == 200
    assert http.attributes["govai.request_id"] == response.headers["X-Request-Id"]
    assert http.attributes["govai.service"] == service and http.attributes["govai.tenant"] == tenant
    assert http.attributes["govai.outcome"] == body["outcome"]

    [pipeline] = [s for s in finished if s.name == "govai.pipeline"]
    assert pipeline.parent is not None and pipeline.parent.span_id == http.context.span_id
    assert pipeline.attributes["govai.request_id"] == body["request_id"]  # the audit record's id
    steps = sorted((s for s in finished if s.name.startswith("govai.step.")), key=lambda s: s.start_time)
    assert all(s.parent is not None and s.parent.span_id == pipeline.context.span_id for s in steps)
    names = [s.attributes["govai.step"] for s in steps]
    audited = json.loads(db.conn.execute("SELECT payload FROM audit_log WHERE request_id = %s",
                                         (body["request_id"],)).fetchone()[0])
    assert names == [s["step"] for s in audited["steps"]] + ["audit"]  # every step that ran, in order
    assert names[:3] == ["normalise", "security_marking", "pseudonymise"]
    for before, after in zip(steps, steps[1:]):
        assert before.end_time <= after.start_time  # one after the other, each as long as the step took
    assert pipeline.start_time <= steps[0].start_time and steps[-1].end_time <= pipeline.end_time
    assert http.start_time <= pipeline.start_time and pipeline.end_time <= http.end_time
    assert all(abs((s.end_time - s.start_time) / 1e6 - s.attributes["govai.step.ms"]) < 0.01 for s in steps)

    [refused] = [s for s in finished if s.name == "GET /v1/services/{service}/conversations/{conversation_id}"]
    assert refused.attributes["http.response.status_code"] == 404

    said = " ".join(t for s in finished for t in _texts(s))
    for secret in ("AB 12 34 56 C", "honey bees", body["answer"][:40], body["conversation_id"], token):
        assert secret not in said


def test_traces_are_off_unless_configured(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("GOVAI_TRACES", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    try:
        assert tracing.configure() is None
        monkeypatch.setenv("GOVAI_TRACES", "off")
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")
        assert tracing.configure() is None
    finally:
        tracing.shutdown()


def test_govai_traces_console_prints_spans(db, kb, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    state, _ = _state(db, kb, svc={})
    monkeypatch.setenv("GOVAI_TRACES", "console")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "govai-test")
    try:
        assert tracing.configure() is not None
        with TestClient(create_app(state)) as client:
            assert client.get("/healthz").status_code == 200
    finally:
        tracing.shutdown()
    printed = capsys.readouterr().out
    assert '"name": "GET /healthz"' in printed and "govai-test" in printed


class _Collector(BaseHTTPRequestHandler):
    received: list[tuple[str, str, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.received.append((self.path, self.headers.get("Content-Type", ""), body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_otlp_endpoint_sends_spans_to_the_collector(db, kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("opentelemetry.exporter.otlp.proto.http.trace_exporter",
                        reason="the OTLP exporter is in the otel extra")
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    collector = HTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=collector.serve_forever, daemon=True).start()
    monkeypatch.delenv("GOVAI_TRACES", raising=False)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{collector.server_port}")
    _Collector.received.clear()
    state, _ = _state(db, kb, svc={})
    try:
        assert tracing.configure() is not None
        with TestClient(create_app(state)) as client:
            assert client.get("/healthz").status_code == 200
        # The app's shutdown flushed the batch to the collector.
    finally:
        tracing.shutdown()
        collector.shutdown()
    [(path, content_type, body)] = _Collector.received
    assert path == "/v1/traces" and content_type == "application/x-protobuf"
    sent = ExportTraceServiceRequest.FromString(body)
    names = [s.name for rs in sent.resource_spans for ss in rs.scope_spans for s in ss.spans]
    assert names == ["GET /healthz"]


# ---------------------------------------------------------------- a crash under load


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(services: Path, port: int, log: Path) -> Any:
    """``govai serve --workers 2`` in its own process group (so kill -9 reaches every worker)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, retention.INTERVAL_ENV: "0", "PYTHONUNBUFFERED": "1"}
    cmd = [str(Path(sys.executable).with_name("govai")), "serve", "--services", str(services), "--port", str(port),
           "--workers", "2", "--log-level", "warning"]
    return subprocess.Popen(cmd, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def _ready(url: str, proc: Any, timeout_s: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, "govai serve exited while starting"
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise AssertionError("govai serve did not become ready")


@pytest.mark.slow
def test_kill_9_under_load_loses_no_acknowledged_request(db, kb, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every answer the server acknowledged (a 200 with its request id) before it was killed with
    SIGKILL mid-load is in the audit trail and in the conversation store after a restart, and the
    chain verifies with ``govai audit verify``: a request is answered only after its record commits."""
    import os
    import signal
    import subprocess
    import sys
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    tenant = f"crash-{uuid.uuid4().hex[:8]}"
    service = f"crash-{tenant}"
    store = Tenants(db)
    store.create(tenant, "Crash test")
    _, token = store.create_key(tenant, "load", "citizen_app", rate_per_minute=1_000_000)
    services = tmp_path / "services"
    services.mkdir()
    (services / "crash.yaml").write_text(json.dumps({"name": service, "tenant": tenant, "kb": kb}), encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    question = {"question": "How many days do I have to register a new colony of honey bees?"}
    headers = {"Authorization": f"Bearer {token}"}

    acknowledged: list[str] = []
    failed = 0
    stop_at = threading.Event()

    def load() -> None:
        nonlocal failed
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
            while not stop_at.is_set():
                try:
                    response = client.post(f"/v1/services/{service}/conversations", json=question)
                except httpx.HTTPError:
                    failed += 1  # in flight when the server died: never acknowledged
                    continue
                if response.status_code == 200:
                    acknowledged.append(response.json()["request_id"])

    proc = _serve(services, port, log)
    try:
        _ready(url, proc)
        with ThreadPoolExecutor(4) as pool:
            for _ in range(4):
                pool.submit(load)
            deadline = time.monotonic() + 60
            while len(acknowledged) < 12 and time.monotonic() < deadline:
                time.sleep(0.05)
            os.killpg(proc.pid, signal.SIGKILL)  # the master and both workers, mid-request
            proc.wait(timeout=10)
            time.sleep(0.5)  # the load keeps trying against the dead port
            stop_at.set()
        before = list(acknowledged)
        assert len(before) >= 12, log.read_text(errors="replace")[-2000:]

        proc = _serve(services, port, log)  # restart on the same store
        _ready(url, proc)
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
            after = client.post(f"/v1/services/{service}/conversations", json=question)
        assert after.status_code == 200, after.text
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    wanted = [*before, after.json()["request_id"]]
    audited = {r[0] for r in db.conn.execute("SELECT request_id FROM audit_log WHERE request_id = ANY(%s)", (wanted,))}
    stored = {r[0] for r in db.conn.execute("SELECT request_id FROM message WHERE request_id = ANY(%s)", (wanted,))}
    assert set(wanted) <= audited, f"acknowledged but not audited: {set(wanted) - audited}"
    assert set(wanted) <= stored, f"acknowledged but not stored: {set(wanted) - stored}"
    verify = subprocess.run([str(Path(sys.executable).with_name("govai")), "audit", "verify", "--service", service],
                            capture_output=True, text=True, timeout=120, check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
