"""Where an ingest's work runs. ``Ingester`` has one code path; an executor only decides
where its two kinds of work (``govai.ingest.work``) run:

- ``LocalExecutor``: in this process. A reader thread reads and chunks the next files while
  an embedding thread embeds the next batches (the model releases the GIL), and the ingest
  writes the batch before them: parsing, embedding and writing overlap.
- ``RayExecutor``: reading and chunking as Ray tasks, embedding (with screening and terms) in
  Ray actors that each hold the model; ``govai kb ingest --ray``.

Both give results in submission order and hold only a bounded number of files and batches in
flight (``depth``): back-pressure, so a fast reader never fills memory ahead of a slow model.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

from govai.embeddings.base import Embedder, get_embedder
from govai.errors import ConfigError
from govai.ingest.work import ChunkJob, EmbedResult, ReadResult, Screen, embed_batch, read_source


class Pending(Protocol):
    def result(self) -> EmbedResult: ...


class Executor(Protocol):
    depth: int  # embedding batches in flight at most

    def read(self, paths: list[Path]) -> Iterator[ReadResult]:
        """Every path's ``ReadResult``, in order, reading a few ahead."""

    def embed(self, jobs: list[ChunkJob]) -> Pending:
        """Start embedding a batch; ``result()`` waits for it."""

    def close(self) -> None: ...


def _in_order(paths: list[Path], start: Any, wait: Any, ahead: int) -> Iterator[ReadResult]:
    """Results of ``start(path)`` in order, with at most ``ahead`` started and not yet taken."""
    queue: deque[Any] = deque()
    remaining = iter(paths)
    for path in remaining:
        queue.append(start(path))
        if len(queue) >= ahead:
            break
    while queue:
        result = wait(queue.popleft())
        next_path = next(remaining, None)
        if next_path is not None:
            queue.append(start(next_path))
        yield result


class LocalExecutor:
    """Threads in this process: one reads ahead, one embeds ahead of the writes."""

    depth = 2

    def __init__(self, embedder: Embedder, screen: Screen | None, units: str = "eager", read_ahead: int = 2) -> None:
        self.embedder = embedder
        self.screen = screen
        self.units = units
        self.read_ahead = read_ahead
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="govai-read")
        self._embedder = ThreadPoolExecutor(1, thread_name_prefix="govai-embed")

    def read(self, paths: list[Path]) -> Iterator[ReadResult]:
        return _in_order(paths, lambda p: self._reader.submit(read_source, p), lambda f: f.result(), self.read_ahead)

    def embed(self, jobs: list[ChunkJob]) -> Pending:
        return self._embedder.submit(embed_batch, self.embedder, jobs, self.screen, self.units)

    def close(self) -> None:
        self._reader.shutdown(wait=True, cancel_futures=True)
        self._embedder.shutdown(wait=True, cancel_futures=True)


class _EmbedWorker:
    """A Ray actor: loads the embedder once by name, then embeds batch after batch."""

    def __init__(self, embedder: str, screen: Screen | None, units: str) -> None:
        self.embedder = get_embedder(embedder)
        self.screen = screen
        self.units = units

    def embed(self, jobs: list[ChunkJob]) -> EmbedResult:
        return embed_batch(self.embedder, jobs, self.screen, self.units)


class _RayPending:
    def __init__(self, ref: Any) -> None:
        self.ref = ref

    def result(self) -> EmbedResult:
        import ray

        return ray.get(self.ref)


# Passed to Ray's workers: they find the same GOVAI_HOME (cached models) and stay offline.
_WORKER_ENV = ("GOVAI_HOME", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "TOKENIZERS_PARALLELISM", "GOVAI_EMBED_THREADS")


class RayExecutor:
    """Reading and chunking as Ray tasks; embedding, screening and terms in ``workers`` actors
    that each keep the model loaded. Without ``address`` a local Ray instance is started with
    ``workers`` CPUs; with one (``HOST:PORT``, ``ray://HOST:PORT`` or ``auto``) the ingest joins
    that cluster, whose nodes need GovAI and the embedder installed."""

    def __init__(self, embedder: str, screen: Screen | None, units: str = "eager",
                 address: str | None = None, workers: int = 2) -> None:
        try:
            import ray
        except ImportError as exc:
            raise ConfigError("--ray needs the ray package (pip install ray)") from exc
        if workers < 1:
            raise ConfigError("Ray needs at least one worker")
        env = {k: os.environ[k] for k in _WORKER_ENV if k in os.environ}
        env.setdefault("GOVAI_EMBED_THREADS", "1")  # one model thread per worker: the workers are the parallelism
        self._started = not ray.is_initialized()
        if self._started:
            options: dict[str, Any] = {"runtime_env": {"env_vars": env}, "log_to_driver": False,
                                       "include_dashboard": False, "configure_logging": False}
            if address:
                ray.init(address=address, **options)
            else:  # a local instance: one CPU per worker
                ray.init(num_cpus=workers, **options)
        self.depth = 2 * workers
        # Half a CPU each: the actors and the reading tasks share the workers' CPUs.
        self._read_task = ray.remote(num_cpus=0.5, max_retries=2)(read_source)
        actor = ray.remote(num_cpus=0.5, max_restarts=1, max_task_retries=2)(_EmbedWorker)
        self._actors = [actor.remote(embedder, screen, units) for _ in range(workers)]
        self._next = 0
        self.workers = workers

    def read(self, paths: list[Path]) -> Iterator[ReadResult]:
        import ray

        return _in_order(paths, self._read_task.remote, ray.get, self.workers + 1)

    def embed(self, jobs: list[ChunkJob]) -> Pending:
        actor = self._actors[self._next % len(self._actors)]  # round robin: batches are the same size
        self._next += 1
        return _RayPending(actor.embed.remote(jobs))

    def close(self) -> None:
        import ray

        for actor in self._actors:
            ray.kill(actor)
        self._actors = []
        if self._started:
            ray.shutdown()
