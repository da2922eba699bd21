"""The web front end, served by ``govai serve`` beside the API: citizen chat (``/services/{name}``),
the reviewer console and the admin (``/staff``), on the GOV.UK Design System, in English and
Welsh. See docs/web.md.

``mount(app)`` adds the pages, the GOV.UK Frontend assets under ``/assets`` and the
middleware for sessions and security headers (web paths only; the API is unchanged).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from govai.web import assets

log = logging.getLogger("govai.web")
# Addresses that answer machines: an unknown one under these gets the API's JSON error, never a page.
API_PREFIXES = ("/v1", "/mcp", "/docs", "/redoc", "/openapi.json", "/healthz", "/readyz", "/metrics")


def _wants_page(request: Request) -> bool:
    from govai.web.sessions import is_web

    path = request.url.path
    if path.startswith("/assets/"):
        return False
    if is_web(path):
        return True
    return "text/html" in request.headers.get("accept", "") and not path.startswith(API_PREFIXES)


def mount(app: FastAPI) -> None:
    from govai.web import citizen, console, staff
    from govai.web.sessions import HEADERS, WebMiddleware, is_web
    from govai.web.state import CsrfError, WebState

    web = WebState(app)
    app.state.web = web
    for module in (citizen, staff, console):
        app.include_router(module.router)
    app.mount("/assets/govai", StaticFiles(directory=assets.OWN, check_dir=False), name="govai-assets")
    app.mount("/assets", StaticFiles(directory=assets.directory(), check_dir=False), name="govuk-assets")
    if not assets.present():
        log.warning("GOV.UK Frontend assets are missing from %s: the web pages will be unstyled; "
                    "run: govai web assets", assets.directory())
    app.add_middleware(WebMiddleware, store=web.session_store)  # type: ignore[arg-type]

    api_http_error = app.exception_handlers.get(StarletteHTTPException)

    async def http_error(request: Request, exc: Exception) -> Response:
        """A web page that does not exist is an HTML page (so is any unknown address a browser
        asks for); the API keeps its JSON errors."""
        if isinstance(exc, StarletteHTTPException) and _wants_page(request):
            template = "not_found.html" if exc.status_code in (404, 405) else "error.html"
            response = web.render.page(request, template, status=exc.status_code)
            for name, value in HEADERS.items():  # outside the web paths the middleware adds none
                response.headers.setdefault(name, value)
            response.headers["cache-control"] = "no-store"
            return response
        assert api_http_error is not None
        return await api_http_error(request, exc)  # type: ignore[no-any-return, misc]

    async def csrf_error(request: Request, exc: Exception) -> Response:
        return web.render.page(request, "csrf.html", status=403)

    api_unexpected = app.exception_handlers.get(Exception)

    async def unexpected(request: Request, exc: Exception) -> Response:
        """A failure on a web page is a plain "sorry" page, never a stack trace."""
        if is_web(request.url.path) and "session" in request.scope:
            log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path,
                      exc_info=log.isEnabledFor(logging.DEBUG))
            return web.render.page(request, "error.html", status=500)
        assert api_unexpected is not None
        return await api_unexpected(request, exc)  # type: ignore[no-any-return, misc]

    if api_http_error is not None:
        app.add_exception_handler(StarletteHTTPException, http_error)
    if api_unexpected is not None:
        app.add_exception_handler(Exception, unexpected)
    app.add_exception_handler(CsrfError, csrf_error)
