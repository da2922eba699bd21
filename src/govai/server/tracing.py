"""OpenTelemetry traces, when configured: one span per HTTP request, and under it one span for
the pipeline with a child span per step.

Configured from the environment the first time a request is traced:

- ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``): spans go to that
  OTLP collector over HTTP (``pip install 'govai[otel]'``; the other ``OTEL_EXPORTER_OTLP_*``
  settings, headers and timeouts for instance, apply as usual);
- ``GOVAI_TRACES=console``: spans are printed to stdout, one JSON object each (for development);
- neither, ``GOVAI_TRACES=off`` or ``OTEL_SDK_DISABLED=true``: no tracing, and no cost.

``OTEL_SERVICE_NAME`` names the service (default ``govai``). An incoming W3C ``traceparent``
header continues the caller's trace.

Spans carry names, timings and identifiers only, never text: the HTTP span has the method, the
route template (``/v1/services/{service}/conversations``, not the path with its ids), the status,
the request id, the service, the tenant and the outcome; a step span has the step's name and
time. Never the question, the answer, a header's value or the URL's query.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.trace import Tracer

    from govai.pipeline.context import Context

log = logging.getLogger("govai.server.tracing")

_lock = threading.Lock()
_configured = False
_provider: TracerProvider | None = None
_tracer: Tracer | None = None
_owned = False  # the provider was made here (so it is shut down here)


def configure(provider: TracerProvider | None = None) -> Tracer | None:
    """Trace to ``provider`` (tests pass one with an in-memory exporter), or, with none, as the
    environment says. Returns the tracer, or None when tracing is off."""
    global _configured, _provider, _tracer, _owned
    with _lock:
        _shutdown_locked()
        if provider is not None:
            _provider, _owned = provider, False
        else:
            _provider, _owned = _from_environment(), True
        _tracer = _provider.get_tracer("govai.server") if _provider is not None else None
        _configured = True
        return _tracer


def tracer() -> Tracer | None:
    """The tracer, or None when tracing is off (configured from the environment on first use)."""
    if not _configured:
        return configure()
    return _tracer


def shutdown() -> None:
    """Send what is still queued and stop (the app's shutdown); the next use configures again."""
    global _configured
    with _lock:
        _shutdown_locked()
        _configured = False


def _shutdown_locked() -> None:
    global _provider, _tracer, _owned
    if _provider is not None and _owned:
        try:
            _provider.shutdown()
        except Exception as exc:  # a collector that is down must not stop the server stopping
            log.warning("tracing: shutting down the exporter failed: %s", type(exc).__name__)
    _provider, _tracer, _owned = None, None, False


def _from_environment() -> TracerProvider | None:
    choice = os.environ.get("GOVAI_TRACES", "").strip().lower()
    endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    if choice in ("off", "none", "0", "false") or os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return None
    if choice not in ("", "console", "otlp"):
        log.warning("tracing: GOVAI_TRACES=%r is not console, otlp or off; tracing is off", choice)
        return None
    if not choice and not endpoint:
        return None
    try:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
    except ImportError:
        log.warning("tracing is configured but the OpenTelemetry SDK is not installed: pip install 'govai[otel]'")
        return None
    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME") or "govai"})
    provider = TracerProvider(resource=resource)
    if choice == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(out=sys.stdout)))  # stdout now
        log.info("tracing: spans go to stdout")
        return provider
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    except ImportError:
        log.warning("tracing: OTEL_EXPORTER_OTLP_ENDPOINT is set but the OTLP exporter is not installed "
                    "(pip install 'govai[otel]'); tracing is off")
        return None
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    log.info("tracing: spans go to the OTLP collector")
    return provider


class TraceRequests:
    """ASGI middleware: one server span per HTTP request (outermost, so refusals are traced too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        traced = tracer() if scope["type"] == "http" else None
        if traced is None:
            await self.app(scope, receive, send)
            return
        from opentelemetry import propagate
        from opentelemetry.trace import SpanKind, Status, StatusCode

        method = scope["method"]
        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]
                   if k in (b"traceparent", b"tracestate")}
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        with traced.start_as_current_span(method, context=propagate.extract(carrier), kind=SpanKind.SERVER,
                                          record_exception=False, set_status_on_exception=False) as span:
            span.set_attribute("http.request.method", method)
            try:
                await self.app(scope, receive, sending)
            except BaseException as exc:
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))  # the kind only: a message may quote text
                raise
            finally:
                route = getattr(scope.get("route"), "path", None)
                if route:
                    span.update_name(f"{method} {route}")
                    span.set_attribute("http.route", route)
                if status:
                    span.set_attribute("http.response.status_code", status)
                    if status >= 500:
                        span.set_status(Status(StatusCode.ERROR))
                found = scope.get("state") or {}
                for name in ("request_id", "service", "tenant", "outcome"):
                    value = found.get(name)
                    if isinstance(value, str):
                        span.set_attribute(f"govai.{name}", value)


def pipeline(ctx: Context, started_ns: int) -> None:
    """A span for one run of the pipeline (from ``started_ns``, ``time.time_ns()``) under the
    current span, with a child per step in the order they ran, each as long as the step took."""
    traced = tracer()
    if traced is None:
        return
    from opentelemetry import trace

    ended_ns = time.time_ns()
    attributes: dict[str, Any] = {"govai.service": ctx.service or "", "govai.outcome": str(ctx.outcome),
                                  "govai.request_id": ctx.request_id, "govai.steps": len(ctx.records)}
    span = traced.start_span("govai.pipeline", start_time=started_ns, attributes=attributes)
    parent = trace.set_span_in_context(span)
    at = started_ns
    for record in ctx.records:
        took = max(int(record.ms * 1_000_000), 0)
        step = traced.start_span(f"govai.step.{record.step}", context=parent, start_time=at,
                                 attributes={"govai.step": record.step, "govai.step.ms": round(record.ms, 3)})
        step.end(end_time=at + took)
        at += took
    span.end(end_time=max(ended_ns, at))
