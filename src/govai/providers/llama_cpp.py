"""A local GGUF model through ``llama-cpp-python`` (optional extra: ``pip install 'govai[llama]'``).

The package compiles native code on install, so it is not a default dependency;
it is imported only when a provider of this kind is first used.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from govai.errors import ConfigError
from govai.domain import Source, Usage
from govai.providers.base import Draft, provider_kinds
from govai.providers.config import ProviderSpec
from govai.providers.prompt import LinkedSources, build_messages, parse_answer
from govai.providers.resilience import PermanentProviderError, TransientProviderError

MISSING_EXTRA = (
    "provider {name!r} (kind llama_cpp) needs the optional package llama-cpp-python: "
    "install it with pip install 'govai[llama]' (it compiles native code, allow several minutes), "
    "or use an OpenAI-compatible server (vLLM, Ollama) with kind openai_compatible"
)


def _import_llama() -> Any:
    try:
        import llama_cpp  # type: ignore[import-not-found]
    except ImportError:
        return None
    return llama_cpp


class LlamaCppProvider:
    """Runs a GGUF model in-process. Options: ``n_ctx``, ``n_threads``, ``n_gpu_layers``."""

    def __init__(self, spec: ProviderSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self.model = Path(spec.model_path or "").name
        self._llm: Any = None
        self._lock = threading.Lock()  # a llama.cpp context is not thread-safe

    def __repr__(self) -> str:
        return f"LlamaCppProvider(name={self.name!r}, model={self.model!r})"

    def check(self) -> str:
        """Raise ConfigError if the extra or the model file is missing."""
        if _import_llama() is None:
            raise ConfigError(MISSING_EXTRA.format(name=self.name))
        path = Path(self.spec.model_path or "").expanduser()
        if not path.is_file():
            raise ConfigError(f"provider {self.name!r}: model_path {path} does not exist")
        return f"llama-cpp-python installed; model file {path.name} present"

    def _load(self) -> Any:
        if self._llm is None:
            self.check()
            llama_cpp = _import_llama()
            opts = {"n_ctx": 4096, "verbose": False, **self.spec.options}
            self._llm = llama_cpp.Llama(model_path=str(Path(self.spec.model_path or "").expanduser()), **opts)
        return self._llm

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> tuple[str, Usage]:
        start = time.monotonic()
        with self._lock:
            llm = self._load()
            try:
                out = llm.create_chat_completion(
                    messages=messages, max_tokens=max_tokens, temperature=self.spec.temperature
                )
            except (RuntimeError, ValueError) as exc:
                raise PermanentProviderError(f"provider {self.name!r} failed: {type(exc).__name__}") from None
        if time.monotonic() - start > self.spec.timeout_s:
            raise TransientProviderError(f"provider {self.name!r} took longer than {self.spec.timeout_s:g}s")
        text = out["choices"][0]["message"]["content"] or ""
        reported = out.get("usage") or {}
        usage = Usage(
            provider=self.name,
            model=self.model,
            prompt_tokens=int(reported.get("prompt_tokens", 0)),
            completion_tokens=int(reported.get("completion_tokens", 0)),
        )
        usage.cost_gbp = self.spec.cost_gbp(usage.prompt_tokens, usage.completion_tokens)
        return text, usage

    def chat(self, messages: list[dict[str, str]], max_tokens: int = 256) -> str:
        text, _ = self.spec.resilience().run(lambda: self.complete(messages, max_tokens))
        return text

    def compose(self, question: str, sources: list[Source], evidence: Any = None) -> Draft:
        if not sources:
            return Draft(answer=None, usage=Usage(provider=self.name, model=self.model))
        text, usage = self.complete(build_messages(question, sources), self.spec.max_output_tokens)
        parsed = parse_answer(text, LinkedSources.of(sources))
        return Draft(answer=parsed.answer, cited=parsed.cited, usage=usage)


@provider_kinds.register("llama_cpp")
def _factory(name: str, options: dict[str, Any]) -> LlamaCppProvider:
    return LlamaCppProvider(ProviderSpec.model_validate({**options, "name": name}))
