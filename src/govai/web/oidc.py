"""Staff sign-in through OpenID Connect (Microsoft Entra ID, GOV.UK One Login, Keycloak, ...),
with authlib: the authorisation code flow with PKCE (S256), a nonce, and the ID token's
signature, issuer, audience and expiry checked against the provider's published keys.

Configured by environment variables (nothing is configured: the button is not shown):

- ``GOVAI_OIDC_ISSUER``: the issuer URL; its ``/.well-known/openid-configuration`` is read;
- ``GOVAI_OIDC_CLIENT_ID`` and ``GOVAI_OIDC_CLIENT_SECRET`` (or ``GOVAI_OIDC_CLIENT_SECRET_FILE``);
- ``GOVAI_OIDC_NAME``: what the sign-in button calls the provider (default "your organisation's account");
- ``GOVAI_OIDC_SCOPES``: default ``openid email profile``;
- ``GOVAI_WEB_BASE_URL``: this server's public address, for the redirect URI behind a proxy.

A person signs in only if a staff account (``govai web staff add``) is bound to their subject,
or has their e-mail address and the provider says it is verified; the account, not the
provider, holds the roles.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse


@dataclass
class Oidc:
    issuer: str | None
    client_id: str | None
    client_secret: str | None
    name: str | None
    scopes: str
    base_url: str | None
    _client: Any = None

    @classmethod
    def from_environment(cls) -> Oidc:
        secret = os.environ.get("GOVAI_OIDC_CLIENT_SECRET")
        secret_file = os.environ.get("GOVAI_OIDC_CLIENT_SECRET_FILE")
        if not secret and secret_file:
            secret = Path(secret_file).read_text(encoding="utf-8").strip()
        return cls(issuer=(os.environ.get("GOVAI_OIDC_ISSUER") or "").rstrip("/") or None,
                   client_id=os.environ.get("GOVAI_OIDC_CLIENT_ID") or None, client_secret=secret or None,
                   name=os.environ.get("GOVAI_OIDC_NAME") or None,
                   scopes=os.environ.get("GOVAI_OIDC_SCOPES") or "openid email profile",
                   base_url=(os.environ.get("GOVAI_WEB_BASE_URL") or "").rstrip("/") or None)

    @property
    def enabled(self) -> bool:
        return bool(self.issuer and self.client_id)

    @property
    def client(self) -> Any:
        if self._client is None:
            from authlib.integrations.starlette_client import OAuth

            oauth = OAuth()
            oauth.register(
                name="staff",
                client_id=self.client_id,
                client_secret=self.client_secret,
                server_metadata_url=f"{self.issuer}/.well-known/openid-configuration",
                client_kwargs={"scope": self.scopes, "code_challenge_method": "S256"},
            )
            self._client = oauth.create_client("staff")
        return self._client

    def redirect_uri(self, request: Request) -> str:
        if self.base_url:
            return f"{self.base_url}/staff/sign-in/oidc/callback"
        return str(request.url_for("oidc_callback"))

    async def start(self, request: Request) -> RedirectResponse:
        return await self.client.authorize_redirect(request, self.redirect_uri(request))  # type: ignore[no-any-return]

    async def finish(self, request: Request) -> dict[str, Any]:
        """The verified ID token's claims (raises authlib's OAuthError on any failure)."""
        token = await self.client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if not claims.get("sub"):
            from authlib.integrations.base_client import OAuthError

            raise OAuthError(description="the ID token names no subject")
        return claims
