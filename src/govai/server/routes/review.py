"""Human review: reviewers list held and contested answers and approve, edit (with a reason) or
reject them; the citizen's conversation then shows the outcome. Every decision is audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from govai.server.auth import Principal, role
from govai.server.errors import CONFLICT, ERROR_RESPONSES, ApiError
from govai.server.models import Accepted, ReviewDecisionIn
from govai.server.routes.services import state_of
from govai.store import conversations as convo

router = APIRouter(prefix="/v1/review", tags=["review"], responses=ERROR_RESPONSES)
Reviewer = Annotated[Principal, Depends(role("reviewer"))]


@router.get("/queue", summary="Held and contested answers waiting for a decision")
def queue(request: Request, caller: Reviewer, service: str | None = None,
          status: Annotated[str, Query(pattern="^(pending|approved|edited|rejected)$")] = "pending",
          ) -> list[dict[str, Any]]:
    """The question is shown pseudonymised and the answer as composed, with its sources."""
    state = state_of(request)
    if service is not None:
        state.service_for(caller, service)
    with state.db.tenant(caller.tenant) as conn:
        items = convo.queue(conn, service, status)
    return [i.as_dict() for i in items if caller.key.may_use(i.service)]


def _item(request: Request, caller: Principal, queue_id: int) -> convo.QueuedAnswer:
    state = state_of(request)
    with state.db.tenant(caller.tenant) as conn:
        item = convo.queued(conn, queue_id)
    if item is None or not caller.key.may_use(item.service):
        raise ApiError(404, "not_found", f"no review item {queue_id}")
    return item


@router.get("/queue/{queue_id}", summary="One held or contested answer")
def get_item(request: Request, queue_id: int, caller: Reviewer) -> dict[str, Any]:
    return _item(request, caller, queue_id).as_dict()


@router.post("/queue/{queue_id}/decision", response_model=Accepted, responses=CONFLICT, summary="Approve, edit or reject an answer")
def decide(request: Request, queue_id: int, body: ReviewDecisionIn, caller: Reviewer) -> Accepted:
    state = state_of(request)
    item = _item(request, caller, queue_id)
    if item.status != "pending":
        raise ApiError(409, "conflict", f"review item {queue_id} was already {item.status}")
    if body.decision in ("edit", "reject") and not body.reason.strip():
        raise ApiError(422, "invalid_request", f"to {body.decision} an answer, give the reason")
    if body.decision == "edit" and not (body.answer or "").strip():
        raise ApiError(422, "invalid_request", "to edit an answer, give the edited answer")
    service = state.service_for(caller, item.service)
    final = {"approve": item.answer, "edit": body.answer,
             "reject": service.runtime.services.replies("review_rejected")}[body.decision]
    with state.db.tenant(caller.tenant) as conn:
        convo.decide(conn, item, body.decision, caller.key.id, final, body.reason)
    state.audit_action(service, f"review_{body.decision}",
                       {"queue_id": queue_id, "reviewed_request_id": item.request_id, "key": caller.key.id})
    return Accepted()
