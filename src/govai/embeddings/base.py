"""The embedder contract and registry."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Protocol

import numpy as np

from govai.errors import ConfigError
from govai.registry import Registry


class Embedder(Protocol):
    name: str  # stored with each knowledge base: vectors from different models never mix
    dim: int
    remote: bool  # True when texts leave the process (an API): request text then goes through model access

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""


embedders: Registry[Callable[[], Embedder]] = Registry("embedder")
_loaded: dict[str, Embedder] = {}


def get_embedder(name: str) -> Embedder:
    if name not in _loaded:
        import govai.embeddings.fast  # noqa: F401  (registers the built-in embedders)
        import govai.embeddings.minilm  # noqa: F401
        import govai.embeddings.openai  # noqa: F401

        _loaded[name] = embedders.get(name)()
    return _loaded[name]


def embed_threads() -> int:
    """Threads one model call may use: ``GOVAI_EMBED_THREADS``, else the cores (at most 4).
    Ray workers run with 1: there the workers are the parallelism."""
    value = os.environ.get("GOVAI_EMBED_THREADS", "")
    if value.strip():
        try:
            threads = int(value)
        except ValueError:
            raise ConfigError(f"GOVAI_EMBED_THREADS must be a whole number, not {value!r}") from None
        if threads >= 1:
            return threads
        raise ConfigError(f"GOVAI_EMBED_THREADS must be at least 1, not {threads}")
    return max(1, min(4, os.cpu_count() or 1))
