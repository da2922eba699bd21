"""The staff console: the review queue (reviewer), services, providers, the kill switch, metrics
and feedback (service admin and auditor), and audit search and verification (auditor).

Each action calls the service API's own handler with the signed-in person as the caller
(``staff:<id>``), so the checks, the database writes and the audit records are the API's.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from govai.providers.health import check as provider_check
from govai.server.auth import Principal
from govai.server.catalogue import Service
from govai.server.errors import ApiError
from govai.server.models import ReviewDecisionIn, SwitchIn
from govai.server.routes import admin as admin_api
from govai.server.routes import audit as audit_api
from govai.server.routes import review as review_api
from govai.store import conversations as convo
from govai.web import assurance, charts, present
from govai.web.accounts import Staff
from govai.web.citizen import Page, _show, session_of, web_of
from govai.web.i18n import Translator, language_of
from govai.web.state import in_thread, read_form

router = APIRouter(prefix="/staff", include_in_schema=False)
ADMIN = ("service_admin", "auditor")
PROVIDER_CHECK_S = 30.0
_health: dict[str, tuple[float, dict[str, Any]]] = {}


class SignIn(Exception):
    pass


def _staff(request: Request, *roles: str) -> Staff:
    staff = web_of(request).staff(request)
    request.state.staff = staff
    if staff is None:
        raise SignIn()
    if roles and not staff.has(*roles):
        raise Page("staff/forbidden.html", 403, needed=roles)
    return staff


def _signin(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/staff/sign-in?next={quote(target, safe='')}", status_code=303)


def _as(staff: Staff, role: str) -> Principal:
    return Principal(staff.as_key(role))


def _services(request: Request, staff: Staff) -> list[Service]:
    catalogue = web_of(request).server.catalogue
    return [catalogue.services[n] for n in catalogue.names()
            if catalogue.services[n].tenant == staff.tenant_id and staff.may_use(n)]


def _service(request: Request, staff: Staff, name: str) -> Service:
    for service in _services(request, staff):
        if service.name == name:
            request.state.service = name
            return service
    raise Page("not_found.html", 404)


def guarded(fn):  # type: ignore[no-untyped-def]
    """Sign-in redirects and outcome pages for every console handler."""
    import functools

    @functools.wraps(fn)
    async def wrapper(request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return await fn(request, *args, **kwargs)
        except SignIn:
            return _signin(request)
        except Page as page:
            return _show(request, page)

    return wrapper


# ------------------------------------------------------------------ home


@router.get("")
@guarded
async def home(request: Request) -> Response:
    staff = _staff(request)
    pending = 0
    if staff.has("reviewer"):
        principal = _as(staff, "reviewer")
        pending = len(await in_thread(review_api.queue, request, principal, None, "pending"))
    return web_of(request).render.page(request, "staff/home.html", pending=pending,
                                       services=_services(request, staff))


# ------------------------------------------------------------------ review


@router.get("/review")
@guarded
async def review_queue(request: Request, service: str = "", status: str = "pending") -> Response:
    staff = _staff(request, "reviewer")
    if status not in ("pending", "approved", "edited", "rejected"):
        status = "pending"
    if service:
        _service(request, staff, service)
    items = await in_thread(review_api.queue, request, _as(staff, "reviewer"), service or None, status)
    return web_of(request).render.page(request, "staff/review_queue.html", items=items, queue_status=status,
                                       service=service, services=_services(request, staff))


async def _review_item(request: Request, staff: Staff, queue_id: int) -> tuple[dict[str, Any], Service, list[Any]]:
    try:
        item = await in_thread(review_api.get_item, request, queue_id, _as(staff, "reviewer"))
    except ApiError:
        raise Page("not_found.html", 404) from None
    service = _service(request, staff, item["service"])
    state = web_of(request).server

    def payload() -> dict[str, Any] | None:
        with state.db.tenant(staff.tenant_id) as conn:
            return present.audit_payload(conn, item["request_id"])

    guards = present.guard_verdicts(await in_thread(payload))
    return item, service, guards


@router.get("/review/{queue_id}")
@guarded
async def review_item(request: Request, queue_id: int) -> Response:
    staff = _staff(request, "reviewer")
    item, service, guards = await _review_item(request, staff, queue_id)
    return web_of(request).render.page(request, "staff/review_item.html", item=item, service=service,
                                       guards=guards, errors={}, form={})


@router.post("/review/{queue_id}")
@guarded
async def review_decide(request: Request, queue_id: int) -> Response:
    staff = _staff(request, "reviewer")
    form = await read_form(request)
    item, service, guards = await _review_item(request, staff, queue_id)
    decision = form.get("decision", "")
    answer = form.get("answer", "").strip()
    reason = form.get("reason", "").strip()
    errors: dict[str, str] = {}
    if decision not in ("approve", "edit", "reject"):
        errors["decision"] = "error.decision_empty"
    if decision == "edit" and not answer:
        errors["answer"] = "error.answer_empty"
    if decision in ("edit", "reject") and not reason:
        errors["reason"] = "error.reason_empty"
    if len(answer) > 8000:
        errors["answer"] = "error.answer_long"
    if len(reason) > 2000:
        errors["reason"] = "error.reason_long"
    if errors:
        return web_of(request).render.page(request, "staff/review_item.html", status=400, item=item,
                                           service=service, guards=guards, errors=errors, form=form)
    body = ReviewDecisionIn(decision=decision, answer=answer if decision == "edit" else None,  # type: ignore[arg-type]
                            reason=reason)
    try:
        await in_thread(review_api.decide, request, queue_id, body, _as(staff, "reviewer"))
    except ApiError as exc:
        if exc.status == 409:
            session_of(request).flash("flash.already_decided", id=queue_id)
            return RedirectResponse("/staff/review", status_code=303)
        raise
    session_of(request).flash(f"flash.decided_{decision}", id=queue_id)
    return RedirectResponse("/staff/review", status_code=303)


# ------------------------------------------------------------------ admin: services, providers, switch


def _switch(request: Request, staff: Staff, service: Service) -> dict[str, Any]:
    role = "service_admin" if staff.has("service_admin") else None
    if role:
        return admin_api.get_switch(request, service.name, _as(staff, role)).model_dump()
    with web_of(request).server.db.tenant(staff.tenant_id) as conn:
        current = convo.switch(conn, service.name)
    if current is None:
        return {"enabled": not service.profile.switched_off, "reason": "", "changed_by": None}
    return {"enabled": current.enabled, "reason": current.reason, "changed_by": current.changed_by}


@router.get("/admin")
@guarded
async def admin_home(request: Request) -> Response:
    staff = _staff(request, *ADMIN)
    rows = []
    for service in _services(request, staff):
        switch = await in_thread(_switch, request, staff, service)
        rows.append({"service": service, "switch": switch})
    return web_of(request).render.page(request, "staff/admin.html", rows=rows)


def _health_of(spec: Any) -> dict[str, Any]:
    seen = _health.get(spec.name)
    if seen is None or time.monotonic() - seen[0] > PROVIDER_CHECK_S:
        seen = (time.monotonic(), provider_check(spec))
        _health[spec.name] = seen
    return seen[1]


def _providers(service: Service) -> list[dict[str, Any]]:
    catalogue = service.runtime.services.catalogue
    names = list(service.profile.providers)
    if service.profile.routing.fallback_to_extractive and "extractive" not in names and "extractive" in catalogue:
        names.append("extractive")
    out = []
    for name in names:
        spec = catalogue.get(name)
        out.append({"spec": spec, "health": _health_of(spec)})
    return out


@router.get("/admin/services/{name}")
@guarded
async def admin_service(request: Request, name: str) -> Response:
    staff = _staff(request, *ADMIN)
    service = _service(request, staff, name)
    return await _service_page(request, staff, service)


async def _service_page(request: Request, staff: Staff, service: Service, *, status: int = 200,
                        errors: dict[str, str] | None = None, form: dict[str, str] | None = None) -> Response:
    switch = await in_thread(_switch, request, staff, service)
    providers = await in_thread(_providers, service)
    evaluations = await in_thread(assurance.evaluations, web_of(request).server.db, service)
    profile_yaml = yaml.safe_dump(service.profile.model_dump(mode="json", exclude_defaults=True), sort_keys=False,
                                  allow_unicode=True)
    return web_of(request).render.page(request, "staff/admin_service.html", status=status, service=service,
                                       switch=switch, providers=providers, profile_yaml=profile_yaml,
                                       evaluations=evaluations, errors=errors or {}, form=form or {},
                                       pd_mode=present.service_mode(service))


@router.get("/admin/services/{name}/evaluations/{run_id}")
@guarded
async def admin_evaluation(request: Request, name: str, run_id: str) -> Response:
    """An evaluation run's assurance report, as ``govai eval report`` writes it."""
    staff = _staff(request, *ADMIN)
    service = _service(request, staff, name)
    html = await in_thread(assurance.report_html, web_of(request).server.db, service, run_id[:100])
    if html is None:
        raise Page("not_found.html", 404)
    return HTMLResponse(html, headers={"content-security-policy": assurance.DOCUMENT_CSP})


@router.get("/admin/services/{name}/transparency")
@guarded
async def admin_transparency(request: Request, name: str) -> Response:
    """The service's Algorithmic Transparency Record, as ``govai atrs --format html`` writes it."""
    staff = _staff(request, *ADMIN)
    service = _service(request, staff, name)
    html = await in_thread(assurance.transparency_html, web_of(request).server.db, service)
    return HTMLResponse(html, headers={"content-security-policy": assurance.DOCUMENT_CSP})


@router.post("/admin/services/{name}/switch")
@guarded
async def admin_switch(request: Request, name: str) -> Response:
    staff = _staff(request, "service_admin")
    service = _service(request, staff, name)
    form = await read_form(request)
    errors: dict[str, str] = {}
    enabled = form.get("enabled")
    reason = form.get("reason", "").strip()
    if enabled not in ("on", "off"):
        errors["enabled"] = "error.switch_empty"
    if not reason:
        errors["reason"] = "error.switch_reason_empty"
    elif len(reason) > 500:
        errors["reason"] = "error.switch_reason_long"
    if errors:
        return await _service_page(request, staff, service, status=400, errors=errors, form=form)
    await in_thread(admin_api.set_switch, request, service.name, SwitchIn(enabled=enabled == "on", reason=reason),
                    _as(staff, "service_admin"))
    session_of(request).flash("flash.switched_on" if enabled == "on" else "flash.switched_off")
    return RedirectResponse(f"/staff/admin/services/{service.name}", status_code=303)


@router.get("/admin/providers")
@guarded
async def admin_providers(request: Request) -> Response:
    staff = _staff(request, *ADMIN)
    seen: dict[str, dict[str, Any]] = {}
    for service in _services(request, staff):
        for row in await in_thread(_providers, service):
            entry = seen.setdefault(row["spec"].name, {**row, "services": []})
            entry["services"].append(service.name)
    return web_of(request).render.page(request, "staff/admin_providers.html", providers=list(seen.values()))


# ------------------------------------------------------------------ admin: metrics and feedback


@router.get("/admin/metrics")
@guarded
async def admin_metrics(request: Request, service: str = "", days: int = 14) -> Response:
    staff = _staff(request, *ADMIN)
    days = max(1, min(days, 90))
    names = [s.name for s in _services(request, staff)]
    if service:
        _service(request, staff, service)
        names = [service]
    since = datetime.now(UTC) - timedelta(days=days - 1)
    since = since.replace(hour=0, minute=0, second=0, microsecond=0)
    state = web_of(request).server

    def load() -> list[tuple[str, datetime, str, str]]:
        with state.db.tenant(staff.tenant_id) as conn:
            return conn.execute(
                "SELECT service, at, outcome, payload FROM audit_log WHERE kind = 'request' AND service = ANY(%s)"
                " AND at >= %s ORDER BY at LIMIT 50000", (names, since)).fetchall()

    rows = await in_thread(load) if names else []
    summary = charts.summarise(rows, since.date(), days)
    t = Translator(language_of(request))
    figures = {
        "outcomes": charts.stacked_days(summary, t),
        "latency": charts.latency_days(summary, t),
        "sources": charts.bars(summary.top_sources, t("metrics.top_sources"), t),
        "guards": charts.bars(summary.guard_verdicts, t("metrics.guard_verdicts"), t),
    }
    return web_of(request).render.page(request, "staff/metrics.html", summary=summary, figures=figures,
                                       service=service, days=days, services=_services(request, staff))


@router.get("/admin/feedback")
@guarded
async def admin_feedback(request: Request, service: str = "", useful: str = "") -> Response:
    staff = _staff(request, *ADMIN)
    names = [s.name for s in _services(request, staff)]
    if service:
        _service(request, staff, service)
        names = [service]
    state = web_of(request).server

    def load() -> list[dict[str, Any]]:
        sql = ("SELECT f.created_at, f.useful, f.comment, c.service, m.question, m.answer, m.outcome, m.request_id"
               " FROM feedback f JOIN message m ON m.request_id = f.request_id"
               " JOIN conversation c ON c.id = m.conversation_id WHERE c.service = ANY(%s)")
        params: list[Any] = [names]
        if useful in ("yes", "no"):
            sql += " AND f.useful = %s"
            params.append(useful == "yes")
        with state.db.tenant(staff.tenant_id) as conn:
            rows = conn.execute(sql + " ORDER BY f.created_at DESC LIMIT 200", params).fetchall()
        return [{"at": r[0], "useful": r[1], "comment": r[2], "service": r[3], "question": r[4], "answer": r[5],
                 "outcome": r[6], "request_id": r[7]} for r in rows]

    items = await in_thread(load) if names else []
    return web_of(request).render.page(request, "staff/feedback.html", items=items, service=service,
                                       useful=useful, services=_services(request, staff))


@router.get("/admin/flagged")
@guarded
async def admin_flagged(request: Request, service: str = "") -> Response:
    """Passages of the services' knowledge bases that the source screen flagged as injected at ingest,
    with what the current screen says of each now: what answers are not drawing on, for review."""
    staff = _staff(request, *ADMIN)
    chosen = [_service(request, staff, service)] if service else _services(request, staff)

    def load() -> list[dict[str, Any]]:
        from govai.guards.source import flagged_passages

        kbs = {svc.profile.kb: svc.runtime.knowledge for svc in chosen}  # services sharing one list it once
        return [p.as_dict() for name, store in kbs.items() if store.get(name) for p in flagged_passages(store, name)]

    items = await in_thread(load)
    return web_of(request).render.page(request, "staff/flagged.html", items=items, service=service,
                                       services=_services(request, staff))


# ------------------------------------------------------------------ audit


def _when(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@router.get("/audit")
@guarded
async def audit_search(request: Request, service: str = "", since: str = "", until: str = "", request_id: str = "",
                       outcome: str = "", limit: int = 50) -> Response:
    staff = _staff(request, "auditor")
    limit = max(1, min(limit, 500))
    errors: dict[str, str] = {}
    start, end = _when(since), _when(until)
    if since and start is None:
        errors["since"] = "error.date_invalid"
    if until and end is None:
        errors["until"] = "error.date_invalid"
    if service:
        _service(request, staff, service)
    records: list[dict[str, Any]] = []
    if not errors:
        wanted = limit if not (request_id or outcome) else audit_api.MAX_RECORDS
        found = await in_thread(audit_api.records, request, _as(staff, "auditor"), service or None, start, end,
                                wanted)
        for r in found:
            record = r["record"]
            if request_id and request_id not in (record.get("request_id"), record.get("conversation_id")):
                continue
            if outcome and not str(record.get("outcome", "")).startswith(outcome):
                continue
            records.append({**r, "pretty": json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True)})
        records = records[:limit]
    return web_of(request).render.page(request, "staff/audit.html", status=400 if errors else 200, records=records,
                                       errors=errors, form={"service": service, "since": since, "until": until,
                                                            "request_id": request_id, "outcome": outcome,
                                                            "limit": limit},
                                       services=_services(request, staff))


@router.get("/audit/verify")
@guarded
async def audit_verify(request: Request, service: str = "") -> Response:
    staff = _staff(request, "auditor")
    if service:
        _service(request, staff, service)
    result = await in_thread(audit_api.verify, request, _as(staff, "auditor"), service or None)
    return web_of(request).render.page(request, "staff/audit_verify.html", result=result, service=service,
                                       services=_services(request, staff))
