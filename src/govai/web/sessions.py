"""Browser sessions, CSRF protection and security headers for the web pages.

The session cookie (``__Host-govai_session``: Secure, HttpOnly, SameSite=Lax, Path=/) holds a
random 256-bit token; the session's data lives in PostgreSQL (``web_session``) under the
token's SHA-256, so every worker and node shares it and signing out ends it everywhere. A
session row is written only when a page needs one (a form's CSRF token, the language, a
staff sign-in). Staff sessions end after ``STAFF_IDLE_S`` without a request and at most
``STAFF_MAX_S`` after sign-in; a new token is issued at every sign-in.

Every web response carries a Content-Security-Policy that allows no inline script and no
third-party origin, and the usual hardening headers. The API under ``/v1`` is not touched.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio.to_thread
from psycopg.types.json import Jsonb
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from govai.store.database import Database

CITIZEN_IDLE_S = 24 * 3600
STAFF_IDLE_S = 30 * 60
STAFF_MAX_S = 8 * 3600
TOUCH_EVERY_S = 60
LANG_COOKIE = "govai_lang"
LANG_MAX_AGE = 365 * 24 * 3600

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",  # a conversation link must not leak to the pages an answer cites
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
# The web front end's paths; everything else (the API, operations, /docs, other mounts) is left alone.
WEB_PREFIXES = ("/services", "/staff", "/language", "/assets", "/privacy", "/accessibility", "/cookies")


def is_web(path: str) -> bool:
    return path == "/" or any(path == p or path.startswith(p + "/") for p in WEB_PREFIXES)


def secure_cookies() -> bool:
    """Secure cookies (and the __Host- prefix) unless GOVAI_WEB_INSECURE_COOKIES=1 (plain-HTTP
    development on a host other than localhost; browsers treat http://localhost as secure)."""
    return os.environ.get("GOVAI_WEB_INSECURE_COOKIES", "") not in ("1", "true", "yes")


def cookie_name() -> str:
    return "__Host-govai_session" if secure_cookies() else "govai_session"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


class Session(dict[str, Any]):
    """A dict that knows whether it changed (authlib keeps its OIDC state here too)."""

    def __init__(self, data: dict[str, Any] | None = None, token: str | None = None,
                 staff_id: str | None = None, seen_at: float = 0.0) -> None:
        super().__init__(data or {})
        self.token = token
        self.staff_id = staff_id
        self.seen_at = seen_at
        self.modified = False
        self.rotate_to: str | None = None  # a new token to issue (sign-in)
        self.ended = False  # signed out: delete the row and the cookie

    def _changed(self) -> None:
        self.modified = True

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._changed()

    def pop(self, key: str, *default: Any) -> Any:  # type: ignore[override]
        self._changed()
        return super().pop(key, *default)

    def setdefault(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key not in self:
            self._changed()
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().update(*args, **kwargs)
        self._changed()

    def clear(self) -> None:
        super().clear()
        self._changed()

    # --- what the pages use ------------------------------------------------------
    def csrf_token(self) -> str:
        token = self.get("csrf")
        if not token:
            token = secrets.token_urlsafe(32)
            self["csrf"] = token
        return str(token)

    def csrf_ok(self, presented: str | None) -> bool:
        expected = self.get("csrf")
        return bool(expected and presented and hmac.compare_digest(str(expected), presented))

    def citizen_id(self) -> str:
        """A random id for this browser, used (hashed) as the end user for rate limits."""
        value = self.get("citizen")
        if not value:
            value = secrets.token_hex(16)
            self["citizen"] = value
        return str(value)

    def sign_in(self, staff_id: str, how: str) -> None:
        """A fresh token and a fresh CSRF token: nothing from before the sign-in carries over but
        the language and the citizen id."""
        keep = {k: self[k] for k in ("lang", "citizen") if k in self}
        super().clear()
        self.update(keep, staff=staff_id, signed_in_at=time.time(), how=how)
        self.staff_id = staff_id
        self.rotate_to = secrets.token_urlsafe(32)

    def sign_out(self) -> None:
        super().clear()
        self.staff_id = None
        self.ended = True
        self._changed()

    def flash(self, message: str, **values: Any) -> None:
        self["flash"] = [*self.get("flash", []), {"message": message, **values}]

    def take_flash(self) -> list[dict[str, Any]]:
        return list(self.pop("flash", [])) if "flash" in self else []


class SessionStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._purged = 0.0

    def load(self, token: str | None) -> Session:
        if not token or len(token) > 100:
            return Session()
        row = self.db.conn.execute(
            "SELECT data, staff_id, extract(epoch FROM seen_at), extract(epoch FROM created_at) FROM web_session"
            " WHERE id_sha256 = %s AND expires_at > now()", (_digest(token),)).fetchone()
        if row is None:
            return Session()
        data = row[0] if isinstance(row[0], dict) else json.loads(row[0])
        seen = float(row[2])
        if row[1] is not None and time.time() - seen > STAFF_IDLE_S:
            self.delete(token)  # a staff session idle too long is over
            return Session()
        return Session(data, token=token, staff_id=row[1], seen_at=seen)

    def save(self, session: Session) -> str | None:
        """Write the session if it changed (or touch it now and then); returns the token to set
        as the cookie when it is new, or None."""
        now = time.time()
        if session.ended:
            if session.token:
                self.delete(session.token)
            return None
        issued = None
        if session.rotate_to:
            if session.token:
                self.delete(session.token)
            session.token, session.rotate_to, issued = session.rotate_to, None, session.rotate_to
            session.modified = True
        if session.token is None:
            if not session.modified or not dict(session):
                return None
            session.token = issued = secrets.token_urlsafe(32)
        if not session.modified and now - session.seen_at < TOUCH_EVERY_S:
            return issued
        staff = session.get("staff")
        if staff:
            started = float(session.get("signed_in_at", now))
            expires = datetime.fromtimestamp(min(started + STAFF_MAX_S, now + STAFF_IDLE_S), UTC)
        else:
            expires = datetime.now(UTC) + timedelta(seconds=CITIZEN_IDLE_S)
        self.db.conn.execute(
            "INSERT INTO web_session (id_sha256, data, staff_id, expires_at) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (id_sha256) DO UPDATE SET data = EXCLUDED.data, staff_id = EXCLUDED.staff_id,"
            " seen_at = now(), expires_at = EXCLUDED.expires_at",
            (_digest(session.token), Jsonb(dict(session)), staff or None, expires))
        if now - self._purged > 600:
            self._purged = now
            self.db.conn.execute("DELETE FROM web_session WHERE expires_at < now()")
        return issued

    def delete(self, token: str) -> None:
        self.db.conn.execute("DELETE FROM web_session WHERE id_sha256 = %s", (_digest(token),))


def _cookie(name: str, value: str, max_age: int | None, *, http_only: bool = True) -> str:
    parts = [f"{name}={value}", "Path=/", "SameSite=Lax"]
    if secure_cookies():
        parts.append("Secure")
    if http_only:
        parts.append("HttpOnly")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


class WebMiddleware:
    """Loads the session for web paths, saves it after the handler, sets the cookie and the
    security headers. ``store`` is found lazily (the database is opened at start-up)."""

    def __init__(self, app: ASGIApp, store: Callable[[], SessionStore | None]) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_web(scope["path"]):
            await self.app(scope, receive, send)
            return
        assets = scope["path"].startswith("/assets/")
        store = None if assets else self.store()
        session = Session()
        if store is not None:
            token = Request(scope).cookies.get(cookie_name())
            session = await anyio.to_thread.run_sync(store.load, token)
        scope["session"] = session
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if https:
                    headers.setdefault("strict-transport-security", "max-age=31536000; includeSubDomains")
                if not assets:
                    headers["cache-control"] = "no-store"
                    if store is not None:
                        issued = await anyio.to_thread.run_sync(store.save, session)
                        if session.ended:
                            headers.append("set-cookie", _cookie(cookie_name(), "", 0))
                        elif issued:
                            headers.append("set-cookie", _cookie(cookie_name(), issued, None))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def language_cookie(lang: str) -> str:
    return _cookie(LANG_COOKIE, lang, LANG_MAX_AGE)
