"""A cache of the embeddings an evaluation run computes, kept between runs.

An evaluation asks the same questions run after run, and the answers read the same passages, so
most of its time went on embedding texts it had embedded before (the question, and the sentences
of passages whose vectors were not stored at ingest). The cache keeps each vector under the
SHA-256 of its text, in one file per embedding model
(``$GOVAI_HOME/evals/.embedding-cache/<model>.npz``), the model named by its name, dimension and
the hash of its weights as the asset inventory computes it: a new model never reads another
model's vectors. A vector read from the cache is the vector the model gives for that text, so no
figure changes; only the latency figures are smaller, and the run says how many texts were read
from the cache (``timing.embedding_cache``).

What is not cached is embedded as before, small batches on one thread (``_one_thread``). Only an
in-process embedder is cached: a remote embedding API may change behind the same name,
and its calls are the deployment's own to make. Model access is untouched: the pipeline still
asks for its grant before it embeds, whether the vector then comes from the cache or the model.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

CACHE_DIR = ".embedding-cache"
MAX_ENTRIES = 200_000  # about 300 MB at 384 dimensions; past this the file is not grown
SMALL_BATCH = 16  # texts embedded on one thread (see _one_thread)


@contextmanager
def _one_thread(small: bool) -> Iterator[None]:
    """Embed a small batch (a question, a passage's few sentences) on one thread. Torch's threads
    wait for each other at every layer; on a machine whose cores are busy a one-question embedding
    then took 556 ms with two threads against 25 ms with one (measured here; the vectors differ by
    about 1e-7, as a text embedded alone and in a batch do)."""
    torch = sys.modules.get("torch")
    if not small or torch is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class CachedEmbedder:
    """An embedder whose vectors are remembered by text. The model itself is loaded only when a
    text is not in the cache (a run whose texts are all cached never loads it)."""

    def __init__(self, load: Callable[[], Any], name: str, dim: int | None, path: Path) -> None:
        self._load = load
        self._real: Any = None
        self.name = name
        self.remote = False
        self._dim = dim
        self.path = path
        self._lock = threading.Lock()
        self._vectors: dict[str, np.ndarray] = {}
        self._new = 0
        self.hits = 0
        self.misses = 0
        self._read()

    # --- the embedder ------------------------------------------------------------------------
    @property
    def real(self) -> Any:
        if self._real is None:
            self._real = self._load()
        return self._real

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self.real.dim)
        return self._dim

    def __getattr__(self, item: str) -> Any:  # anything else the embedder offers
        if item.startswith("_"):
            raise AttributeError(item)
        return getattr(self.real, item)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [_digest(t) for t in texts]
        with self._lock:
            found = [self._vectors.get(k) for k in keys]
        missing = [i for i, v in enumerate(found) if v is None]
        embedded = 0
        if missing:
            todo: dict[str, str] = {}
            for i in missing:
                todo.setdefault(keys[i], texts[i])
            embedded = len(todo)  # a text repeated in one call is embedded once
            real = self.real
            with _one_thread(len(todo) <= SMALL_BATCH):
                computed = np.asarray(real.embed(list(todo.values())), dtype=np.float32)
            fresh = dict(zip(todo, computed, strict=True))
            with self._lock:
                for key, vector in fresh.items():
                    if key not in self._vectors:
                        self._vectors[key] = vector
                        self._new += 1
            for i in missing:
                found[i] = fresh[keys[i]]
        with self._lock:
            self.misses += embedded
            self.hits += len(texts) - embedded
        return np.stack(found).astype(np.float32, copy=False)  # type: ignore[arg-type]

    # --- the file ----------------------------------------------------------------------------
    def _read(self) -> None:
        if not self.path.is_file():
            return
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
                if vectors.ndim != 2 or len(keys) != len(vectors) or (self._dim and vectors.shape[1] != self._dim):
                    raise ValueError("keys and vectors do not match")
                self._vectors = {str(k): v for k, v in zip(keys, vectors.astype(np.float32), strict=True)}
        except (OSError, ValueError, KeyError) as exc:  # a damaged cache is rebuilt, never trusted
            log.warning("embedding cache %s not read (%s): it will be rebuilt", self.path, exc)
            self._vectors = {}

    def save(self) -> None:
        """Write the cache if this run added to it (atomically: a reader never sees half a file)."""
        with self._lock:
            if not self._new or not self._vectors:
                return
            items = list(self._vectors.items())[-MAX_ENTRIES:]
            self._new = 0
        keys = np.array([k for k, _ in items], dtype="U64")
        vectors = np.stack([v for _, v in items]).astype(np.float32)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            np.savez(fh, keys=keys, vectors=vectors)
        os.replace(tmp, self.path)

    def stats(self) -> dict[str, Any]:
        total = self.hits + self.misses
        return {"file": str(self.path), "entries": len(self._vectors), "texts": total, "from_cache": self.hits,
                "embedded": self.misses, "hit_rate": round(self.hits / total, 4) if total else None}


def _register_embedders() -> None:
    """Import the embedder modules (each registers its embedders; none loads a model on import)."""
    import importlib
    import pkgutil

    import govai.embeddings as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name != "base":
            try:
                importlib.import_module(f"govai.embeddings.{module.name}")
            except ImportError as exc:  # an optional embedder's package is missing: the others still register
                log.debug("embedder module %s not imported: %s", module.name, exc)


def install(runtime: Any, model: dict[str, Any], folder: Path) -> CachedEmbedder | None:
    """Give ``runtime`` a cached embedder, before anything has used its embedder. ``model`` is
    the asset inventory's entry for the embedding model (its name, version and weights' hash).
    Returns None (and changes nothing) for a remote embedder, a model without a known hash, or a
    runtime whose embedder was given to it or is already in use."""
    from govai.embeddings.base import embedders, get_embedder

    services = runtime.services
    if "embedder" in services.__dict__ or "retriever" in services.__dict__:
        return None
    name = services.settings.embedder
    sha = model.get("sha256")
    if model.get("kind") != "in_process" or not isinstance(sha, str) or sha.startswith("unavailable"):
        return None
    _register_embedders()
    try:
        factory = embedders.get(name)
    except Exception:  # an unknown name: let the runtime say so as it would
        return None
    dim = getattr(factory, "dim", None)
    if getattr(factory, "remote", False):
        return None
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    path = folder / CACHE_DIR / f"{safe}-{dim or 'x'}-{sha[:16]}.npz"
    cached = CachedEmbedder(lambda: get_embedder(name), name, int(dim) if dim else None, path)
    services.__dict__["embedder"] = cached
    return cached
