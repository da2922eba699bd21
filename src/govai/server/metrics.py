"""Prometheus metrics. With several workers, ``PROMETHEUS_MULTIPROC_DIR`` (set by
``govai serve``) lets /metrics add up every worker's counts."""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import multiprocess

REQUESTS = Counter("govai_requests_total", "Answers by service and outcome", ["service", "outcome"])
HTTP = Counter("govai_http_requests_total", "HTTP requests by route and status", ["route", "status"])
GUARD = Counter("govai_guard_verdicts_total", "Guard verdicts by step and verdict", ["step", "verdict"])
STEP_SECONDS = Histogram("govai_step_seconds", "Time per pipeline step", ["step"],
                         buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
LATENCY = Histogram("govai_request_seconds", "Time to answer, per service", ["service"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
TOKENS = Counter("govai_provider_tokens_total", "Provider tokens", ["provider", "kind"])
COST = Counter("govai_provider_cost_gbp_total", "Provider cost in GBP", ["provider"])


def observe(ctx) -> None:  # type: ignore[no-untyped-def]
    """Count one answered request from its context (names and numbers only, never text)."""
    REQUESTS.labels(ctx.service, str(ctx.outcome)).inc()
    LATENCY.labels(ctx.service).observe(ctx.latency_ms / 1000)
    for record in ctx.records:
        STEP_SECONDS.labels(record.step).observe(record.ms / 1000)
        verdict = record.detail.get("verdict")
        if isinstance(verdict, str) and record.step in ("screen_input", "check_output"):
            GUARD.labels(record.step, verdict).inc()
        if record.step == "screen_sources" and record.detail.get("dropped"):
            GUARD.labels(record.step, "dropped").inc(len(record.detail["dropped"]))
    if ctx.usage.provider:
        TOKENS.labels(ctx.usage.provider, "prompt").inc(ctx.usage.prompt_tokens)
        TOKENS.labels(ctx.usage.provider, "completion").inc(ctx.usage.completion_tokens)
        COST.labels(ctx.usage.provider).inc(ctx.usage.cost_gbp)


def exposition() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
