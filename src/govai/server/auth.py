"""Who is calling: a bearer API key, its tenant, its role and the services it may use.

Roles and what they may do:
- ``citizen_app``: converse, stream, give feedback, contest an answer, use the gateway and MCP;
- ``reviewer``: the review queue of its tenant's services;
- ``service_admin``: the kill switch and service information;
- ``auditor``: read and verify its tenant's audit records.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from govai.server.errors import ApiError
from govai.store.tenants import ApiKey, Tenants

bearer = HTTPBearer(auto_error=False, description="An API key: gk_<id>_<secret> (govai keys create)")
CACHE_S = 10.0  # a revoked key stops working within this long on every worker


@dataclass(frozen=True)
class Principal:
    key: ApiKey

    @property
    def tenant(self) -> str:
        return self.key.tenant_id

    @property
    def role(self) -> str:
        return self.key.role

    def may_use(self, service: str, owner: str | None) -> bool:
        return owner == self.tenant and self.key.may_use(service)


class KeyCheck:
    """Verifies tokens against the store, remembering recent answers for a few seconds."""

    def __init__(self, tenants: Tenants) -> None:
        self.tenants = tenants
        self._cache: dict[str, tuple[float, ApiKey | None]] = {}
        self._lock = threading.Lock()

    def __call__(self, token: str) -> ApiKey | None:
        digest = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(digest)
        if hit is not None and now - hit[0] < CACHE_S:
            key = hit[1]
        else:
            key = self.tenants.verify(token)
            with self._lock:
                if len(self._cache) > 10_000:
                    self._cache.clear()
                self._cache[digest] = (now, key)
        return key if key is not None and key.active else None


def principal(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "unauthorised", "send an API key: Authorization: Bearer gk_...",
                       {"WWW-Authenticate": "Bearer"})
    key = request.app.state.govai.key_check(credentials.credentials)
    if key is None:
        raise ApiError(401, "unauthorised", "the API key is not valid (unknown, revoked or expired)",
                       {"WWW-Authenticate": "Bearer"})
    request.state.key_id = key.id
    request.state.tenant = key.tenant_id
    return Principal(key)


def role(*allowed: str) -> Callable[..., Principal]:
    """A dependency admitting only keys with one of these roles."""

    def check(caller: Principal = Depends(principal)) -> Principal:
        if caller.role not in allowed:
            raise ApiError(403, "forbidden", f"this needs a key with the role {' or '.join(allowed)}")
        return caller

    return check
