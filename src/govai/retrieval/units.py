"""Unit (sentence) vectors of loaded chunks, shared by the retriever that loads
them and the extractive composer that quotes them."""

from __future__ import annotations

import numpy as np

# chunk id -> (hash of the chunk text, vectors): the text check keeps a passage
# that did not come from the store (or was altered) from borrowing another's vectors.
_vectors: dict[int, tuple[int, np.ndarray]] = {}


def pack(vectors: np.ndarray) -> bytes:
    return np.asarray(vectors, dtype=np.float16).tobytes()


def unpack(data: bytes | None, dim: int) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(data, dtype=np.float16).reshape(-1, dim).astype(np.float32)


def remember(chunk_id: int, text: str, vectors: np.ndarray) -> None:
    _vectors[chunk_id] = (hash(text), vectors)


def lookup(chunk_id: int, text: str) -> np.ndarray | None:
    entry = _vectors.get(chunk_id)
    return entry[1] if entry is not None and entry[0] == hash(text) else None
