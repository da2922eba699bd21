"""Operations: liveness, readiness (database, Redis, providers) and Prometheus metrics."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from govai.providers.health import check
from govai.server import metrics

router = APIRouter(tags=["operations"])
PROVIDER_CHECK_S = 30.0  # a readiness probe every few seconds must not call every model each time
_checked: dict[str, tuple[float, bool]] = {}


@router.get("/healthz", summary="The process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The database, Redis (when configured) and each service's providers answer")
def readyz(request: Request) -> Response:
    state = request.app.state.govai
    checks: dict[str, Any] = {}
    try:
        state.db.conn.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # a readiness probe reports, it does not fail
        checks["database"] = f"failed: {type(exc).__name__}"
    if state.limits.shared:
        try:
            checks["redis"] = "ok" if state.limits.healthy() else "failed"
        except Exception as exc:
            checks["redis"] = f"failed: {type(exc).__name__}"
    providers: dict[str, str] = {}
    for name in state.catalogue.names():
        service = state.catalogue.services[name]
        catalogue = service.runtime.services.catalogue
        for provider in service.profile.providers:
            if provider not in providers:
                seen = _checked.get(provider)
                if seen is None or time.monotonic() - seen[0] > PROVIDER_CHECK_S:
                    seen = (time.monotonic(), bool(check(catalogue.get(provider))["ok"]))
                    _checked[provider] = seen
                providers[provider] = "ok" if seen[1] else "failed"
    checks["providers"] = providers
    checks["warm_up"] = "done" if state.warmed.is_set() else "running"
    # Ready when the store and limits work, the models are loaded, and every service has a provider
    # that answers (the offline composer always does, so a dead cloud model degrades, it does not stop).
    ready = checks["database"] == "ok" and checks.get("redis", "ok") == "ok" and state.warmed.is_set()
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
def prometheus() -> Response:
    body, content_type = metrics.exposition()
    return Response(body, media_type=content_type)
