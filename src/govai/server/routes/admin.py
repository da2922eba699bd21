"""Service administration: the kill switch (every change audited) and the passages the source screen
flagged in a service's knowledge base."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from govai.server.auth import Principal, role
from govai.server.errors import ERROR_RESPONSES
from govai.server.models import FlaggedPassageOut, SwitchIn, SwitchOut
from govai.server.routes.services import state_of
from govai.store import conversations as convo

router = APIRouter(prefix="/v1/admin/services", tags=["admin"], responses=ERROR_RESPONSES)
Admin = Annotated[Principal, Depends(role("service_admin"))]
Reader = Annotated[Principal, Depends(role("service_admin", "auditor"))]


@router.get("/{service}/switch", response_model=SwitchOut, summary="Whether the service is switched on")
def get_switch(request: Request, service: str, caller: Admin) -> SwitchOut:
    state = state_of(request)
    svc = state.service_for(caller, service)
    with state.db.tenant(caller.tenant) as conn:
        current = convo.switch(conn, svc.name)
    if current is None:
        return SwitchOut(service=svc.name, enabled=not svc.profile.switched_off,
                         reason="from the service profile", changed_by=None)
    return SwitchOut(service=svc.name, enabled=current.enabled, reason=current.reason, changed_by=current.changed_by)


@router.put("/{service}/switch", response_model=SwitchOut, summary="Switch the service off or on")
def set_switch(request: Request, service: str, body: SwitchIn, caller: Admin) -> SwitchOut:
    """Switched off, the service answers a canned "unavailable" to every question without touching
    any model; every change is written to the audit trail with the key that made it."""
    state = state_of(request)
    svc = state.service_for(caller, service)
    with state.db.tenant(caller.tenant) as conn:
        convo.set_switch(conn, caller.tenant, svc.name, body.enabled, body.reason, caller.key.id)
    state.audit_action(svc, "kill_switch", {"enabled": body.enabled, "key": caller.key.id})
    return SwitchOut(service=svc.name, enabled=body.enabled, reason=body.reason, changed_by=caller.key.id)


@router.get("/{service}/flagged", response_model=list[FlaggedPassageOut],
            summary="Passages of the service's knowledge base flagged as injected at ingest")
def flagged(request: Request, service: str, caller: Reader) -> list[FlaggedPassageOut]:
    """Each passage the source screen flagged when it was loaded, with what the current screen says of
    it now: answers skip a passage the current screen flags, so a false positive is fixed at the
    source and loaded again."""
    from govai.guards.source import flagged_passages

    svc = state_of(request).service_for(caller, service)
    store = svc.runtime.knowledge
    if store.get(svc.profile.kb) is None:
        return []
    return [FlaggedPassageOut(**p.as_dict()) for p in flagged_passages(store, svc.profile.kb)]
