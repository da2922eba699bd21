"""Staff sign-in and sign-out: local accounts (password) and OpenID Connect."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from govai.server.errors import ApiError
from govai.web.citizen import session_of, web_of
from govai.web.state import in_thread, read_form

router = APIRouter(prefix="/staff", include_in_schema=False)
SIGN_IN_RATE = 10  # attempts a minute, per account name and per address


def safe_next(value: str | None) -> str:
    if value and value.startswith("/staff") and not value.startswith("//") and "\\" not in value:
        return value
    return "/staff"


def _sign_in_page(request: Request, status: int = 200, **values: Any) -> Response:
    web = web_of(request)
    values.setdefault("errors", {})
    values.setdefault("username", "")
    return web.render.page(request, "staff/sign_in.html", status=status, oidc=web.oidc,
                           next=safe_next(request.query_params.get("next") or values.pop("next", None)), **values)


@router.get("/sign-in")
async def sign_in_form(request: Request) -> Response:
    if web_of(request).staff(request) is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return _sign_in_page(request)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    web = web_of(request)
    form = await read_form(request)
    username = form.get("username", "").strip().lower()[:128]
    password = form.get("password", "")
    target = safe_next(form.get("next"))
    errors = {}
    if not username:
        errors["username"] = "error.username_empty"
    if not password:
        errors["password"] = "error.password_empty"
    if errors:
        return _sign_in_page(request, 400, errors=errors, username=username, next=target)
    client = request.client.host if request.client else "unknown"
    try:
        web.server.limits.check("web_sign_in", f"user:{username}", SIGN_IN_RATE)
        web.server.limits.check("web_sign_in", f"addr:{client}", SIGN_IN_RATE * 3)
    except ApiError as exc:
        return _sign_in_page(request, 429, errors={"username": "error.sign_in_too_many"}, username=username,
                             next=target, retry=exc.headers.get("Retry-After"))
    staff = await in_thread(web.accounts.authenticate, username, password)
    if staff is None:
        return _sign_in_page(request, 401, errors={"username": "error.sign_in_failed"}, username=username,
                             next=target)
    session_of(request).sign_in(staff.id, "password")
    return RedirectResponse(target, status_code=303)


@router.get("/sign-in/oidc")
async def oidc_start(request: Request) -> Response:
    web = web_of(request)
    if not web.oidc.enabled:
        return RedirectResponse("/staff/sign-in", status_code=303)
    session_of(request)["oidc_next"] = safe_next(request.query_params.get("next"))
    try:
        return await web.oidc.start(request)
    except Exception:  # the provider is down or misconfigured: say so, do not crash
        return _sign_in_page(request, 502, errors={"oidc": "error.oidc_unreachable"})


@router.get("/sign-in/oidc/callback", name="oidc_callback")
async def oidc_callback(request: Request) -> Response:
    from authlib.integrations.base_client import OAuthError

    web = web_of(request)
    if not web.oidc.enabled:
        return RedirectResponse("/staff/sign-in", status_code=303)
    session = session_of(request)
    try:
        claims = await web.oidc.finish(request)
    except OAuthError:
        return _sign_in_page(request, 401, errors={"oidc": "error.oidc_failed"})
    except Exception:
        return _sign_in_page(request, 502, errors={"oidc": "error.oidc_unreachable"})
    subject = f"{claims.get('iss') or web.oidc.issuer} {claims['sub']}"
    staff = await in_thread(web.accounts.by_oidc, subject, claims.get("email"),
                            bool(claims.get("email_verified", False)))
    if staff is None:
        return _sign_in_page(request, 403, errors={"oidc": "error.oidc_no_account"})
    target = safe_next(session.get("oidc_next"))
    session.sign_in(staff.id, "oidc")
    return RedirectResponse(target, status_code=303)


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    await read_form(request)
    session_of(request).sign_out()
    return RedirectResponse("/staff/signed-out", status_code=303)


@router.get("/signed-out")
async def signed_out(request: Request) -> Response:
    return web_of(request).render.page(request, "staff/signed_out.html")
