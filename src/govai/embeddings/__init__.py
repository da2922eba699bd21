"""Text embeddings: a model shipped in a PyPI package by default, OpenAI or Azure optionally."""

from govai.embeddings.base import Embedder, embedders, get_embedder

__all__ = ["Embedder", "embedders", "get_embedder"]
