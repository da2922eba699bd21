"""The service API: conversations with a service, streamed or not, feedback and contests.

``Accept: text/event-stream`` streams the answer as Server-Sent Events. The whole pipeline,
output checks included, runs before the first word is sent: what is streamed has passed every
check (``event: delta`` per sentence, then ``event: done`` with the full record).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Header, Request
from sse_starlette.sse import EventSourceResponse

from govai.server.auth import Principal, role
from govai.server.errors import CONFLICT, ERROR_RESPONSES, ApiError
from govai.server.models import (
    Accepted,
    AnswerOut,
    AskIn,
    ContestIn,
    ConversationOut,
    FeedbackIn,
    ServiceOut,
)
from govai.server.state import Asked, ServerState, message_out
from govai.store import conversations as convo
from govai.text.sentences import split_sentences

router = APIRouter(prefix="/v1/services", tags=["services"], responses=ERROR_RESPONSES)
Citizen = Annotated[Principal, Depends(role("citizen_app"))]
Anyone = Annotated[Principal, Depends(role("citizen_app", "reviewer", "service_admin", "auditor"))]
EndUser = Annotated[str | None, Header(alias="GovAI-End-User-Id", description="The citizen's id in your app "
                                       "(rate-limited per end user; stored only as a keyed hash).")]
STREAM = {200: {"content": {"application/json": {}, "text/event-stream": {}},
                "description": "The answer; as Server-Sent Events when asked for with Accept: text/event-stream."}}


def state_of(request: Request) -> ServerState:
    return request.app.state.govai  # type: ignore[no-any-return]


@router.get("", response_model=list[ServiceOut], summary="The services this key may use")
def list_services(request: Request, caller: Anyone) -> list[ServiceOut]:
    state = state_of(request)
    out = []
    for name in state.catalogue.names():
        service = state.catalogue.services[name]
        if caller.may_use(name, service.tenant):
            p = service.profile
            out.append(ServiceOut(name=name, title=p.title, description=p.description,
                                  available=state.available(service), classification=str(p.classification),
                                  uk_only=p.uk_only))
    return out


async def _answer(request: Request, caller: Principal, service_name: str, body: AskIn, end_user: str | None,
                  conversation_id: str | None):  # type: ignore[no-untyped-def]
    state = state_of(request)
    service = state.service_for(caller, service_name)
    hashed = state.end_user(end_user)
    asked: Asked = await anyio.to_thread.run_sync(
        lambda: state.ask(caller, service, body.question, conversation_id=conversation_id, end_user=hashed,
                          classification=body.classification))
    request.state.service = service.name
    request.state.outcome = asked.out.outcome
    if "text/event-stream" in request.headers.get("accept", ""):
        return EventSourceResponse(_events(asked.out), ping=15)
    return asked.out


async def _events(out: AnswerOut) -> AsyncIterator[dict[str, str]]:
    yield {"event": "start", "data": json.dumps({"request_id": out.request_id,
                                                 "conversation_id": out.conversation_id})}
    for paragraph in out.answer.split("\n\n"):
        for sentence in split_sentences(paragraph):
            yield {"event": "delta", "data": json.dumps({"text": sentence + " "})}
        yield {"event": "delta", "data": json.dumps({"text": "\n\n"})}
    yield {"event": "done", "data": out.model_dump_json()}


@router.post("/{service}/conversations", response_model=AnswerOut, responses=STREAM,
             summary="Start a conversation with its first question")
async def start(request: Request, service: str, body: AskIn, caller: Citizen, end_user: EndUser = None):
    return await _answer(request, caller, service, body, end_user, None)


@router.post("/{service}/conversations/{conversation_id}/messages", response_model=AnswerOut,
             responses={**STREAM, **CONFLICT},
             summary="Ask a follow-up question in a conversation")
async def follow_up(request: Request, service: str, conversation_id: str, body: AskIn, caller: Citizen,
                    end_user: EndUser = None):
    return await _answer(request, caller, service, body, end_user, conversation_id)


@router.get("/{service}/conversations/{conversation_id}", response_model=ConversationOut,
            summary="A conversation so far, with each answer's review status")
def fetch(request: Request, service: str, conversation_id: str, caller: Citizen) -> ConversationOut:
    state = state_of(request)
    svc = state.service_for(caller, service)
    with state.db.tenant(caller.tenant) as conn:
        found = convo.get(conn, conversation_id, svc.name)
    if found is None:
        raise ApiError(404, "not_found", f"no conversation {conversation_id!r} in this service")
    messages = [message_out(state, svc, found.id, m) for m in found.messages]
    return ConversationOut(id=found.id, service=found.service, created_at=found.created_at,
                           messages=messages)  # type: ignore[arg-type]


def _message(state: ServerState, caller: Principal, service: str, request_id: str) -> tuple[str, convo.Message]:
    svc = state.service_for(caller, service)
    with state.db.tenant(caller.tenant) as conn:
        found = convo.message(conn, request_id)
    if found is None or found[1] != svc.name:
        raise ApiError(404, "not_found", f"no answer {request_id!r} in this service")
    return found[0], found[2]


@router.post("/{service}/messages/{request_id}/feedback", response_model=Accepted,
             summary="Say whether an answer was useful")
def feedback(request: Request, service: str, request_id: str, body: FeedbackIn, caller: Citizen) -> Accepted:
    state = state_of(request)
    _message(state, caller, service, request_id)
    with state.db.tenant(caller.tenant) as conn:
        convo.add_feedback(conn, caller.tenant, request_id, body.useful, body.comment)
    return Accepted()


@router.post("/{service}/messages/{request_id}/contest", response_model=Accepted, responses=CONFLICT,
             summary="Ask for a person to look at an answer again")
def contest(request: Request, service: str, request_id: str, body: ContestIn, caller: Citizen) -> Accepted:
    """A citizen may contest an answer (UK GDPR Art. 22C-style): it joins the review queue, and the
    conversation shows the outcome once a reviewer has decided."""
    state = state_of(request)
    svc = state.service_for(caller, service)
    conversation_id, message = _message(state, caller, service, request_id)
    if message.status == "contested":
        raise ApiError(409, "conflict", "this answer is already waiting for review")
    with state.db.tenant(caller.tenant) as conn:
        queue_id = convo.contest(conn, caller.tenant, svc.name, conversation_id, message, body.reason,
                                 svc.profile.retention.conversation_days)
    state.audit_action(svc, "contest", {"request_id": request_id, "queue_id": queue_id, "key": caller.key.id})
    return Accepted()
