"""The gateway's lean OpenAI-compatible client (``LeanChat``) against the local test server
(tests/openai_server.py): plain and streamed replies, kept-alive connections, and every failure
raised as the provider error that retries and the circuit breaker expect."""

from __future__ import annotations

import pytest
from openai_server import Behaviour, OpenAIServer

from govai.providers.config import ProviderSpec
from govai.providers.resilience import PermanentProviderError, TransientProviderError
from govai.server.gateway import LeanChat

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello."}]


def lean(server: OpenAIServer, model: str, **kw: object) -> LeanChat:
    return LeanChat(ProviderSpec.model_validate({"name": model, "kind": "openai_compatible", "base_url": server.url,
                                                 "model": model, "timeout_s": 2, "connect_timeout_s": 1, **kw}))


@pytest.fixture(autouse=True)
def _fresh(server: OpenAIServer):  # type: ignore[no-untyped-def]
    server.reset()


@pytest.mark.parametrize("stream", [False, True])
def test_a_reply_and_its_usage_plain_and_streamed(server: OpenAIServer, stream: bool) -> None:
    server.always("lean-a", Behaviour.answer("Hello there, citizen."))
    chat = lean(server, "lean-a", stream=stream)
    for _ in range(3):  # the same kept-alive connection answers again
        text, usage = chat.complete(MESSAGES, 32)
        assert text == "Hello there, citizen."
        assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    sent = server.requests_for("lean-a")
    assert len(sent) == 3 and sent[0].messages == MESSAGES and sent[0].max_tokens == 32
    assert sent[0].stream is stream and sent[0].authorization == "Bearer not-needed"
    chat.close()


@pytest.mark.parametrize("stream", [False, True])
def test_a_server_error_is_transient_and_a_client_error_permanent(server: OpenAIServer, stream: bool) -> None:
    chat = lean(server, "lean-b", stream=stream)
    server.script("lean-b", Behaviour.status(503), Behaviour.status(404), Behaviour.answer("Back again."))
    with pytest.raises(TransientProviderError, match="HTTP 503"):
        chat.complete(MESSAGES, 32)
    with pytest.raises(PermanentProviderError, match="HTTP 404"):
        chat.complete(MESSAGES, 32)
    assert chat.complete(MESSAGES, 32)[0] == "Back again."  # the pool recovers after failures


def test_a_malformed_reply_is_transient(server: OpenAIServer) -> None:
    server.always("lean-c", Behaviour.malformed())
    with pytest.raises(TransientProviderError, match="malformed"):
        lean(server, "lean-c", stream=False).complete(MESSAGES, 32)


def test_a_hung_provider_times_out(server: OpenAIServer) -> None:
    server.script("lean-d", Behaviour.hang(3.0))
    with pytest.raises(TransientProviderError, match="timed out"):
        lean(server, "lean-d", stream=False, timeout_s=0.5).complete(MESSAGES, 32)


def test_a_trickling_stream_is_cut_at_the_time_limit(server: OpenAIServer) -> None:
    server.script("lean-e", Behaviour.slow_stream(0.3))
    with pytest.raises(TransientProviderError, match="streamed past"):
        lean(server, "lean-e", stream=True, timeout_s=0.5).complete(MESSAGES, 32)


def test_an_unreachable_endpoint_is_transient() -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    spec = ProviderSpec.model_validate({"name": "gone", "kind": "openai_compatible", "model": "m",
                                        "base_url": f"http://127.0.0.1:{port}/v1", "stream": False})
    with pytest.raises(TransientProviderError, match="cannot be reached"):
        LeanChat(spec).complete(MESSAGES, 32)


def test_a_proxy_named_in_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib3

    from govai.server.gateway import _pool

    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    pool, target = _pool("http://models.example/v1/chat/completions", urllib3.Timeout(1))
    assert (pool.host, pool.port, target) == ("proxy.example", 3128, "http://models.example/v1/chat/completions")
    pool, target = _pool("http://internal.example/v1/chat/completions", urllib3.Timeout(1))
    assert (pool.host, target) == ("internal.example", "/v1/chat/completions")
    monkeypatch.setenv("HTTPS_PROXY", "http://gov%40user:s3cret@proxy.example:3128")
    pool, target = _pool("https://models.example/v1/chat/completions", urllib3.Timeout(1))
    assert (pool.host, target) == ("models.example", "/v1/chat/completions")  # a CONNECT tunnel through the proxy
    assert pool.proxy is not None and pool.proxy.host == "proxy.example"
    assert pool.proxy_headers == urllib3.make_headers(proxy_basic_auth="gov@user:s3cret")
