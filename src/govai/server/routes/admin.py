"""Service administration: the kill switch (every change audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from govai.server.auth import Principal, role
from govai.server.errors import ERROR_RESPONSES
from govai.server.models import SwitchIn, SwitchOut
from govai.server.routes.services import state_of
from govai.store import conversations as convo

router = APIRouter(prefix="/v1/admin/services", tags=["admin"], responses=ERROR_RESPONSES)
Admin = Annotated[Principal, Depends(role("service_admin"))]


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
