"""The audit trail for auditors: a tenant's auditor reads and verifies only the records of the
services its tenant owns (row-level security enforces it in the database, not just here)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from govai.policy.audit import verify_chain
from govai.server.auth import Principal, role
from govai.server.errors import ERROR_RESPONSES
from govai.server.routes.services import state_of

router = APIRouter(prefix="/v1/audit", tags=["audit"], responses=ERROR_RESPONSES)
Auditor = Annotated[Principal, Depends(role("auditor"))]
MAX_RECORDS = 1000


@router.get("/records", summary="Audit records of the tenant's services, newest first")
def records(request: Request, caller: Auditor, service: str | None = None, since: datetime | None = None,
            until: datetime | None = None,
            limit: Annotated[int, Query(ge=1, le=MAX_RECORDS)] = 100) -> list[dict[str, Any]]:
    state = state_of(request)
    sql = "SELECT service, seq, kind, row_hash, payload FROM audit_log WHERE true"
    params: list[object] = []
    for clause, value in (("service = %s", service), ("at >= %s", since), ("at < %s", until)):
        if value is not None:
            sql += f" AND {clause}"
            params.append(value)
    with state.db.tenant(caller.tenant) as conn:  # row-level security: only this tenant's services
        rows = conn.execute(sql + " ORDER BY at DESC, seq DESC LIMIT %s", [*params, limit]).fetchall()
    return [{"service": r[0], "seq": r[1], "kind": r[2], "row_hash": r[3], "record": json.loads(r[4])} for r in rows]


@router.get("/verify", summary="Verify the chains of the tenant's services")
def verify(request: Request, caller: Auditor, service: str | None = None) -> dict[str, Any]:
    state = state_of(request)
    owned = state.tenants.services_of(caller.tenant)
    chosen = [s for s in owned if service in (None, s)]
    checks = [verify_chain(state.db.conn, s) for s in chosen]
    return {"ok": all(c.ok for c in checks),
            "services": [s.as_dict() for c in checks for s in c.services],
            "problems": [str(p) for c in checks for p in c.problems]}
