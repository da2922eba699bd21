"""The FastAPI application: ``create_app()`` (``govai serve`` runs it under uvicorn).

Middleware, outermost first: a request id on every response; input limits (body size, JSON
nesting) before anything parses the body; one structured JSON log line per request (method,
route, status, time, service, tenant, key id, outcome: never the question, the answer or a key).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from govai.server import errors, mcp, metrics
from govai.server.routes import admin, audit, health, review, services
from govai.server.routes import openai as openai_gateway
from govai.server.state import ServerState
from govai.server import retention, tracing  # operations: scheduled retention, OpenTelemetry traces

access_log = logging.getLogger("govai.access")

MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32
# The order of the API's sections in /docs (whatever order the routes are tried in).
TAGS = ("services", "review", "admin", "audit", "operations", "openai-compatible gateway")
WORKER_THREADS = 8  # requests answered at once per worker; each holds a database connection


class InputLimits:
    """Refuse an oversized body (413) or JSON nested too deep (422) before it is parsed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ("\x00" in scope["path"] or b"%00" in scope["query_string"]):
            # No id or name holds one, and PostgreSQL refuses it in a query (it was a 500).
            await _refuse(scope, send, 422, "invalid_request", "the URL holds a NUL character")
            return
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            await _refuse(scope, send, 413, "too_large", f"the request body is over {MAX_BODY_BYTES // 1024} KiB")
            return
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY_BYTES:
                await _refuse(scope, send, 413, "too_large", f"the request body is over {MAX_BODY_BYTES // 1024} KiB")
                return
        if _too_deep(body):
            await _refuse(scope, send, 422, "invalid_request", f"the JSON is nested over {MAX_JSON_DEPTH} levels deep")
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)



class RequestLog:
    """Gives every request an id (the X-Request-Id header) and writes one access-log line and metric.

    Plain ASGI rather than ``@app.middleware``: the latter wraps every response in a second stream,
    which cost the gateway a measurable share of each request (docs/service.md)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        request_id = request.state.request_id = uuid.uuid4().hex
        start = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append("X-Request-Id", request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path = getattr(scope.get("route"), "path", "unmatched")
            metrics.HTTP.labels(path, str(status)).inc()
            entry: dict[str, Any] = {
                "request_id": request_id, "method": scope["method"], "route": path,
                "status": status, "ms": round((time.perf_counter() - start) * 1000, 1),
            }
            for name in ("service", "tenant", "key_id", "outcome"):
                value = getattr(request.state, name, None)
                if value is not None:
                    entry[name] = value
            access_log.info(json.dumps(entry))


def _warm_gateway(app: FastAPI) -> None:
    """Build every service's gateway guards (name model, input guard, output checks) in the background
    at start, so no worker loads them inside a citizen's first request; startup does not wait for it."""
    gateway = app.state.govai.gateway

    def warm() -> None:
        for service in list(gateway.state.catalogue.services.values()):
            try:
                gateway.guards(service)
            except Exception:  # noqa: BLE001 - the request path builds them again and fails closed there
                logging.getLogger(__name__).warning("could not prepare the gateway guards of %s", service.name)

    threading.Thread(target=warm, name="govai-warm-gateway", daemon=True).start()


def _too_deep(body: bytes) -> bool:
    """Whether brackets nest over ``MAX_JSON_DEPTH`` deep, outside strings (a cheap scan, not a parse)."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:  # cannot nest deeper than there are brackets
        return False
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


async def _refuse(scope: Scope, send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message, "request_id": None}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(state: ServerState | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        if not access_log.handlers:  # one JSON line per request on stderr, whatever uvicorn configures
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(message)s"))
            access_log.addHandler(handler)
            access_log.setLevel(logging.INFO)
            access_log.propagate = False
        if getattr(app.state, "govai", None) is None:
            app.state.govai = await anyio.to_thread.run_sync(ServerState.from_environment)
        _warm_gateway(app)
        # Operations: retention every GOVAI_RETENTION_INTERVAL_S (one worker at a time, see
        # server/retention.py); traces flushed at shutdown (server/tracing.py).
        try:
            async with retention.scheduled(app.state.govai) as app.state.retention:
                yield
        finally:
            tracing.shutdown()

    app = FastAPI(
        title="GovAI",
        version="1",
        summary="Grounded, guarded, sovereign AI assistants for UK public services.",
        description="The service API, human review, audit and operations. Authenticate with an API key: "
                    "`Authorization: Bearer gk_...` (`govai keys create`). Errors are always "
                    '`{"error": {"code", "message", "request_id"}}`.',
        lifespan=lifespan,
        openapi_tags=[{"name": tag} for tag in TAGS],
    )
    app.state.govai = state
    errors.install(app)
    # The OpenAI-compatible gateway (routes/openai.py) first: routing tries routes in order, and a
    # gateway request is the one sent most often (no other route shares its paths).
    app.include_router(openai_gateway.router)
    for module in (services, review, admin, audit, health):
        app.include_router(module.router)
    from govai.web import mount as mount_web  # the web pages: citizen chat, review console, admin (docs/web.md)

    mount_web(app)
    mcp.mount(app)  # MCP tools at /mcp (streamable HTTP), same keys, guards and audit

    app.add_middleware(RequestLog)  # type: ignore[arg-type]
    app.add_middleware(InputLimits)  # type: ignore[arg-type]
    app.add_middleware(tracing.TraceRequests)  # type: ignore[arg-type]  # outermost: every request, when configured
    return app
