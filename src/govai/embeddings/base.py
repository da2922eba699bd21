"""The embedder contract and registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

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
        import govai.embeddings.minilm  # noqa: F401  (registers the built-in embedders)
        import govai.embeddings.openai  # noqa: F401

        _loaded[name] = embedders.get(name)()
    return _loaded[name]
