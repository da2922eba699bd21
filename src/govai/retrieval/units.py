"""Packing of unit (sentence) vectors: stored at ingest as float16 bytes per chunk."""

from __future__ import annotations

import numpy as np


def pack(vectors: np.ndarray) -> bytes:
    return np.asarray(vectors, dtype=np.float16).tobytes()


def unpack(data: bytes | None, dim: int) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(data, dtype=np.float16).reshape(-1, dim).astype(np.float32)
