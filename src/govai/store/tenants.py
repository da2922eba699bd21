"""Tenants, the services they own, and their API keys.

An API key is ``gk_<id>_<secret>``: the id is public (it names the key in listings and the
audit trail); only the SHA-256 of the 256-bit secret is stored, so a database dump cannot be
used to call the service. Keys carry a role, the services they may use (none listed: every
service of the tenant), an expiry, a spending budget and a rate limit.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from govai.errors import ConfigError
from govai.store.database import Database

ROLES = ("citizen_app", "reviewer", "service_admin", "auditor")
_TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_TOKEN = re.compile(r"^gk_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$")


@dataclass(frozen=True)
class Tenant:
    id: str
    name: str
    created_at: datetime


@dataclass(frozen=True)
class ApiKey:
    id: str
    tenant_id: str
    name: str
    role: str
    services: tuple[str, ...]  # empty: every service the tenant owns
    expires_at: datetime | None
    budget_gbp: float | None
    rate_per_minute: int | None
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > datetime.now(UTC))

    def may_use(self, service: str) -> bool:
        return not self.services or service in self.services

    def summary(self) -> dict[str, object]:
        """Everything but the secret (which is never stored)."""
        return {
            "id": self.id, "tenant": self.tenant_id, "name": self.name, "role": self.role,
            "services": list(self.services), "expires_at": _iso(self.expires_at), "budget_gbp": self.budget_gbp,
            "rate_per_minute": self.rate_per_minute, "created_at": _iso(self.created_at),
            "revoked_at": _iso(self.revoked_at), "active": self.active,
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


_KEY_COLUMNS = ("id, tenant_id, name, role, services, expires_at, budget_gbp, rate_per_minute, created_at,"
                " revoked_at")


def _key(row: tuple) -> ApiKey:  # type: ignore[type-arg]
    return ApiKey(row[0], row[1], row[2], row[3], tuple(row[4] or ()), row[5], row[6], row[7], row[8], row[9])


class Tenants:
    """Managing tenants and keys: GovAI's own connection (the CLI and the server's key check)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- tenants ---------------------------------------------------------------
    def create(self, tenant_id: str, name: str) -> Tenant:
        if not _TENANT_ID.match(tenant_id):
            raise ConfigError(f"invalid tenant id {tenant_id!r}: use lower-case letters, digits, '_' or '-'")
        row = self.db.conn.execute(
            "INSERT INTO tenant (id, name) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING RETURNING id, name, created_at",
            (tenant_id, name),
        ).fetchone()
        if row is None:
            raise ConfigError(f"tenant {tenant_id!r} already exists")
        return Tenant(*row)

    def get(self, tenant_id: str) -> Tenant | None:
        row = self.db.conn.execute("SELECT id, name, created_at FROM tenant WHERE id = %s", (tenant_id,)).fetchone()
        return Tenant(*row) if row else None

    def require(self, tenant_id: str) -> Tenant:
        tenant = self.get(tenant_id)
        if tenant is None:
            raise ConfigError(f"no tenant {tenant_id!r}; create it with: govai tenants create {tenant_id} NAME")
        return tenant

    def list(self) -> list[Tenant]:
        return [Tenant(*r) for r in self.db.conn.execute("SELECT id, name, created_at FROM tenant ORDER BY id")]

    def assign(self, service: str, tenant_id: str) -> None:
        """Make ``tenant_id`` the owner of ``service``."""
        self.require(tenant_id)
        self.db.conn.execute(
            "INSERT INTO service_owner (service, tenant_id) VALUES (%s, %s)"
            " ON CONFLICT (service) DO UPDATE SET tenant_id = EXCLUDED.tenant_id", (service, tenant_id))

    def owner(self, service: str) -> str | None:
        row = self.db.conn.execute("SELECT tenant_id FROM service_owner WHERE service = %s", (service,)).fetchone()
        return row[0] if row else None

    def services_of(self, tenant_id: str) -> list[str]:
        rows = self.db.conn.execute("SELECT service FROM service_owner WHERE tenant_id = %s ORDER BY service",
                                    (tenant_id,))
        return [r[0] for r in rows]

    # --- keys --------------------------------------------------------------------
    def create_key(self, tenant_id: str, name: str, role: str, *, services: list[str] | None = None,
                   expires_at: datetime | None = None, budget_gbp: float | None = None,
                   rate_per_minute: int | None = None) -> tuple[ApiKey, str]:
        """A new key and its token; the token is shown once and never stored."""
        self.require(tenant_id)
        if role not in ROLES:
            raise ConfigError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
        if budget_gbp is not None and budget_gbp < 0:
            raise ConfigError("a key's budget cannot be negative")
        if rate_per_minute is not None and rate_per_minute <= 0:
            raise ConfigError("a key's rate limit must be at least 1 request a minute")
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        row = self.db.conn.execute(
            f"INSERT INTO api_key (id, tenant_id, name, secret_sha256, role, services, expires_at, budget_gbp,"
            f" rate_per_minute) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING {_KEY_COLUMNS}",
            (key_id, tenant_id, name, _hash(secret), role, list(services or []), expires_at, budget_gbp,
             rate_per_minute),
        ).fetchone()
        return _key(row), f"gk_{key_id}_{secret}"

    def keys(self, tenant_id: str | None = None) -> list[ApiKey]:
        sql = f"SELECT {_KEY_COLUMNS} FROM api_key"
        params: tuple[object, ...] = ()
        if tenant_id:
            sql += " WHERE tenant_id = %s"
            params = (tenant_id,)
        return [_key(r) for r in self.db.conn.execute(sql + " ORDER BY tenant_id, created_at", params)]

    def revoke(self, key_id: str) -> ApiKey:
        row = self.db.conn.execute(
            f"UPDATE api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = %s RETURNING {_KEY_COLUMNS}",
            (key_id,)).fetchone()
        if row is None:
            raise ConfigError(f"no API key {key_id!r}")
        return _key(row)

    def verify(self, token: str) -> ApiKey | None:
        """The active key this token is, or None (unknown, wrong secret, revoked or expired)."""
        match = _TOKEN.match(token.strip())
        if match is None:
            return None
        row = self.db.conn.execute(f"SELECT {_KEY_COLUMNS}, secret_sha256 FROM api_key WHERE id = %s",
                                   (match.group(1),)).fetchone()
        if row is None or not hmac.compare_digest(row[-1], _hash(match.group(2))):
            return None
        key = _key(row[:-1])
        return key if key.active else None

    # --- spending ------------------------------------------------------------------
    def spent_gbp(self, key_id: str) -> float:
        row = self.db.conn.execute("SELECT coalesce(sum(cost_gbp), 0) FROM api_key_spend WHERE key_id = %s",
                                   (key_id,)).fetchone()
        return float(row[0]) if row else 0.0

    def record_spend(self, key: ApiKey, cost_gbp: float) -> None:
        if cost_gbp > 0:
            self.db.conn.execute("INSERT INTO api_key_spend (key_id, tenant_id, cost_gbp) VALUES (%s, %s, %s)",
                                 (key.id, key.tenant_id, cost_gbp))
