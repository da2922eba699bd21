"""The OpenAI-compatible gateway: ``POST /v1/chat/completions`` (plain and streamed),
``GET /v1/models`` and ``POST /v1/embeddings``, so the official ``openai`` client works unchanged
with ``base_url`` pointed at GovAI and an API key (``gk_...``) as its key.

Errors on these endpoints take OpenAI's shape, ``{"error": {"message", "type", "param", "code"}}``,
so OpenAI clients raise the right exception. A streamed reply is made only after every check has
passed: the whole reply is produced and checked first, then sent in OpenAI's chunk format, ending
with ``data: [DONE]``. See ``govai.server.gateway`` for what each kind of model does.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any, Literal

import anyio
import numpy as np
from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from govai.domain import Classification
from govai.server.auth import Principal, bearer
from govai.server.errors import ApiError
from govai.server.gateway import MAX_EMBEDDING_INPUTS, Chat, Gateway, GatewayModel, Turn, now, pieces
from govai.server.state import ServerState

log = logging.getLogger("govai.server")

MAX_MESSAGES = 100

# OpenAI's error types by status; GovAI's codes are kept as ``code``.
_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
          404: "invalid_request_error", 409: "invalid_request_error", 413: "invalid_request_error",
          422: "invalid_request_error", 429: "rate_limit_error", 503: "service_unavailable"}
_CODES = {"unauthorised": "invalid_api_key", "rate_limited": "rate_limit_exceeded", "forbidden": "permission_denied",
          "invalid_request": "invalid_request"}


def openai_error(request: Request, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> JSONResponse:
    if status == 422:  # OpenAI answers an invalid request with 400
        status = 400
    kind = "insufficient_quota" if code == "insufficient_quota" else _TYPES.get(status, "server_error")
    body = {"error": {"message": message, "type": kind, "param": None, "code": _CODES.get(code, code),
                      "request_id": getattr(request.state, "request_id", None)}}
    return JSONResponse(body, status_code=status, headers=headers)


def _invalid(errors: list[Any]) -> str:
    problems = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        problems.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(problems) or "the request is not valid"


class OpenAIRoute(APIRoute):
    """A route whose every failure is answered in OpenAI's error shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiError as exc:
                return openai_error(request, exc.status, exc.code, exc.message, exc.headers)
            except RequestValidationError as exc:
                return openai_error(request, 400, "invalid_request", _invalid(list(exc.errors())))
            except StarletteHTTPException as exc:
                detail = exc.detail if isinstance(exc.detail, str) else "the request failed"
                return openai_error(request, exc.status_code, "error", detail, getattr(exc, "headers", None))
            except Exception as exc:  # never a stack trace; the detail, without the request's text, to the log
                log.error("gateway: unexpected %s on %s", type(exc).__name__, request.url.path)
                return openai_error(request, 500, "internal_error", "the gateway failed to handle this request")

        return answer


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": what, "content": {"application/json": {"example": {"error": {
        "message": what, "type": _TYPES.get(status, "server_error"), "param": None, "code": code}}}}}
    for status, what, code in [
        (400, "invalid request, or blocked by the input guard (code content_filter)", "content_filter"),
        (401, "no API key, or not a valid one", "invalid_api_key"),
        (403, "the key's role may not use the gateway, or GovAI's routing policy refused the request",
         "policy_refused"),
        (404, "no such model for this key", "model_not_found"),
        (429, "rate limited (Retry-After), or a budget is spent (code insufficient_quota)", "rate_limit_exceeded"),
        (502, "the provider did not answer", "upstream_error"),
        (503, "the service is switched off", "service_unavailable"),
    ]
}

router = APIRouter(prefix="/v1", tags=["openai-compatible gateway"], route_class=OpenAIRoute, responses=ERRORS)
ROLE = "citizen_app"


async def gateway_caller(request: Request,
                         credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
    """The key, as ``auth.principal`` and ``role("citizen_app")`` check it, without a thread hop per
    request: a key seen in the last few seconds is answered from memory (``Gateway.key``)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "unauthorised", "send an API key: Authorization: Bearer gk_...",
                       {"WWW-Authenticate": "Bearer"})
    key = await gateway_of(request).key(credentials.credentials)
    if key is None:
        raise ApiError(401, "unauthorised", "the API key is not valid (unknown, revoked or expired)",
                       {"WWW-Authenticate": "Bearer"})
    request.state.key_id = key.id
    request.state.tenant = key.tenant_id
    if key.role != ROLE:
        raise ApiError(403, "forbidden", f"this needs a key with the role {ROLE}")
    return Principal(key)


Caller = Annotated[Principal, Depends(gateway_caller)]
EndUser = Annotated[str | None, Header(alias="GovAI-End-User-Id", description="The citizen's id in your app "
                                       "(rate-limited per end user; stored only as a keyed hash). OpenAI's "
                                       "`user` field is used when this header is absent.")]


def gateway_of(request: Request) -> Gateway:
    state: ServerState = request.app.state.govai
    return state.gateway


# ----------------------------------------------------------------------------- shapes


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")  # OpenAI parameters GovAI does not use are accepted and ignored


class ContentPart(_Lenient):
    type: str
    text: str | None = None


class MessageIn(_Lenient):
    role: Literal["system", "developer", "user", "assistant"] = Field(
        description="tool and function messages are not supported")
    content: str | list[ContentPart] | None = None
    name: str | None = None

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        texts = []
        for part in self.content:
            if part.type != "text" or part.text is None:
                raise ApiError(400, "unsupported_content", f"message content of type {part.type!r} is not supported; "
                               "send text")
            texts.append(part.text)
        return "\n".join(texts)


class StreamOptions(_Lenient):
    include_usage: bool = False


class ChatIn(_Lenient):
    """OpenAI's chat completion request. Sampling parameters (temperature, top_p, ...) are set by the
    provider's entry in the provider file, not by the caller."""

    model: str = Field(min_length=1, max_length=200, description="A service, provider:NAME[@SERVICE] (GET /v1/models)")
    messages: list[MessageIn] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    n: int | None = Field(None, ge=1, le=1, description="one choice only")
    user: str | None = Field(None, max_length=200, description="The end user's id (rate-limited per end user).")
    classification: Classification | None = Field(None, description="GovAI: the request's security classification "
                                                  "(default: the service's); a marking in the text raises it.")
    tools: list[Any] | None = None
    functions: list[Any] | None = None


class EmbeddingsIn(_Lenient):
    model: str = Field(min_length=1, max_length=200, description="embedding:NAME[@SERVICE] (GET /v1/models)")
    input: str | list[str] = Field(description="A text or a list of texts (token arrays are not supported).")
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: int | None = Field(None, ge=1)
    user: str | None = Field(None, max_length=200)
    classification: Classification | None = None


class ModelOut(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str
    govai: dict[str, Any]


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]


# ----------------------------------------------------------------------------- models


def _model_out(model: GatewayModel) -> ModelOut:
    return ModelOut(id=model.id, created=0, owned_by=model.service.tenant, govai=model.describe())


@router.get("/models", response_model=ModelList, summary="The models this key may use (OpenAI-compatible)")
async def list_models(request: Request, caller: Caller) -> Response:
    listing = ModelList(data=[_model_out(m) for m in gateway_of(request).models(caller)])
    return JSONResponse(listing.model_dump())


@router.get("/models/{model:path}", response_model=ModelOut, summary="One model (OpenAI-compatible)")
async def get_model(request: Request, model: str, caller: Caller) -> Response:
    return JSONResponse(_model_out(gateway_of(request).resolve(caller, model)).model_dump())


# ----------------------------------------------------------------------------- chat


@router.post("/chat/completions", summary="A chat completion from a service or a provider (OpenAI-compatible)",
             responses={200: {"content": {"application/json": {}, "text/event-stream": {}},
                              "description": "The completion; with stream: true, OpenAI's chunks as Server-Sent "
                                             "Events ending with data: [DONE]."}})
async def chat_completions(request: Request, body: ChatIn, caller: Caller, end_user: EndUser = None) -> Response:
    gateway = gateway_of(request)
    if body.tools or body.functions:
        raise ApiError(400, "unsupported_parameter", "tools and functions are not supported by the GovAI gateway")
    turns = [Turn("system" if m.role == "developer" else m.role, m.text()) for m in body.messages]
    model = gateway.resolve(caller, body.model)
    request.state.service = model.service.name
    hashed = gateway.state.end_user(end_user or body.user)
    if model.kind == "embedding":
        raise ApiError(400, "invalid_model", f"{model.id!r} is an embedding model; use /v1/embeddings")
    if model.kind == "service":
        if not any(t.role == "user" and t.text.strip() for t in turns):
            raise ApiError(400, "invalid_request", "messages: a service model needs a user message (the question)")
        chat = await anyio.to_thread.run_sync(lambda: gateway.ask_service(
            caller, model, turns, end_user=hashed, classification=body.classification))
    else:
        chat = await anyio.to_thread.run_sync(lambda: gateway.chat_provider(
            caller, model, turns, end_user=hashed, classification=body.classification,
            max_tokens=body.max_completion_tokens or body.max_tokens))
    request.state.outcome = str(chat.ctx.outcome) if chat.ctx.outcome else None
    if chat.refusal is not None:
        r = chat.refusal
        return openai_error(request, r.status, r.code, r.message, r.headers)
    include_usage = bool(body.stream_options and body.stream_options.include_usage)
    if body.stream:
        return StreamingResponse(_chunks(chat, include_usage), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    return JSONResponse(_completion(chat))


def _govai(chat: Chat) -> dict[str, Any]:
    ctx = chat.ctx
    out: dict[str, Any] = {"request_id": ctx.request_id, "service": ctx.service, "model_kind": chat.model.kind,
                           "outcome": str(ctx.outcome) if ctx.outcome else None, "flags": list(ctx.flags)}
    if chat.asked is not None:
        answer = chat.asked.out
        out.update(conversation_id=answer.conversation_id, status=answer.status,
                   citations=[c.model_dump() for c in answer.citations], route=answer.route.model_dump())
    else:
        out.update(citations=[], provider=ctx.provider, classification=str(ctx.classification),
                   personal_data=str(ctx.personal_data))
    return out


def _usage(chat: Chat) -> dict[str, int]:
    usage = chat.ctx.usage
    return {"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens,
            "total_tokens": usage.prompt_tokens + usage.completion_tokens}


def _completion(chat: Chat) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{chat.ctx.request_id}",
        "object": "chat.completion",
        "created": now(),
        "model": chat.model.id,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": chat.content, "refusal": None},
                     "finish_reason": chat.finish_reason, "logprobs": None}],
        "usage": _usage(chat),
        "system_fingerprint": None,
        "govai": _govai(chat),
    }


async def _chunks(chat: Chat, include_usage: bool) -> AsyncIterator[str]:
    """The checked reply in OpenAI's chunk format. Everything here has passed every check already."""
    base = {"id": f"chatcmpl-{chat.ctx.request_id}", "object": "chat.completion.chunk", "created": now(),
            "model": chat.model.id, "system_fingerprint": None}

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        data = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
        return f"data: {json.dumps(data, separators=(',', ':'))}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in pieces(chat.content):
        yield chunk({"content": piece})
    yield chunk({}, chat.finish_reason, govai=_govai(chat))
    if include_usage:
        yield f"data: {json.dumps({**base, 'choices': [], 'usage': _usage(chat)}, separators=(',', ':'))}\n\n"
    yield "data: [DONE]\n\n"


# ----------------------------------------------------------------------------- embeddings


@router.post("/embeddings", summary="Embeddings from the deployment's embedder (OpenAI-compatible)")
async def embeddings(request: Request, body: EmbeddingsIn, caller: Caller, end_user: EndUser = None) -> Response:
    gateway = gateway_of(request)
    inputs = [body.input] if isinstance(body.input, str) else list(body.input)
    if not inputs or len(inputs) > MAX_EMBEDDING_INPUTS:
        raise ApiError(400, "invalid_request", f"input: send between 1 and {MAX_EMBEDDING_INPUTS} texts")
    model = gateway.resolve(caller, body.model)
    if model.kind != "embedding":
        raise ApiError(400, "invalid_model", f"{model.id!r} is not an embedding model (GET /v1/models lists them)")
    request.state.service = model.service.name
    hashed = gateway.state.end_user(end_user or body.user)
    done = await anyio.to_thread.run_sync(lambda: gateway.embed(caller, model, inputs, end_user=hashed,
                                                                 classification=body.classification))
    vectors = np.asarray(done.vectors, dtype=np.float32)
    if body.dimensions is not None and body.dimensions != vectors.shape[1]:
        raise ApiError(400, "invalid_request", f"dimensions: this embedder gives {vectors.shape[1]} dimensions")
    request.state.outcome = "answered"
    data = []
    for i, row in enumerate(vectors):
        value: Any = (base64.b64encode(row.astype("<f4").tobytes()).decode() if body.encoding_format == "base64"
                      else [float(x) for x in row])
        data.append({"object": "embedding", "index": i, "embedding": value})
    tokens = done.ctx.usage.prompt_tokens
    return JSONResponse({"object": "list", "data": data, "model": model.id,
                         "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
                         "govai": {"request_id": done.ctx.request_id, "service": model.service.name,
                                   "personal_data": str(done.ctx.personal_data)}})
