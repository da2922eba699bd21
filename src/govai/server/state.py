"""What one server process holds: the services, the store, key checks and rate limits, and
the one way a question is answered in a conversation (the service API, the gateway and the
MCP server all use ``ServerState.ask``, so all get the same guards, limits and audit)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import threading
import time
import uuid
from datetime import UTC, datetime
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from govai.domain import Classification, Outcome
from govai.pii.placeholders import reidentify
from govai.pii.vault import derived_key, load_key
from govai.pipeline.answer import answer_record
from govai.pipeline.context import Context
from govai.policy.audit import append
from govai.server import metrics, tracing
from govai.server.auth import KeyCheck, Principal
from govai.server.catalogue import Service, ServiceCatalogue
from govai.server.errors import ApiError
from govai.server.models import AnswerOut, CitationOut, GuardOut, RouteOut
from govai.server.ratelimit import DEFAULT_KEY_RATE, RateLimits
from govai.store import conversations as convo
from govai.store.database import Database
from govai.store.tenants import Tenants

if TYPE_CHECKING:
    from govai.server.gateway import Gateway

log = logging.getLogger("govai.server")

GUARD_STEPS = ("screen_input", "scope", "screen_sources", "check_evidence", "check_output")


@dataclass
class Asked:
    """One answered question: the context (for streaming and metrics) and what the API returns."""

    ctx: Context
    out: AnswerOut


class ServerState:
    def __init__(self, catalogue: ServiceCatalogue, db: Database, redis_url: str | None = None) -> None:
        self.catalogue = catalogue
        self.db = db
        self.tenants = Tenants(db)
        self.key_check = KeyCheck(self.tenants)
        self.limits = RateLimits(redis_url)
        self._end_user_key = derived_key(load_key(), "end-user")
        self.warmed = threading.Event()  # cleared while warm_up runs (from_environment)
        self.warmed.set()
        for service in catalogue.services.values():
            self.tenants.require(service.tenant)  # a profile naming a tenant that does not exist: fail now
            self.tenants.assign(service.name, service.tenant)

    @classmethod
    def from_environment(cls) -> ServerState:
        from pathlib import Path

        from govai.store.database import get_database

        directory = Path(os.environ.get("GOVAI_SERVICES_DIR", "services"))
        state = cls(ServiceCatalogue.from_directory(directory), get_database(), os.environ.get("REDIS_URL") or None)
        # On its own thread: the database connection it opens must not be the event loop thread's,
        # which the server's request handling uses. /readyz reports not ready until it is done.
        state.warmed.clear()
        threading.Thread(target=state.warm_up, name="govai-warm-up", daemon=True).start()
        return state

    def warm_up(self) -> None:
        """Run once what answering loads or runs for the first time, before this worker is
        ready: /readyz answers 503 until this is done (``warmed``), so an orchestrator sends no
        citizen here before, and the first citizen's question pays for none of it. Retrieval
        answers a made-up question over each service's knowledge base (``Retriever.warm_up``: the embedder's first inferences, the ranking models, a search);
        the safeguards load and run their models (``ServiceGuards``: the personal-data detector's
        NER, the input guard's classifier). A failure is logged, not raised: the same failure on
        a request is reported there, and the safeguards fail closed."""
        started = time.perf_counter()
        try:
            for service in self.catalogue.services.values():
                try:
                    if any(step.name == "retrieve" for step in service.profile.steps):
                        service.runtime.retriever.warm_up(service.profile.kb)
                    self.gateway.guards(service)
                except Exception:  # noqa: BLE001 - see above
                    log.warning("could not warm up service %s", service.name, exc_info=True)
            log.info("warmed up %d services in %.1fs", len(self.catalogue.services), time.perf_counter() - started)
        finally:
            self.warmed.set()

    @cached_property
    def gateway(self) -> Gateway:
        """The gateway's routes' state (guards per service, audit group commit): one per server."""
        from govai.server.gateway import Gateway

        return Gateway(self)

    # --- access ------------------------------------------------------------------
    def service_for(self, caller: Principal, name: str) -> Service:
        """The service, if this key may use it; otherwise 404 (another tenant's service is not shown)."""
        service = self.catalogue.get(name)
        if service is None or not caller.may_use(name, service.tenant):
            raise ApiError(404, "not_found", f"no service {name!r} for this key")
        return service

    def end_user(self, value: str | None) -> str | None:
        """A keyed hash of the caller's end-user id: stable for limits, useless if leaked."""
        if not value:
            return None
        if len(value) > 200:
            raise ApiError(422, "invalid_request", "the end-user id is over 200 characters")
        return hmac.new(self._end_user_key, value.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]

    def available(self, service: Service) -> bool:
        with self.db.tenant(service.tenant) as conn:
            switch = convo.switch(conn, service.name)
        return switch.enabled if switch is not None else not service.profile.switched_off

    # --- admission: one set of limits for the service API, the gateway and MCP ---------------
    def admit(self, caller: Principal, service: Service, end_user: str | None, text: str | None = None) -> None:
        """Before any work: the key's and the end user's rate limits (429), the key's budget (403
        ``budget_exhausted``) and, when ``text`` is given, the service's question length (422)."""
        key = caller.key
        self.limits.check("api_key", key.id, key.rate_per_minute or DEFAULT_KEY_RATE)
        if end_user:
            self.limits.check("end_user", f"{service.name}:{end_user}", service.profile.end_user_rate_per_minute)
        if key.budget_gbp is not None and self.tenants.spent_gbp(key.id) >= key.budget_gbp:
            raise ApiError(403, "budget_exhausted", "this API key has spent its budget")
        limit = _question_limit(service) if text is not None and service.profile.steps else 0
        if limit and len(text or "") > limit:
            raise ApiError(422, "question_too_long", f"the question is over {limit} characters")

    # --- answering -----------------------------------------------------------------
    def ask(self, caller: Principal, service: Service, question: str, *, conversation_id: str | None = None,
            end_user: str | None = None, classification: Classification | None = None,
            history: list[str] | None = None) -> Asked:
        """``history``: for a new conversation only, earlier questions the caller already holds (the
        OpenAI-compatible gateway passes a chat's earlier user messages, pseudonymised)."""
        self.admit(caller, service, end_user, question)
        retention = service.profile.retention.conversation_days
        with self.db.tenant(service.tenant) as conn:
            if conversation_id is None:
                conversation_id = convo.create(conn, service.tenant, service.name, end_user, retention)
                history = list(history or [])[-convo.MAX_TURNS:]
            else:
                found = convo.get(conn, conversation_id, service.name)
                if found is None:
                    raise ApiError(404, "not_found", f"no conversation {conversation_id!r} in this service")
                if len(found.messages) >= convo.MAX_TURNS:
                    raise ApiError(409, "conversation_full", f"a conversation holds at most {convo.MAX_TURNS} "
                                   "questions; start a new one")
                history = [m.question for m in found.messages]
        runtime = service.runtime
        ctx = runtime.context(question, classification=classification, conversation_id=conversation_id,
                              tenant=service.tenant, history=history)
        started_ns = time.time_ns()
        if not self.available(service):
            ctx.stop(Outcome.REFUSED, runtime.services.replies("unavailable"), "service switched off by the kill switch")
            runtime.pipeline.finish(ctx)
        else:
            runtime.pipeline.run(ctx)
        tracing.pipeline(ctx, started_ns)  # a span per step, when tracing is on (names and timings only)
        ctx.latency_ms = sum(r.ms for r in ctx.records)
        held = "held_for_review" in ctx.flags
        stored_answer = ctx.pseudonymised_answer()
        out = answer_out(ctx, service.name, held)
        with self.db.tenant(service.tenant) as conn:
            convo.add_message(conn, tenant_id=service.tenant, conversation_id=conversation_id,
                              request_id=ctx.request_id, question=ctx.text, answer=stored_answer,
                              outcome=str(ctx.outcome), status="held" if held else "delivered",
                              record={"citations": [c.model_dump() for c in out.citations],
                                      "route": out.route.model_dump(), "flags": out.flags})
        self.tenants.record_spend(caller.key, ctx.usage.cost_gbp)
        metrics.observe(ctx)
        return Asked(ctx, out)

    def audit_action(self, service: Service, action: str, detail: dict[str, Any]) -> str:
        """Record a person's action (a review decision, a contest, the kill switch) in the
        service's audit chain: who (the key id), what and when, never text."""
        payload = {"at": datetime.now(UTC).isoformat(), "service": service.name, "request_id": uuid.uuid4().hex,
                   "outcome": f"action:{action}", "action": action, **detail}
        return append(self.db.conn, payload)

    def reidentified(self, service: Service, conversation_id: str, text: str) -> str:
        """The citizen's own details put back into stored text (placeholders elsewhere stay)."""
        if "[" not in text:
            return text
        mapping = service.runtime.services.vault("database").load(conversation_id)
        return reidentify(text, mapping)[0]


def _question_limit(service: Service) -> int:
    for step in service.profile.steps:
        if step.name == "normalise":
            return int(step.options.get("max_chars", 2000))
    return 2000


def answer_out(ctx: Context, service: str, held: bool) -> AnswerOut:
    record = answer_record(ctx)
    guards = [GuardOut(step=r.step, verdict=_verdict(r.step, r.detail), categories=list(r.detail.get("categories") or []))
              for r in ctx.records if r.step in GUARD_STEPS]
    routing = ctx.routing
    return AnswerOut(
        request_id=ctx.request_id,
        conversation_id=ctx.conversation_id,
        service=service,
        outcome=record["outcome"] or "error",
        status="held" if held else "delivered",
        answer=record["answer"],
        citations=[CitationOut(**s) for s in record["sources"]],
        route=RouteOut(provider=ctx.provider, allowed=[r.provider for r in routing.chain] if routing else [],
                       classification=str(ctx.classification), personal_data=str(ctx.personal_data)),
        guards=guards,
        flags=list(ctx.flags),
        latency_ms=round(ctx.latency_ms, 1),
    )


def _verdict(step: str, detail: dict[str, Any]) -> str:
    """One word per guard step: block/allow, the scope route, abstain/answer, dropped passages."""
    if step == "scope":
        return str(detail.get("route", "in_scope"))
    if step == "check_evidence":
        return "abstain" if detail.get("score", 0.0) < detail.get("threshold", 0.0) else "answer"
    if step == "screen_sources":
        return f"dropped {len(detail['dropped'])}" if detail.get("dropped") else "pass"
    return str(detail.get("verdict", "pass"))


def message_out(state: ServerState, service: Service, conversation_id: str, message: Any) -> dict[str, Any]:
    return {
        "request_id": message.request_id,
        "question": state.reidentified(service, conversation_id, message.question),
        "answer": state.reidentified(service, conversation_id, message.answer),
        "outcome": message.outcome,
        "status": message.status,
        "citations": message.record.get("citations", []),
        "created_at": message.created_at,
    }
