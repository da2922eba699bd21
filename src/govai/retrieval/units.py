"""Unit (sentence) vectors of loaded chunks, shared by the retriever that loads
them and the extractive composer that quotes them."""

from __future__ import annotations

import numpy as np

_vectors: dict[int, np.ndarray] = {}


def pack(vectors: np.ndarray) -> bytes:
    return np.asarray(vectors, dtype=np.float16).tobytes()


def unpack(data: bytes | None, dim: int) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(data, dtype=np.float16).reshape(-1, dim).astype(np.float32)


def remember(chunk_id: int, vectors: np.ndarray) -> None:
    _vectors[chunk_id] = vectors


def lookup(chunk_id: int) -> np.ndarray | None:
    return _vectors.get(chunk_id)
