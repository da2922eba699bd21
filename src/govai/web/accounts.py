"""Staff accounts for the web console: roles per tenant, local passwords (scrypt) and the
binding to an OpenID Connect identity.

A password is stored only as ``scrypt$N$r$p$salt$hash`` (RFC 7914, from the standard library,
memory-hard, 16-byte random salt); checking an unknown account costs the same as a known one,
so sign-in time does not tell which accounts exist.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from govai.errors import ConfigError
from govai.store.database import Database
from govai.store.tenants import ApiKey, Tenants

STAFF_ROLES = ("reviewer", "service_admin", "auditor")
_ID = re.compile(r"^[a-z0-9][a-z0-9._@+-]{0,127}$")
MIN_PASSWORD = 12
_N, _R, _P = 2**15, 8, 1  # about 32 MiB and 50-100 ms a check
_MAXMEM = 64 * 1024 * 1024
_COLUMNS = "id, tenant_id, name, email, roles, services, password_hash IS NOT NULL, oidc_subject, disabled_at"


@dataclass(frozen=True)
class Staff:
    id: str
    tenant_id: str
    name: str
    email: str | None
    roles: tuple[str, ...]
    services: tuple[str, ...]
    has_password: bool
    oidc_subject: str | None
    disabled_at: datetime | None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def has(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)

    def may_use(self, service: str) -> bool:
        return not self.services or service in self.services

    def as_key(self, role: str) -> ApiKey:
        """The person as a caller of the service API's handlers: the key id ``staff:<id>`` is what
        the review queue, the kill switch and the audit trail record as having acted."""
        if role not in self.roles:
            raise PermissionError(role)
        return ApiKey(id=f"staff:{self.id}", tenant_id=self.tenant_id, name=self.name, role=role,
                      services=self.services, expires_at=None, budget_gbp=None, rate_per_minute=None,
                      created_at=datetime.now(UTC), revoked_at=None)

    def summary(self) -> dict[str, object]:
        return {"id": self.id, "tenant": self.tenant_id, "name": self.name, "email": self.email,
                "roles": list(self.roles), "services": list(self.services), "password": self.has_password,
                "oidc": self.oidc_subject is not None, "active": self.active}


def _staff(row: tuple) -> Staff:  # type: ignore[type-arg]
    return Staff(row[0], row[1], row[2], row[3], tuple(row[4]), tuple(row[5] or ()), bool(row[6]), row[7], row[8])


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, maxmem=_MAXMEM, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def password_matches(password: str, stored: str | None) -> bool:
    if not stored:
        _dummy_check(password)
        return False
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        found = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                               p=int(p), maxmem=_MAXMEM, dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, base64.b64decode(digest))


_DUMMY = None


def _dummy_check(password: str) -> None:
    """Spend the time a real check takes (for an unknown account)."""
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = hash_password(secrets.token_urlsafe(16))
    password_matches(password, _DUMMY)


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise ConfigError("a password is at most 1024 characters")


class StaffAccounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, staff_id: str, tenant_id: str, name: str, roles: list[str], *, email: str | None = None,
               services: list[str] | None = None, password: str | None = None) -> Staff:
        staff_id = staff_id.strip().lower()
        if not _ID.match(staff_id):
            raise ConfigError(f"invalid staff id {staff_id!r}: use lower-case letters, digits and . _ @ + -")
        Tenants(self.db).require(tenant_id)
        unknown = sorted(set(roles) - set(STAFF_ROLES))
        if unknown or not roles:
            raise ConfigError(f"roles must be some of {', '.join(STAFF_ROLES)} (got {', '.join(roles) or 'none'})")
        if password is not None:
            check_new_password(password)
        if password is None and not email:
            raise ConfigError("give a password (local sign-in) or an e-mail address (OpenID Connect sign-in)")
        row = self.db.conn.execute(
            f"INSERT INTO web_staff (id, tenant_id, name, email, roles, services, password_hash)"
            f" VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING RETURNING {_COLUMNS}",
            (staff_id, tenant_id, name, email.strip().lower() if email else None, sorted(set(roles)),
             list(services or []), hash_password(password) if password is not None else None),
        ).fetchone()
        if row is None:
            raise ConfigError(f"staff account {staff_id!r} already exists")
        self._audit("staff_created", staff_id, tenant_id, roles=sorted(set(roles)))
        return _staff(row)

    def get(self, staff_id: str) -> Staff | None:
        row = self.db.conn.execute(f"SELECT {_COLUMNS} FROM web_staff WHERE id = %s", (staff_id,)).fetchone()
        return _staff(row) if row else None

    def list(self, tenant_id: str | None = None) -> list[Staff]:
        sql, params = f"SELECT {_COLUMNS} FROM web_staff", ()
        if tenant_id:
            sql, params = sql + " WHERE tenant_id = %s", (tenant_id,)
        return [_staff(r) for r in self.db.conn.execute(sql + " ORDER BY tenant_id, id", params)]

    def set_password(self, staff_id: str, password: str) -> None:
        check_new_password(password)
        done = self.db.conn.execute("UPDATE web_staff SET password_hash = %s WHERE id = %s RETURNING tenant_id",
                                    (hash_password(password), staff_id)).fetchone()
        if done is None:
            raise ConfigError(f"no staff account {staff_id!r}")
        self.db.conn.execute("DELETE FROM web_session WHERE staff_id = %s", (staff_id,))  # sign out everywhere
        self._audit("staff_password_set", staff_id, done[0])

    def disable(self, staff_id: str) -> Staff:
        row = self.db.conn.execute(
            f"UPDATE web_staff SET disabled_at = coalesce(disabled_at, now()) WHERE id = %s RETURNING {_COLUMNS}",
            (staff_id,)).fetchone()
        if row is None:
            raise ConfigError(f"no staff account {staff_id!r}")
        self.db.conn.execute("DELETE FROM web_session WHERE staff_id = %s", (staff_id,))
        self._audit("staff_disabled", staff_id, row[1])
        return _staff(row)

    def authenticate(self, staff_id: str, password: str) -> Staff | None:
        """The active account whose password this is, or None (same time either way)."""
        row = self.db.conn.execute(f"SELECT {_COLUMNS}, password_hash FROM web_staff WHERE id = %s",
                                   (staff_id.strip().lower(),)).fetchone()
        if not password_matches(password, row[-1] if row else None) or row is None:
            return None
        staff = _staff(row[:-1])
        if not staff.active:
            return None
        self._signed_in(staff.id)
        return staff

    def by_oidc(self, subject: str, email: str | None, email_verified: bool) -> Staff | None:
        """The account bound to this OpenID Connect subject, or the one with this verified e-mail
        address (which is then bound to the subject, so a later change of address cannot move it)."""
        row = self.db.conn.execute(f"SELECT {_COLUMNS} FROM web_staff WHERE oidc_subject = %s",
                                   (subject,)).fetchone()
        if row is None and email and email_verified:
            row = self.db.conn.execute(
                f"UPDATE web_staff SET oidc_subject = %s WHERE lower(email) = %s AND oidc_subject IS NULL"
                f" RETURNING {_COLUMNS}", (subject, email.strip().lower())).fetchone()
        if row is None:
            return None
        staff = _staff(row)
        if not staff.active:
            return None
        self._signed_in(staff.id)
        return staff

    def _signed_in(self, staff_id: str) -> None:
        self.db.conn.execute("UPDATE web_staff SET last_sign_in_at = now() WHERE id = %s", (staff_id,))

    def _audit(self, action: str, staff_id: str, tenant: str, **detail: object) -> None:
        """Account changes go to the platform's audit chain for people ("govai:staff")."""
        from govai.policy.audit import append

        append(self.db.conn, {"at": datetime.now(UTC).isoformat(), "service": "govai:staff",
                              "request_id": uuid.uuid4().hex, "outcome": f"action:{action}", "action": action,
                              "staff": staff_id, "tenant": tenant, **detail})
