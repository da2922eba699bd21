"""Citizen chat: ask a service a question, follow up, give feedback, ask for a person to check
an answer. Every page works with JavaScript off (a form posts, the server answers and
redirects to the conversation); with JavaScript on, the same form streams the answer as
Server-Sent Events (the service API's own event stream, then the rendered message)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sse_starlette.sse import EventSourceResponse

from govai.server.catalogue import Service
from govai.server.errors import ApiError
from govai.server.models import ContestIn, FeedbackIn
from govai.server.routes import services as services_api
from govai.server.state import _question_limit, message_out
from govai.store import conversations as convo
from govai.web import present
from govai.web.i18n import LANGUAGES
from govai.web.sessions import Session, language_cookie
from govai.web.state import WebState, in_thread, read_form

router = APIRouter(include_in_schema=False)
_ID = re.compile(r"^[0-9a-f]{32}$")
RECENT = 10  # conversations a browser remembers for its start page


def web_of(request: Request) -> WebState:
    return request.app.state.web  # type: ignore[no-any-return]


def session_of(request: Request) -> Session:
    return request.scope["session"]  # type: ignore[no-any-return]


class Page(Exception):
    """Stop and show this page (an error or a clear outcome page)."""

    def __init__(self, template: str, status: int, **values: Any) -> None:
        super().__init__(template)
        self.template, self.status, self.values = template, status, values


def _service(request: Request, name: str) -> Service:
    web = web_of(request)
    service = web.server.catalogue.get(name)
    staff = web.staff(request)
    request.state.staff = staff
    if service is None or not web.public(service, staff):
        raise Page("not_found.html", 404)
    request.state.service = service.name
    return service


def _principal(request: Request, service: Service):  # type: ignore[no-untyped-def]
    principal = web_of(request).citizen(service.tenant)
    if principal is None:
        raise Page("unavailable.html", 503, service=service)
    return principal


def _limit(service: Service) -> int:
    return _question_limit(service) or 2000


@router.get("/")
async def index(request: Request) -> Response:
    web = web_of(request)
    request.state.staff = staff = web.staff(request)
    services = []
    for name in web.server.catalogue.names():
        service = web.server.catalogue.services[name]
        if web.public(service, staff):
            services.append({"name": name, "title": service.profile.title,
                             "description": service.profile.description,
                             "available": await in_thread(web.server.available, service)})
    return web.render.page(request, "index.html", services=services)


@router.get("/services/{name}")
async def start(request: Request, name: str) -> Response:
    try:
        service = _service(request, name)
        _principal(request, service)
        return await _start_page(request, service)
    except Page as page:
        return _show(request, page)


async def _start_page(request: Request, service: Service, *, status: int = 200, errors: dict[str, str] | None = None,
                      question: str = "") -> Response:
    web = web_of(request)
    if not await in_thread(web.server.available, service):
        raise Page("unavailable.html", 503, service=service, switched_off=True)
    recent = [c for c in session_of(request).get("conversations", []) if c.get("service") == service.name]
    return web.render.page(request, "start.html", status=status, service=service, errors=errors or {},
                           question=question, limit=_limit(service), recent=recent,
                           pd_mode=present.service_mode(service))


@router.get("/services/{name}/conversations/{cid}")
async def conversation(request: Request, name: str, cid: str) -> Response:
    try:
        service = _service(request, name)
        return await _conversation_page(request, service, cid)
    except Page as page:
        return _show(request, page)


async def _load(request: Request, service: Service, cid: str) -> list[dict[str, Any]]:
    """The conversation's messages as the page shows them (the citizen's details put back)."""
    if not _ID.match(cid):
        raise Page("not_found.html", 404)
    state = web_of(request).server

    def load() -> list[dict[str, Any]] | None:
        with state.db.tenant(service.tenant) as conn:
            found = convo.get(conn, cid, service.name)
            if found is None:
                return None
            payloads = {m.request_id: present.audit_payload(conn, m.request_id) for m in found.messages}
            # An answer held for review was stored without its sources; the queue kept them.
            reviewed = {m.request_id: present.reviewed_citations(conn, m.request_id) for m in found.messages
                        if m.status in ("approved", "edited") and not m.record.get("citations")}
        out = []
        for m in found.messages:
            shown = message_out(state, service, cid, m)
            key = present.canned_key(service, shown["answer"]) if m.status not in ("approved", "edited") else None
            if m.status == "rejected":
                key = "review_rejected"
            shown.update(key=key, kind=present.kind_of(key), route=m.record.get("route") or {},
                         flags=m.record.get("flags") or [],
                         default_reply=key is not None and not service.profile.canned.get(key))
            if reviewed.get(m.request_id):
                shown["citations"] = reviewed[m.request_id]
            shown["pd"] = present.personal_data_note(service, shown, payloads.get(m.request_id), key)
            out.append(shown)
        return out

    messages = await in_thread(load)
    if messages is None:
        raise Page("not_found.html", 404)
    return messages


async def _conversation_page(request: Request, service: Service, cid: str, *, status: int = 200,
                             errors: dict[str, str] | None = None, question: str = "") -> Response:
    web = web_of(request)
    _principal(request, service)
    messages = await _load(request, service, cid)
    available = await in_thread(web.server.available, service)
    given = set(session_of(request).get("feedback", []))
    return web.render.page(request, "conversation.html", status=status, service=service, cid=cid,
                           messages=messages, errors=errors or {}, question=question, limit=_limit(service),
                           available=available, full=len(messages) >= convo.MAX_TURNS, feedback_given=given,
                           pd_mode=present.service_mode(service))


@router.post("/services/{name}/ask")
async def ask_new(request: Request, name: str) -> Response:
    return await _ask(request, name, None)


@router.post("/services/{name}/conversations/{cid}/ask")
async def ask_follow_up(request: Request, name: str, cid: str) -> Response:
    return await _ask(request, name, cid)


def _streaming(request: Request) -> bool:
    return "text/event-stream" in request.headers.get("accept", "")


async def _ask(request: Request, name: str, cid: str | None) -> Response:
    web = web_of(request)
    try:
        service = _service(request, name)
        principal = _principal(request, service)
        if cid is not None and not _ID.match(cid):
            raise Page("not_found.html", 404)
        form = await read_form(request)
        question = form.get("question", "").strip()
        error = None
        if not question:
            error = "error.question_empty"
        elif len(question) > _limit(service):
            error = "error.question_long"
        if error:
            if cid is None:
                return await _start_page(request, service, status=400, errors={"question": error}, question=question)
            return await _conversation_page(request, service, cid, status=400, errors={"question": error},
                                            question=question)
        session = session_of(request)
        state = web.server
        end_user = state.end_user(session.citizen_id())
        try:
            asked = await in_thread(state.ask, principal, service, question, conversation_id=cid, end_user=end_user)
        except ApiError as exc:
            raise _api_page(exc, service, cid) from None
        request.state.outcome = asked.out.outcome
        conversation_id = asked.out.conversation_id
        _remember(session, service, conversation_id, question if cid is None else None)
        url = f"/services/{service.name}/conversations/{conversation_id}"
        if _streaming(request):
            return EventSourceResponse(_stream(request, service, asked.out, url), ping=15)
        return RedirectResponse(f"{url}#m-{asked.out.request_id}", status_code=303)
    except Page as page:
        return _show(request, page)


def _remember(session: Session, service: Service, cid: str, first_question: str | None) -> None:
    recent = [c for c in session.get("conversations", []) if c.get("id") != cid]
    if first_question is None:
        existing = next((c for c in session.get("conversations", []) if c.get("id") == cid), None)
        title = existing["title"] if existing else ""
    else:
        title = first_question[:80]
    session["conversations"] = [{"service": service.name, "id": cid, "title": title}, *recent][:RECENT]


async def _stream(request: Request, service: Service, out: Any, url: str) -> AsyncIterator[dict[str, str]]:
    """The API's own events (start, a delta per checked sentence, done), then the message as the
    page shows it, so the script puts server-rendered HTML in place (sources, feedback, notices)."""
    async for event in services_api._events(out):
        yield event
    messages = await _load(request, service, out.conversation_id)
    message = next(m for m in messages if m["request_id"] == out.request_id)
    web = web_of(request)
    html = web.render.fragment(request, "_message.html", service=service, cid=out.conversation_id, m=message,
                               csrf_token=session_of(request).csrf_token(), feedback_given=set(),
                               last=True)
    yield {"event": "html", "data": json.dumps({"html": html, "url": url, "request_id": out.request_id})}


def _api_page(exc: ApiError, service: Service, cid: str | None) -> Page:
    if exc.status == 429:
        retry = exc.headers.get("Retry-After", "60")
        return Page("rate_limited.html", 429, service=service, retry=int(retry) if retry.isdigit() else 60,
                    cid=cid, headers={"Retry-After": retry})
    if exc.status == 404:
        return Page("not_found.html", 404)
    if exc.status == 409:
        return Page("conversation_full.html", 409, service=service)
    if exc.status == 403:
        return Page("unavailable.html", 503, service=service)
    if exc.status == 422:
        return Page("unavailable.html", 422, service=service)
    return Page("error.html", 500)


def _show(request: Request, page: Page) -> Response:
    web = web_of(request)
    headers = page.values.pop("headers", None)
    response = web.render.page(request, page.template, status=page.status, **page.values)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


async def _message(request: Request, service: Service, cid: str, rid: str) -> None:
    """404 unless this answer belongs to this conversation of this service."""
    if not (_ID.match(cid) and _ID.match(rid)):
        raise Page("not_found.html", 404)
    state = web_of(request).server

    def find() -> Any:
        with state.db.tenant(service.tenant) as conn:
            return convo.message(conn, rid)

    found = await in_thread(find)
    if found is None or found[0] != cid or found[1] != service.name:
        raise Page("not_found.html", 404)


@router.post("/services/{name}/conversations/{cid}/messages/{rid}/feedback")
async def feedback(request: Request, name: str, cid: str, rid: str) -> Response:
    try:
        service = _service(request, name)
        principal = _principal(request, service)
        await _message(request, service, cid, rid)
        form = await read_form(request)
        useful = form.get("useful")
        if useful not in ("yes", "no"):
            raise Page("not_found.html", 404)
        comment = form.get("comment", "").strip()[:2000]
        await in_thread(services_api.feedback, request, service.name, rid,
                        FeedbackIn(useful=useful == "yes", comment=comment), principal)
        session = session_of(request)
        session["feedback"] = [*session.get("feedback", []), rid][-50:]
        session.flash("flash.feedback_thanks")
        return RedirectResponse(f"/services/{service.name}/conversations/{cid}#m-{rid}", status_code=303)
    except Page as page:
        return _show(request, page)


@router.get("/services/{name}/conversations/{cid}/messages/{rid}/contest")
async def contest_form(request: Request, name: str, cid: str, rid: str) -> Response:
    try:
        service = _service(request, name)
        _principal(request, service)
        await _message(request, service, cid, rid)
        return web_of(request).render.page(request, "contest.html", service=service, cid=cid, rid=rid, errors={})
    except Page as page:
        return _show(request, page)


@router.post("/services/{name}/conversations/{cid}/messages/{rid}/contest")
async def contest(request: Request, name: str, cid: str, rid: str) -> Response:
    try:
        service = _service(request, name)
        principal = _principal(request, service)
        await _message(request, service, cid, rid)
        form = await read_form(request)
        reason = form.get("reason", "").strip()
        if len(reason) > 2000:
            return web_of(request).render.page(request, "contest.html", status=400, service=service, cid=cid,
                                               rid=rid, reason=reason, errors={"reason": "error.reason_long"})
        session = session_of(request)
        try:
            await in_thread(services_api.contest, request, service.name, rid, ContestIn(reason=reason), principal)
            session.flash("flash.contested")
        except ApiError as exc:
            if exc.status != 409:
                raise _api_page(exc, service, cid) from None
            session.flash("flash.already_contested")
        return RedirectResponse(f"/services/{service.name}/conversations/{cid}#m-{rid}", status_code=303)
    except Page as page:
        return _show(request, page)


@router.get("/services/{name}/privacy")
async def privacy(request: Request, name: str) -> Response:
    try:
        service = _service(request, name)
        return web_of(request).render.page(request, "privacy.html", service=service,
                                           pd_mode=present.service_mode(service))
    except Page as page:
        return _show(request, page)


@router.get("/privacy")
async def privacy_general(request: Request) -> Response:
    request.state.staff = web_of(request).staff(request)
    return web_of(request).render.page(request, "privacy.html", service=None, pd_mode=None)


@router.get("/accessibility")
async def accessibility(request: Request) -> Response:
    request.state.staff = web_of(request).staff(request)
    return web_of(request).render.page(request, "accessibility.html")


@router.get("/cookies")
async def cookies(request: Request) -> Response:
    request.state.staff = web_of(request).staff(request)
    return web_of(request).render.page(request, "cookies.html")


@router.get("/language/{lang}")
async def language(request: Request, lang: str, next: str = "/") -> Response:
    """Choose English or Welsh; remembered in a cookie for a year."""
    if lang not in LANGUAGES:
        lang = "en"
    target = next if next.startswith("/") and not next.startswith("//") and "\\" not in next else "/"
    response = RedirectResponse(target, status_code=303)
    response.headers.append("set-cookie", language_cookie(lang))
    session = request.scope.get("session")
    if session is not None and session.token:
        session["lang"] = lang
    return response
