"""OpenAI or Azure OpenAI embeddings through the official SDK.

Configured by environment: ``GOVAI_EMBEDDER=openai`` with ``OPENAI_API_KEY``
(and optionally ``OPENAI_BASE_URL`` for a compatible endpoint), or
``GOVAI_EMBEDDER=azure-openai`` with ``AZURE_OPENAI_API_KEY``,
``AZURE_OPENAI_ENDPOINT`` and ``AZURE_OPENAI_API_VERSION``.
``GOVAI_EMBEDDING_MODEL`` names the model (deployment on Azure) and
``GOVAI_EMBEDDING_DIM`` its dimension.
"""

from __future__ import annotations

import os

import numpy as np

from govai.embeddings.base import embedders
from govai.errors import ConfigError, ProviderError


class OpenAIEmbedder:
    remote = True  # request text leaves the process: the model-access policy decides whether it may

    def __init__(self, azure: bool = False) -> None:
        import openai

        self.model = os.environ.get("GOVAI_EMBEDDING_MODEL", "text-embedding-3-small")
        self.dim = int(os.environ.get("GOVAI_EMBEDDING_DIM", "1536"))
        self.name = f"{'azure-openai' if azure else 'openai'}:{self.model}:{self.dim}"
        if azure:
            if not os.environ.get("AZURE_OPENAI_ENDPOINT"):
                raise ConfigError("set AZURE_OPENAI_ENDPOINT (and AZURE_OPENAI_API_KEY) for Azure embeddings")
            self._client = openai.AzureOpenAI(
                api_version=os.environ.get("AZURE_OPENAI_API_VERSION", "2024-06-01"), timeout=30, max_retries=3
            )
        else:
            if not os.environ.get("OPENAI_API_KEY"):
                raise ConfigError("set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible endpoint)")
            self._client = openai.OpenAI(timeout=30, max_retries=3)

    def embed(self, texts: list[str]) -> np.ndarray:
        import openai

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        for start in range(0, len(texts), 256):
            try:
                resp = self._client.embeddings.create(model=self.model, input=texts[start : start + 256])
            except openai.OpenAIError as exc:
                raise ProviderError(f"embedding request failed: {type(exc).__name__}") from exc
            out.extend(d.embedding for d in sorted(resp.data, key=lambda d: d.index))
        vectors = np.asarray(out, dtype=np.float32)
        if vectors.shape[1] != self.dim:
            raise ConfigError(f"embedding model returned {vectors.shape[1]} dimensions; set GOVAI_EMBEDDING_DIM")
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


embedders.add("openai", lambda: OpenAIEmbedder(azure=False))
embedders.add("azure-openai", lambda: OpenAIEmbedder(azure=True))
