"""The embedder contract and registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from govai.registry import Registry


class Embedder(Protocol):
    name: str  # stored with each knowledge base: vectors from different models never mix
    dim: int

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


_QUERY_CACHE: dict[tuple[str, str], np.ndarray] = {}
_QUERY_CACHE_SIZE = 512


def embed_one(embedder: Embedder, text: str) -> np.ndarray:
    """One text's vector, cached: retrieval and composition both need the question's."""
    key = (embedder.name, text)
    vector = _QUERY_CACHE.get(key)
    if vector is None:
        vector = embedder.embed([text])[0]
        if len(_QUERY_CACHE) >= _QUERY_CACHE_SIZE:
            _QUERY_CACHE.pop(next(iter(_QUERY_CACHE)))
        _QUERY_CACHE[key] = vector
    return vector


def clear_query_cache() -> None:
    """Forget cached question vectors (benchmarks: every measured run pays for embedding)."""
    _QUERY_CACHE.clear()
