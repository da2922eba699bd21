"""The MCP server: a service's guidance search and answers as tools an agent can call.

Mounted in the GovAI app at ``/mcp`` (``mount(app)``), over the streamable HTTP transport of the
``mcp`` package, stateless (every POST stands alone, so any worker or node can take it) and with
JSON responses. Every request carries a GovAI API key (``Authorization: Bearer gk_...``) with the
``citizen_app`` role; any other request is refused, 401 or 403, in GovAI's error format, before
the MCP layer sees it. Tools:

- ``list_services()``: the services this key may use (another tenant's are not there);
- ``search_guidance(service, query, k)``: retrieval only, through the service's own steps up to and
  including retrieval and the source guard (normalise, security marking, pseudonymise, the input
  guard, scope, routing), then review and audit; passages with titles and links;
- ``answer_question(service, question, conversation_id?)``: ``ServerState.ask``, the one way a
  question is answered: the same guards, limits, review and audit as the HTTP API.

Every call is audited: an answer or a search as a request record in the service's chain (a search
carries the flag ``search_only``), a listing as an action in the platform chain ``govai:mcp``.
The optional ``GovAI-End-User-Id`` header rate-limits each citizen, as on the HTTP API.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import anyio.to_thread
from fastapi import FastAPI
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field
from starlette.types import Receive, Scope, Send

from govai.domain import Outcome, PersonalData
from govai.pipeline.context import Context as PipelineContext
from govai.pipeline.runner import Pipeline
from govai.pipeline.step import Step
from govai.policy.audit import append
from govai.server.auth import Principal
from govai.server.catalogue import Service
from govai.server.errors import ApiError
from govai.server.models import MAX_QUESTION_CHARS, AnswerOut, ServiceOut
from govai.server.state import ServerState

log = logging.getLogger("govai.server.mcp")

PATH = "/mcp"
ROLE = "citizen_app"
AUDIT_CHAIN = "govai:mcp"  # the platform's chain for calls that touch no one service (list_services)
SEARCH_FLAG = "search_only"
MAX_K = 10
# Steps a search runs after ``retrieve``: filters of what was retrieved, never composition.
AFTER_RETRIEVAL = frozenset({"screen_sources"})

INSTRUCTIONS = (
    "GovAI answers from official UK government guidance, with citations. Call list_services to see the "
    "services you may use, answer_question for a checked, cited answer (pass conversation_id back for a "
    "follow-up), or search_guidance for the guidance passages themselves. Quote links as given; an answer "
    "whose outcome is not 'answered' is the service's own reply (a refusal, a signpost or a hold for review) "
    "and should be passed on, not worked around."
)


# ---------------------------------------------------------------------------- shapes


class ServicesOut(BaseModel):
    services: list[ServiceOut]


class PassageOut(BaseModel):
    rank: int
    id: str = Field(description="The source id: a GOV.UK path or legislation section URL, with #anchor.")
    title: str
    headings: list[str]
    url: str
    text: str
    score: float


class SearchOut(BaseModel):
    request_id: str = Field(description="The search's id in the audit trail.")
    service: str
    outcome: str = Field(description="answered (passages found), abstained (none), refused, blocked or error.")
    message: str | None = Field(description="The service's own reply when it refused or stopped the search.")
    passages: list[PassageOut]
    flags: list[str]


# ---------------------------------------------------------------------------- search


class _SearchDone:
    """The last step of a search: ends the request (so no answer is composed) with what was found."""

    name = "search"

    def __init__(self, k: int) -> None:
        self.k = k

    def __call__(self, ctx: PipelineContext) -> None:
        found = len(ctx.sources[: self.k])
        ctx.outcome = Outcome.ANSWERED if found else Outcome.ABSTAINED
        ctx.reason = f"search only (MCP search_guidance): {found} passage(s) returned"
        ctx.record(self.name, k=self.k, returned=found)


def search_steps(service: Service) -> list[Step]:
    """The service's own steps up to and including ``retrieve`` and the source guard after it."""
    pipeline = service.runtime.pipeline
    names = [s.name for s in pipeline.steps]
    if "retrieve" not in names:
        raise ApiError(422, "no_search", f"service {service.name!r} does not search guidance")
    cut = names.index("retrieve") + 1
    return pipeline.steps[:cut] + [s for s in pipeline.steps[cut:] if s.name in AFTER_RETRIEVAL]


def search(state: ServerState, caller: Principal, service: Service, query: str, k: int,
           end_user: str | None = None) -> SearchOut:
    """Retrieval through the service's guards, then review and audit; no answer is composed."""
    steps = search_steps(service)
    state.admit(caller, service, end_user, query)
    runtime = service.runtime
    ctx = runtime.context(query, tenant=service.tenant)
    ctx.flag(SEARCH_FLAG)
    pipeline = runtime.pipeline
    if not state.available(service):
        ctx.stop(Outcome.REFUSED, runtime.services.replies("unavailable"), "service switched off by the kill switch")
        pipeline.finish(ctx)
    else:
        Pipeline([*steps, _SearchDone(k)], pipeline.finally_steps, pipeline.replies).run(ctx)
    ctx.latency_ms = sum(r.ms for r in ctx.records)
    _forget_placeholders(service, ctx)
    state.tenants.record_spend(caller.key, ctx.usage.cost_gbp)
    # Passages only when the search ran to its end and nothing after it (review, audit) stopped it.
    searched = any(r.step == _SearchDone.name and "returned" in r.detail for r in ctx.records)
    delivered = searched and ctx.outcome in (Outcome.ANSWERED, Outcome.ABSTAINED)
    passages = [PassageOut(rank=i, id=s.source_id, title=s.title, headings=list(s.headings), url=s.url, text=s.text,
                           score=round(s.score, 4))
                for i, s in enumerate(ctx.sources[:k], 1)] if delivered else []
    return SearchOut(request_id=ctx.request_id, service=service.name, outcome=str(ctx.outcome or Outcome.ERROR),
                     message=None if delivered else ctx.answer, passages=passages, flags=list(ctx.flags))


def _forget_placeholders(service: Service, ctx: PipelineContext) -> None:
    """A search belongs to no conversation and puts nothing back: its placeholder map is not kept."""
    if ctx.personal_data is not PersonalData.FOUND:
        return
    for kind in service.runtime.services.VAULT_KINDS:
        try:
            service.runtime.services.vault(kind).erase(ctx.conversation_id)
        except Exception as exc:  # noqa: BLE001  (the search is done and audited; the map expires with retention)
            log.warning("search %s: placeholder map not erased (%s)", ctx.request_id, type(exc).__name__)


# ---------------------------------------------------------------------------- listing


def services_for(state: ServerState, caller: Principal) -> list[ServiceOut]:
    out = []
    for name in state.catalogue.names():
        service = state.catalogue.services[name]
        if caller.may_use(name, service.tenant):
            p = service.profile
            out.append(ServiceOut(name=name, title=p.title, description=p.description,
                                  available=state.available(service), classification=str(p.classification),
                                  uk_only=p.uk_only))
    return out


def audit_listing(state: ServerState, caller: Principal, names: list[str]) -> str:
    payload = {"at": datetime.now(UTC).isoformat(), "service": AUDIT_CHAIN, "request_id": uuid.uuid4().hex,
               "outcome": "action:mcp_list_services", "action": "mcp_list_services", "key": caller.key.id,
               "tenant": caller.tenant, "services": names}
    return append(state.db.conn, payload)


# ---------------------------------------------------------------------------- the MCP server

ServiceName = Annotated[str, Field(min_length=1, max_length=200, description="A service name from list_services.")]


def build_server(state_of: Callable[[], ServerState]) -> MCPServer:
    """The MCP server and its tools; ``state_of`` gives the app's ``ServerState`` when a call comes."""
    # MCPServer() calls logging.basicConfig (a rich handler at INFO on the root logger) when the root
    # logger has none; GovAI's logs stay as the app configures them.
    root = logging.getLogger()
    placeholder = logging.NullHandler()
    root.addHandler(placeholder)
    try:
        server: MCPServer = MCPServer("govai", title="GovAI", instructions=INSTRUCTIONS, log_level="WARNING")
    finally:
        root.removeHandler(placeholder)

    read_only = ToolAnnotations(read_only_hint=True, open_world_hint=False)

    @server.tool(title="List services", annotations=read_only)
    async def list_services(ctx: Context) -> ServicesOut:
        """The GovAI services this API key may use: name, title, description, whether it is available,
        its security classification and whether it keeps data in the UK."""
        state, caller, request = _caller(ctx, state_of)

        def run() -> ServicesOut:
            services = services_for(state, caller)
            audit_listing(state, caller, [s.name for s in services])
            return ServicesOut(services=services)

        return await _call(run, request)

    @server.tool(title="Search official guidance", annotations=read_only)
    async def search_guidance(
        service: ServiceName,
        query: Annotated[str, Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="What to look for.")],
        ctx: Context,
        k: Annotated[int, Field(ge=1, le=MAX_K, description="How many passages, at most.")] = 5,
    ) -> SearchOut:
        """Search a service's official guidance and return the best passages (title, headings, link, text),
        one per page or legislation section, best first. The query passes the service's input guard and has
        personal data replaced by placeholders before it is searched; no answer is written. Use
        answer_question for a checked answer with citations."""
        state, caller, request = _caller(ctx, state_of)

        def run() -> SearchOut:
            svc = state.service_for(caller, service)
            out = search(state, caller, svc, query, k, end_user=_end_user(state, request))
            _note(request, svc.name, out.outcome)
            return out

        return await _call(run, request)

    @server.tool(title="Answer a question from official guidance",
                 annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False))
    async def answer_question(
        service: ServiceName,
        question: Annotated[str, Field(min_length=1, max_length=MAX_QUESTION_CHARS,
                                       description="The citizen's question, as asked.")],
        ctx: Context,
        conversation_id: Annotated[str | None, Field(max_length=64, description="To ask a follow-up in a "
                                                     "conversation: the conversation_id of an earlier answer.")] = None,
    ) -> AnswerOut:
        """Answer a question from a service's official guidance, with citations (title and link), exactly as
        the service answers citizens: the same guards, limits, human review and audit. The outcome says how it
        ended (answered, abstained, refused, blocked or error); status 'held' means a person reviews the answer
        before it is released. Pass conversation_id back to ask a follow-up."""
        state, caller, request = _caller(ctx, state_of)

        def run() -> AnswerOut:
            svc = state.service_for(caller, service)
            out = state.ask(caller, svc, question, conversation_id=conversation_id,
                            end_user=_end_user(state, request)).out
            _note(request, svc.name, out.outcome)
            return out

        return await _call(run, request)

    return server


def _caller(ctx: Context, state_of: Callable[[], ServerState]) -> tuple[ServerState, Principal, Any]:
    """The app's state, and the key that the HTTP request carrying this call was checked for."""
    request = ctx.request_context.request
    carried = getattr(request, "scope", {}).get("state") or {}
    caller = carried.get("govai_principal")
    if not isinstance(caller, Principal):  # the endpoint admits no request without one
        raise ToolError("unauthorised: send an API key: Authorization: Bearer gk_...")
    return state_of(), caller, request


def _end_user(state: ServerState, request: Any) -> str | None:
    return state.end_user(request.headers.get("govai-end-user-id"))


def _note(request: Any, service: str, outcome: str) -> None:
    """What the access log line records about the call (names only)."""
    request.state.service = service
    request.state.outcome = outcome


async def _call(run: Callable[[], Any], request: Any) -> Any:
    """Run a tool's work on a worker thread; a refusal becomes the tool's error, in words."""
    try:
        return await anyio.to_thread.run_sync(run)
    except ApiError as exc:
        request.state.outcome = exc.code
        raise ToolError(f"{exc.code}: {exc.message}") from None


# ---------------------------------------------------------------------------- HTTP


class McpEndpoint:
    """The ASGI app at ``/mcp``: checks the API key and role, then hands the request to the MCP
    session manager that the app's lifespan runs."""

    def __init__(self) -> None:
        self.server: MCPServer | None = None
        self.route: Any = None  # its route, for the access log and metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state: ServerState = scope["app"].state.govai
        request_state = scope.setdefault("state", {})
        if self.route is not None:
            scope.setdefault("route", self.route)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            await _refuse(scope, send, 401, "unauthorised", "send an API key: Authorization: Bearer gk_...")
            return
        key = await anyio.to_thread.run_sync(state.key_check, token.strip())
        if key is None:
            await _refuse(scope, send, 401, "unauthorised", "the API key is not valid (unknown, revoked or expired)")
            return
        request_state["key_id"] = key.id
        request_state["tenant"] = key.tenant_id
        if key.role != ROLE:
            await _refuse(scope, send, 403, "forbidden", f"MCP needs a key with the role {ROLE}")
            return
        if self.server is None:
            await _refuse(scope, send, 503, "unavailable", "the MCP server is not running")
            return
        request_state["govai_principal"] = Principal(key)
        await self.server.session_manager.handle_request(scope, receive, send)


async def _refuse(scope: Scope, send: Send, status: int, code: str, message: str) -> None:
    request_id = (scope.get("state") or {}).get("request_id")
    body = json.dumps({"error": {"code": code, "message": message, "request_id": request_id}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def mount(app: FastAPI, path: str = PATH) -> None:
    """Serve MCP at ``path``: the endpoint, and an MCP server started with the app (a new one each
    time the app starts, as a session manager runs only once)."""
    endpoint = McpEndpoint()
    app.router.add_route(path, endpoint, methods=["GET", "POST", "DELETE"], include_in_schema=False)
    endpoint.route = next(r for r in reversed(app.router.routes) if getattr(r, "endpoint", None) is endpoint)
    outer = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: Any) -> AsyncIterator[Any]:
        async with outer(a) as maybe_state:
            server = build_server(lambda: app.state.govai)
            # Stateless JSON: no session lives in one worker, so any worker or node takes any request. The key
            # is checked on every request, so the transport's DNS-rebinding check (for unauthenticated local
            # servers) is not needed, and it would refuse the service's real host name.
            server.streamable_http_app(streamable_http_path=path, stateless_http=True, json_response=True,
                                       transport_security=TransportSecuritySettings(
                                           enable_dns_rebinding_protection=False))
            async with server.session_manager.run():
                endpoint.server = server
                try:
                    yield maybe_state
                finally:
                    endpoint.server = None

    app.router.lifespan_context = lifespan
