"""Unit (sentence) vectors of chunks: packed as float16 bytes per chunk, stored at ingest, or,
after a lazy ingest (``--unit-vectors lazy``), written back by the first answer that embeds them
(``UnitWriter``)."""

from __future__ import annotations

import atexit
import logging
import threading
from collections import deque
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from govai.store.knowledge import KnowledgeBase, KnowledgeStore

log = logging.getLogger(__name__)


def pack(vectors: np.ndarray) -> bytes:
    return np.asarray(vectors, dtype=np.float16).tobytes()


def unpack(data: bytes | None, dim: int) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(data, dtype=np.float16).reshape(-1, dim).astype(np.float32)


class UnitWriter:
    """Writes sentence vectors that answering embedded back to their chunk rows
    (``KnowledgeStore.keep_unit_vectors``) on one background thread with its own connection, so
    the answer never waits for the write. A write that fails is logged and dropped, as are writes
    beyond ``PENDING`` waiting ones: the next question over those passages embeds them again."""

    PENDING = 64
    EXIT_WAIT_S = 5.0  # at process exit, how long pending writes may still take

    def __init__(self, store: KnowledgeStore) -> None:
        self._store = store
        self._waiting: deque[tuple[KnowledgeBase, list[tuple[int, bytes]]]] = deque()
        self._busy = 0  # submitted and not yet finished
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, kb: KnowledgeBase, rows: list[tuple[int, bytes]]) -> None:
        """Queue (chunk id, packed vectors) rows of ``kb`` for writing; returns at once."""
        with self._changed:
            if self._busy >= self.PENDING:
                log.warning("sentence vectors of %d passages not stored: %d writes already wait", len(rows),
                            self._busy)
                return
            self._waiting.append((kb, rows))
            self._busy += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="govai-unit-writer", daemon=True)
                self._thread.start()
                atexit.register(self.wait, self.EXIT_WAIT_S)
            self._changed.notify_all()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Whether every write submitted so far has finished, after waiting up to ``timeout_s``."""
        with self._changed:
            return self._changed.wait_for(lambda: self._busy == 0, timeout_s)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._waiting))
                kb, rows = self._waiting.popleft()
            try:
                self._store.keep_unit_vectors(kb, rows)
            except Exception:  # noqa: BLE001 - the answer is given; storing the vectors only saves later work
                log.warning("could not store the sentence vectors of %d passages of %s", len(rows), kb.name,
                            exc_info=True)
            finally:
                with self._changed:
                    self._busy -= 1
                    self._changed.notify_all()
