"""A real OpenAI-compatible HTTP server for tests (FastAPI + uvicorn on 127.0.0.1).

It speaks ``/v1/chat/completions`` (plain and streamed), ``/v1/embeddings`` (deterministic
vectors) and ``/v1/models``, records every request it receives, and can
be told, per model name, how to behave on each request: answer, hang past the
client's timeout, fail with a status code, send malformed JSON, or stream slowly.

    server = OpenAIServer().start()
    server.script("gpt-test", Behaviour.status(503), Behaviour.answer("Text [link_1]."))
    ...  # point a provider at server.url with model "gpt-test"
    server.stop()
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

Reply = str | Callable[[list[dict[str, Any]]], str]


@dataclass(frozen=True)
class Behaviour:
    kind: str = "answer"  # answer, hang, status, malformed, slow_stream
    reply: Reply = "I cannot find the answer in the guidance."
    status_code: int = 200
    delay_s: float = 0.0  # hang: time before answering; slow_stream: gap between chunks
    report_usage: bool = True

    @classmethod
    def answer(cls, reply: Reply, *, report_usage: bool = True) -> Behaviour:
        return cls("answer", reply, report_usage=report_usage)

    @classmethod
    def hang(cls, seconds: float, reply: Reply = "late [link_1].") -> Behaviour:
        return cls("hang", reply, delay_s=seconds)

    @classmethod
    def status(cls, code: int) -> Behaviour:
        return cls("status", status_code=code)

    @classmethod
    def malformed(cls) -> Behaviour:
        return cls("malformed")

    @classmethod
    def slow_stream(cls, gap_s: float, reply: Reply = "One two three four five six seven eight [link_1].") -> Behaviour:
        return cls("slow_stream", reply, delay_s=gap_s)


@dataclass
class Received:
    model: str
    messages: list[dict[str, Any]]
    stream: bool
    max_tokens: int | None
    authorization: str | None
    at: float = field(default_factory=time.monotonic)


def _tokens(text: str) -> int:
    return max(1, len(text.split()))


EMBEDDING_DIM = 16


def _embedding(text: str, dim: int) -> list[float]:
    """A deterministic unit vector: texts sharing words point the same way."""
    import hashlib
    import math

    vector = [0.0] * dim
    for word in text.lower().split():
        digest = hashlib.sha256(word.encode("utf-8")).digest()
        vector[digest[0] % dim] += 1.0 if digest[1] % 2 else -1.0
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]


class OpenAIServer:
    def __init__(self, default_reply: Reply = "I cannot find the answer in the guidance.") -> None:
        self.default = Behaviour.answer(default_reply)
        self.defaults: dict[str, Behaviour] = {}
        self.scripts: dict[str, deque[Behaviour]] = defaultdict(deque)
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.app = self._build_app()

    # -- control ----------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, model: str, *behaviours: Behaviour) -> None:
        """Queue behaviours for the next requests to ``model``, in order."""
        with self._lock:
            self.scripts[model].extend(behaviours)

    def always(self, model: str, behaviour: Behaviour) -> None:
        """How ``model`` behaves once its script is used up."""
        with self._lock:
            self.defaults[model] = behaviour

    def reset(self) -> None:
        with self._lock:
            self.scripts.clear()
            self.defaults.clear()
            self.received.clear()

    def requests_for(self, model: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.model == model]

    def _next(self, model: str) -> Behaviour:
        with self._lock:
            queue = self.scripts.get(model)
            if queue:
                return queue.popleft()
            return self.defaults.get(model, self.default)

    def start(self) -> OpenAIServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", timeout_graceful_shutdown=1, lifespan="off")
        self._server = uvicorn.Server(config)
        self._server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  (not the main thread)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test OpenAI server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- HTTP -------------------------------------------------------------------

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/v1/models")
        async def models() -> dict[str, Any]:
            names = sorted(set(self.scripts) | set(self.defaults)) or ["test-model"]
            return {"object": "list", "data": [{"id": n, "object": "model", "owned_by": "test"} for n in names]}

        @app.post("/v1/chat/completions")
        async def completions(request: Request) -> Response:
            body = await request.json()
            received = Received(
                model=body.get("model", ""),
                messages=body.get("messages", []),
                stream=bool(body.get("stream")),
                max_tokens=body.get("max_tokens"),
                authorization=request.headers.get("authorization"),
            )
            with self._lock:
                self.received.append(received)
            behaviour = self._next(received.model)
            return await self._respond(behaviour, received, body)

        @app.post("/v1/embeddings")
        async def embeddings(request: Request) -> Response:
            body = await request.json()
            texts = body.get("input", [])
            texts = [texts] if isinstance(texts, str) else texts
            received = Received(
                model=body.get("model", ""),
                messages=[{"role": "input", "content": t} for t in texts],
                stream=False,
                max_tokens=None,
                authorization=request.headers.get("authorization"),
            )
            with self._lock:
                self.received.append(received)
            behaviour = self._next(received.model)
            if behaviour.kind == "status":
                return JSONResponse({"error": {"message": "test failure", "type": "server_error"}},
                                    behaviour.status_code)
            dim = int(body.get("dimensions") or EMBEDDING_DIM)
            data = [{"object": "embedding", "index": i, "embedding": _embedding(t, dim)} for i, t in enumerate(texts)]
            tokens = sum(_tokens(t) for t in texts)
            return JSONResponse({"object": "list", "data": data, "model": received.model,
                                 "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

        # Azure OpenAI's path shape: /openai/deployments/{name}/chat/completions
        @app.post("/openai/deployments/{deployment}/chat/completions")
        async def azure(deployment: str, request: Request) -> Response:
            body = await request.json()
            body["model"] = deployment
            received = Received(
                deployment, body.get("messages", []), bool(body.get("stream")), body.get("max_tokens"),
                request.headers.get("api-key"),
            )
            with self._lock:
                self.received.append(received)
            return await self._respond(self._next(deployment), received, body)

        return app

    async def _respond(self, behaviour: Behaviour, received: Received, body: dict[str, Any]) -> Response:
        if behaviour.kind == "status":
            return JSONResponse({"error": {"message": "test failure", "type": "server_error"}}, behaviour.status_code)
        if behaviour.kind == "malformed":
            if received.stream:
                return StreamingResponse(_malformed_stream(), media_type="text/event-stream")
            return Response('{"id": "x", "choices": [ {"message": ', media_type="application/json")
        reply = behaviour.reply(received.messages) if callable(behaviour.reply) else behaviour.reply
        if behaviour.kind == "hang":
            await asyncio.sleep(behaviour.delay_s)
        prompt_tokens = sum(_tokens(str(m.get("content", ""))) for m in received.messages)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": _tokens(reply),
            "total_tokens": prompt_tokens + _tokens(reply),
        }
        model = received.model
        if received.stream:
            gap = behaviour.delay_s if behaviour.kind == "slow_stream" else 0.0
            include = (body.get("stream_options") or {}).get("include_usage") and behaviour.report_usage
            return StreamingResponse(
                _stream(model, reply, gap, usage if include else None), media_type="text/event-stream"
            )
        return JSONResponse(
            {
                "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}
                ],
                **({"usage": usage} if behaviour.report_usage else {}),
            }
        )


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None, usage: Any = None) -> str:
    data = {
        "id": "chatcmpl-stream",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [] if usage else [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    if usage:
        data["usage"] = usage
    return f"data: {json.dumps(data)}\n\n"


async def _stream(model: str, reply: str, gap_s: float, usage: dict[str, int] | None) -> AsyncIterator[str]:
    yield _chunk(model, {"role": "assistant", "content": ""})
    for i, word in enumerate(reply.split(" ")):
        if gap_s:
            await asyncio.sleep(gap_s)
        yield _chunk(model, {"content": word if i == 0 else " " + word})
    yield _chunk(model, {}, finish="stop")
    if usage:
        yield _chunk(model, {}, usage=usage)
    yield "data: [DONE]\n\n"


async def _malformed_stream() -> AsyncIterator[str]:
    yield 'data: {"id": "x", "choices": [{"delta": {"content": "Hal'
    yield "\n\n"
    yield "data: [DONE]\n\n"
