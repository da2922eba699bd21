"""One error format for every failure: ``{"error": {"code", "message", "request_id"}}``.

A malformed body, an unknown service, a bad key or an oversized input is a clear 4xx; an
unexpected failure is a 500 that says only that (the detail goes to the log, without the
request's text), never a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("govai.server")


class ErrorDetail(BaseModel):
    code: str
    message: str
    request_id: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(request: Request, status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, request_id=getattr(request.state, "request_id", None)))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


_STATUS_CODES = {400: "bad_request", 401: "unauthorised", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "too_large",
                 415: "unsupported_media_type", 422: "invalid_request", 429: "rate_limited"}


def _validation_message(exc: RequestValidationError) -> str:
    problems = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        problems.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(problems) or "the request is not valid"


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(request, 422, "invalid_request", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(request, exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path,
                  exc_info=log.isEnabledFor(logging.DEBUG))
        return error_response(request, 500, "internal_error", "the service failed to handle this request")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": code.replace("_", " ")}
    for status, code in {400: "bad request", 401: "unauthorised", 403: "forbidden", 404: "not found",
                         413: "too large", 422: "invalid request", 429: "rate limited"}.items()
}
# Only where a request can conflict with the state it acts on (a decided review item, an answer
# already contested, a full conversation).
CONFLICT: dict[int | str, dict[str, Any]] = {409: {"model": ErrorBody, "description": "conflict"}}
