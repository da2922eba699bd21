"""Generative providers through the official ``openai`` SDK: OpenAI, Azure OpenAI and
any OpenAI-compatible endpoint (vLLM, Ollama, LM Studio, llama.cpp server).

One attempt per call: the SDK's own retries are off, so the compose step's
retries, circuit breaker and fallback see (and audit) every failure.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import openai

from govai.errors import ConfigError
from govai.domain import Source, Usage
from govai.providers.base import Draft, provider_kinds
from govai.providers.config import ProviderSpec
from govai.providers.prompt import LinkedSources, build_messages, is_not_found, parse_answer
from govai.providers.resilience import PermanentProviderError, TransientProviderError

log = logging.getLogger(__name__)

OPENAI_BASE_URL = "https://api.openai.com/v1"


def _estimate_tokens(text: str) -> int:
    return max(1, len(text) // 4)


class OpenAIChatProvider:
    """Chat completions from one model at one endpoint."""

    def __init__(self, spec: ProviderSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self.model = spec.deployment if spec.kind == "azure_openai" else spec.model
        self._client: openai.OpenAI | None = None

    def __repr__(self) -> str:  # never shows the key
        return f"{type(self).__name__}(name={self.name!r}, kind={self.spec.kind!r}, model={self.model!r})"

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:
            self._client = self._make_client()
        return self._client

    def _make_client(self) -> openai.OpenAI:
        spec = self.spec
        key = spec.api_key()
        timeout = openai.Timeout(spec.timeout_s, connect=spec.connect_timeout_s)
        common: dict[str, Any] = {"timeout": timeout, "max_retries": 0}
        if spec.kind == "azure_openai":
            if key is None:
                raise ConfigError(f"provider {self.name!r}: Azure OpenAI needs api_key_env or api_key_file")
            return openai.AzureOpenAI(
                azure_endpoint=spec.endpoint,
                azure_deployment=spec.deployment,
                api_version=spec.api_version,
                api_key=key.get_secret_value(),
                **common,
            )
        if spec.kind == "openai" and key is None:
            raise ConfigError(f"provider {self.name!r}: OpenAI needs api_key_env or api_key_file")
        # Local servers (vLLM, Ollama) often need no key; the SDK insists on one.
        api_key = key.get_secret_value() if key else "not-needed"
        return openai.OpenAI(api_key=api_key, base_url=spec.base_url or OPENAI_BASE_URL, **common)

    # -- one call -------------------------------------------------------------

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> tuple[str, Usage]:
        """One chat completion: the reply text and the tokens it used.

        Raises TransientProviderError (worth retrying) or PermanentProviderError.
        """
        start = time.monotonic()
        try:
            if self.spec.stream:
                text, usage = self._streamed(messages, max_tokens, start)
            else:
                text, usage = self._whole(messages, max_tokens)
        except openai.APITimeoutError:
            raise TransientProviderError(f"provider {self.name!r} timed out after {self.spec.timeout_s:g}s") from None
        except openai.APIConnectionError as exc:
            cause = type(exc.__cause__ or exc).__name__
            raise TransientProviderError(f"provider {self.name!r} cannot be reached: {cause}") from None
        except openai.APIStatusError as exc:
            raise _status_error(self.name, exc) from None
        except (openai.APIResponseValidationError, ValueError, KeyError, IndexError, TypeError) as exc:
            # json.JSONDecodeError is a ValueError: a broken body or a broken stream event.
            kind = type(exc).__name__
            raise TransientProviderError(f"provider {self.name!r} sent a malformed reply ({kind})") from None
        if usage.prompt_tokens == 0 and usage.completion_tokens == 0:
            # The endpoint reported no usage: estimate, so budgets still bite.
            usage.prompt_tokens = sum(_estimate_tokens(m["content"]) for m in messages)
            usage.completion_tokens = _estimate_tokens(text)
        usage.cost_gbp = self.spec.cost_gbp(usage.prompt_tokens, usage.completion_tokens)
        return text, usage

    def _usage(self, reported: Any) -> Usage:
        return Usage(
            provider=self.name,
            model=self.model,
            prompt_tokens=int(getattr(reported, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(reported, "completion_tokens", 0) or 0),
        )

    def _whole(self, messages: list[dict[str, str]], max_tokens: int) -> tuple[str, Usage]:
        resp = self.client.chat.completions.create(
            model=self.model, messages=messages, max_tokens=max_tokens, temperature=self.spec.temperature
        )
        if not getattr(resp, "choices", None):
            raise ValueError("no choices")
        content = resp.choices[0].message.content
        if not isinstance(content, str):
            raise TypeError("no message content")
        return content, self._usage(resp.usage)

    def _streamed(self, messages: list[dict[str, str]], max_tokens: int, start: float) -> tuple[str, Usage]:
        deadline = start + self.spec.timeout_s
        parts: list[str] = []
        usage = Usage(provider=self.name, model=self.model)
        stream = self.client.chat.completions.create(
            model=self.model,
            messages=messages,
            max_tokens=max_tokens,
            temperature=self.spec.temperature,
            stream=True,
            stream_options={"include_usage": True},
        )
        with stream:
            for chunk in stream:
                if time.monotonic() > deadline:
                    # A stream that trickles never trips the read timeout: cut it here.
                    raise TransientProviderError(
                        f"provider {self.name!r} streamed past its {self.spec.timeout_s:g}s limit"
                    )
                if chunk.usage is not None:
                    usage = self._usage(chunk.usage)
                for choice in chunk.choices or []:
                    if choice.delta is not None and choice.delta.content:
                        parts.append(choice.delta.content)
        return "".join(parts), usage

    def check(self) -> str:
        """Reachability: list the endpoint's models. Raises ProviderError when unusable."""
        try:
            served = [m.id for m in self.client.models.list().data]
        except openai.NotFoundError:
            return "reachable (the endpoint does not list models)"
        except openai.APITimeoutError:
            raise TransientProviderError(f"provider {self.name!r} timed out after {self.spec.timeout_s:g}s") from None
        except openai.APIConnectionError:
            raise TransientProviderError(f"provider {self.name!r} cannot be reached") from None
        except openai.APIStatusError as exc:
            raise _status_error(self.name, exc) from None
        if self.spec.kind != "azure_openai" and served and self.model not in served:
            shown = ", ".join(served[:5]) + ("…" if len(served) > 5 else "")
            raise PermanentProviderError(
                f"provider {self.name!r}: model {self.model!r} is not served (served: {shown})"
            )
        return f"reachable; {len(served)} model(s) listed"

    # -- provider interfaces ----------------------------------------------------

    def chat(self, messages: list[dict[str, str]], max_tokens: int = 256) -> str:
        """Free-form chat (e.g. an LLM judge), with this provider's retries and breaker."""
        text, _ = self.spec.resilience().run(lambda: self.complete(messages, max_tokens))
        return text.strip()

    def compose(self, question: str, sources: list[Source], evidence: Any = None) -> Draft:
        """A grounded answer citing only the given sources (one attempt)."""
        if not sources:
            return Draft(answer=None, usage=Usage(provider=self.name, model=self.model))
        text, usage = self.complete(build_messages(question, sources), self.spec.max_output_tokens)
        parsed = parse_answer(text, LinkedSources.of(sources))
        if parsed.dropped_tokens:
            log.info("provider %s cited %d unknown link tokens (dropped)", self.name, parsed.dropped_tokens)
        if parsed.answer is None and text.strip() and not is_not_found(text):
            log.info("provider %s answered without a valid citation; abstaining", self.name)
        return Draft(answer=parsed.answer, cited=parsed.cited, usage=usage)


def _status_error(name: str, exc: openai.APIStatusError) -> Exception:
    status = exc.status_code
    hint = {
        401: "the endpoint rejected the API key; check api_key_env / api_key_file",
        403: "the key may not use this model or endpoint",
        404: "unknown model, deployment or URL; check model / deployment / base_url",
    }.get(status, "")
    message = f"provider {name!r} returned HTTP {status}" + (f": {hint}" if hint else "")
    if status == 429 or status >= 500 or status == 408:
        return TransientProviderError(message)
    return PermanentProviderError(message)


def _factory(name: str, options: dict[str, Any]) -> OpenAIChatProvider:
    return OpenAIChatProvider(ProviderSpec.model_validate({**options, "name": name}))


for _kind in ("openai", "azure_openai", "openai_compatible"):
    provider_kinds.add(_kind, _factory)
