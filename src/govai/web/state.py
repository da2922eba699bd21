"""What the web front end holds: the renderer, the session store, staff accounts, the OpenID
Connect client and the principal each tenant's citizen pages act as.

The pages never answer a question themselves: they call ``ServerState.ask`` and the service
API's own handlers (feedback, contests, review decisions, the kill switch, audit), so the
same limits, checks and audit records apply as for any API client.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import anyio.to_thread
from fastapi import FastAPI
from starlette.requests import Request

from govai.domain import Classification
from govai.server.auth import Principal
from govai.server.catalogue import Service
from govai.server.state import ServerState
from govai.store.tenants import ApiKey, Tenants
from govai.web.accounts import Staff, StaffAccounts
from govai.web.oidc import Oidc
from govai.web.render import Renderer
from govai.web.sessions import Session, SessionStore

log = logging.getLogger("govai.web")

CITIZEN_KEY_NAME = "GovAI web: citizen pages"
CITIZEN_KEY_RATE = 6000  # a minute, for every citizen of the tenant together; each citizen has the service's own limit
KEY_RECHECK_S = 10.0  # a revoked web key stops the citizen pages within this long
PUBLIC = Classification.OFFICIAL  # services above this are for signed-in staff of their tenant only


class CsrfError(Exception):
    pass


class WebState:
    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.render = Renderer()
        self.oidc = Oidc.from_environment()
        self._store: SessionStore | None = None
        self._accounts: StaffAccounts | None = None
        self._keys: dict[str, tuple[float, ApiKey | None]] = {}
        self._lock = threading.Lock()

    @property
    def server(self) -> ServerState:
        return self.app.state.govai  # type: ignore[no-any-return]

    def session_store(self) -> SessionStore | None:
        server = getattr(self.app.state, "govai", None)
        if server is None:
            return None
        if self._store is None:
            self._store = SessionStore(server.db)
        return self._store

    @property
    def accounts(self) -> StaffAccounts:
        if self._accounts is None:
            self._accounts = StaffAccounts(self.server.db)
        return self._accounts

    # --- who the pages act as ----------------------------------------------------------
    def citizen(self, tenant: str) -> Principal | None:
        """The tenant's citizen_app key for the web pages, created (and audited) on first use.
        Revoking it (``govai keys revoke``) takes the tenant's citizen pages off; it is not
        created again while a revoked one exists."""
        now = time.monotonic()
        with self._lock:
            hit = self._keys.get(tenant)
        if hit is not None and now - hit[0] < KEY_RECHECK_S:
            key = hit[1]
        else:
            key = self._citizen_key(tenant)
            with self._lock:
                self._keys[tenant] = (now, key)
        return Principal(key) if key is not None and key.active else None

    def _citizen_key(self, tenant: str) -> ApiKey | None:
        db = self.server.db
        store = Tenants(db)
        with db.conn.transaction():
            db.conn.execute("SELECT pg_advisory_xact_lock(hashtext('govai-web-key:' || %s))", (tenant,))
            mine = [k for k in store.keys(tenant) if k.name == CITIZEN_KEY_NAME and k.role == "citizen_app"]
            if mine:
                active = [k for k in mine if k.active]
                return active[0] if active else None
            key, _token = store.create_key(tenant, CITIZEN_KEY_NAME, "citizen_app", rate_per_minute=CITIZEN_KEY_RATE)
        from govai.policy.audit import append

        append(db.conn, {"at": datetime.now(UTC).isoformat(), "service": "govai:keys",
                         "request_id": uuid.uuid4().hex, "outcome": "action:key_created", "action": "key_created",
                         "key": key.id, "tenant": tenant, "by": "govai web"})
        log.info("created the citizen web key %s for tenant %s", key.id, tenant)
        return key

    def staff(self, request: Request) -> Staff | None:
        session: Session = request.scope.get("session") or Session()
        staff_id = session.get("staff")
        if not staff_id:
            return None
        staff = self.accounts.get(str(staff_id))
        if staff is None or not staff.active:
            session.sign_out()
            return None
        return staff

    def public(self, service: Service, staff: Staff | None) -> bool:
        """Citizens may use a service up to OFFICIAL; above that, only its tenant's staff may."""
        if service.profile.classification.rank <= PUBLIC.rank:
            return True
        return staff is not None and staff.tenant_id == service.tenant and staff.may_use(service.name)


async def read_form(request: Request) -> dict[str, str]:
    """The posted form (URL-encoded), after the CSRF and same-origin checks."""
    session: Session = request.scope["session"]
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise CsrfError("cross-site")
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise CsrfError("origin")
    body = await request.body()
    data: dict[str, str] = {}
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        data[name] = value.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    token = data.get("csrf_token") or request.headers.get("x-csrf-token")
    if not session.csrf_ok(token):
        raise CsrfError("token")
    return data


async def in_thread(fn: Any, *args: Any, **kwargs: Any) -> Any:
    return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs))
