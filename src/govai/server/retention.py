"""Retention on a schedule inside the server.

Every ``GOVAI_RETENTION_INTERVAL_S`` seconds (default 3600; ``0`` turns it off) one worker of one
node applies each service's retention:

- the audit trail: records older than ``retention.audit_days`` are pruned (the audit ``prune``:
  the chain is verified first, and the removal is recorded in it, signed);
- conversations past their ``delete_after`` (set from ``retention.conversation_days`` when they
  began) are deleted, with their messages, feedback and PII-vault mappings; review items past
  their own ``delete_after`` too;
- PII-vault mappings not used for ``retention.conversation_days`` are erased (those of another
  service's conversations are that service's business; a mapping with no conversation left goes
  after the longest period of any service).

Only one worker does it: the first to take a PostgreSQL advisory lock keeps it, on a connection
of its own, for as long as it lives, and runs every pass; the others try at each pass and stand
by. When that worker dies, its connection closes, the lock is freed and the next worker to try
takes over. Passes start on the same wall-clock boundaries in every worker (multiples of the
interval), so a takeover happens at the next one. Every node should serve the same services:
the leader applies the retention of the services it knows.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import anyio.to_thread
import psycopg
from prometheus_client import Counter

from govai.errors import ConfigError, GovAIError

if TYPE_CHECKING:
    from govai.server.state import ServerState

log = logging.getLogger("govai.server.retention")

INTERVAL_ENV = "GOVAI_RETENTION_INTERVAL_S"
DEFAULT_INTERVAL_S = 3600.0
LOCK_KEY = 7423003  # pg_try_advisory_lock(bigint): the retention leader (7423001/2 are the store's)

PASSES = Counter("govai_retention_passes_total", "Retention passes by result", ["result"])
REMOVED = Counter("govai_retention_removed_total", "Rows removed by retention", ["what"])


def interval_from_environment() -> float:
    """Seconds between passes; 0 means retention does not run inside the server."""
    raw = os.environ.get(INTERVAL_ENV, "").strip()
    if not raw:
        return DEFAULT_INTERVAL_S
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{INTERVAL_ENV} must be a number of seconds (0 turns it off), not {raw!r}") from None
    if value < 0 or value != value:
        raise ConfigError(f"{INTERVAL_ENV} must be 0 (off) or more")
    return value


@dataclass
class RetentionPass:
    """What one pass removed (counts only: never an id or any text)."""

    started_at: float
    audit_pruned: dict[str, int] = field(default_factory=dict)  # service -> records pruned
    audit_skipped: dict[str, str] = field(default_factory=dict)  # service -> why not pruned
    conversations: int = 0
    messages: int = 0
    feedback: int = 0
    review_items: int = 0
    vault_mappings: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RetentionScheduler:
    def __init__(self, state: ServerState, interval_s: float) -> None:
        if interval_s <= 0:
            raise ValueError("the retention interval must be positive")
        self.state = state
        self.interval_s = interval_s
        self._lock_conn: psycopg.Connection | None = None
        self._guard = threading.Lock()  # one pass at a time in this process
        self.passes = 0  # passes this worker ran (as the leader)

    # --- leadership ---------------------------------------------------------------------
    @property
    def leading(self) -> bool:
        return self._lock_conn is not None and not self._lock_conn.closed

    def _lead(self) -> bool:
        """Whether this worker is (or has just become) the one that runs retention."""
        if self._lock_conn is not None:
            try:
                self._lock_conn.execute("SELECT 1")  # still connected, so still holding the lock
                return True
            except psycopg.Error:
                self._drop_lock()
        conn = self.state.db.connect()
        try:
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()
        except psycopg.Error:
            conn.close()
            raise
        if row and row[0]:
            self._lock_conn = conn
            log.info("this worker runs retention (pid %d)", os.getpid())
            return True
        conn.close()
        return False

    def _drop_lock(self) -> None:
        conn, self._lock_conn = self._lock_conn, None
        if conn is not None and not conn.closed:
            try:
                # Unlock first: the server frees a closed session's locks only when its backend notices the
                # disconnect, so a worker stopping cleanly would otherwise leave the others waiting a moment.
                conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
            except psycopg.Error:
                pass
            try:
                conn.close()  # the session ends, and the lock with it
            except psycopg.Error:
                pass

    def close(self) -> None:
        """Give up leading (a pass still running in its thread finishes on its own connection)."""
        self._drop_lock()

    # --- one pass -------------------------------------------------------------------------
    def run_once(self) -> RetentionPass | None:
        """Apply retention now if this worker leads; None when another one does."""
        with self._guard:
            if not self._lead():
                PASSES.labels("standby").inc()
                return None
            started = time.monotonic()
            done = RetentionPass(started_at=time.time())
            try:
                # A connection of the pass's own, closed after it: the thread that runs a pass is
                # not the same every time, and a thread's own connection would outlive it.
                with self.state.db.connect() as conn:
                    self._audit(conn, done)
                    self._conversations(conn, done)
                    self._vault(conn, done)
            except Exception:
                PASSES.labels("failed").inc()
                raise
            done.seconds = round(time.monotonic() - started, 3)
            self.passes += 1
            PASSES.labels("ok").inc()
            for what in ("conversations", "messages", "feedback", "review_items", "vault_mappings"):
                REMOVED.labels(what).inc(getattr(done, what))
            REMOVED.labels("audit_records").inc(sum(done.audit_pruned.values()))
            log.info(json.dumps({"retention": done.as_dict()}))
            return done

    def _audit(self, conn: psycopg.Connection, done: RetentionPass) -> None:
        from govai.policy.audit.chain import AuditError
        from govai.policy.audit.keys import load_signer
        from govai.policy.audit.retention import prune

        if load_signer(create=False) is None:
            # No key here (kept off the application hosts on purpose, or none made yet): a prune
            # must be signed, so it is left to `govai audit prune` run where the key is.
            for name in self.state.catalogue.names():
                done.audit_skipped[name] = "no audit signing key configured"
            return
        for name in self.state.catalogue.names():
            days = self.state.catalogue.services[name].profile.retention.audit_days
            try:
                done.audit_pruned[name] = prune(conn, name, days).pruned
            except (AuditError, GovAIError, psycopg.Error) as exc:
                # One chain that does not verify must not stop the others' retention.
                done.audit_skipped[name] = type(exc).__name__
                log.error("retention: the audit records of service %r were not pruned: %s", name, exc)

    def _conversations(self, conn: psycopg.Connection, done: RetentionPass) -> None:
        """Conversations past delete_after, with what hangs off them; review items past theirs."""
        with conn.transaction():
            due = "SELECT id FROM conversation WHERE delete_after < now()"
            done.feedback = conn.execute(
                f"DELETE FROM feedback WHERE request_id IN (SELECT request_id FROM message WHERE conversation_id IN"
                f" ({due}))").rowcount
            done.vault_mappings += conn.execute(f"DELETE FROM pii_vault WHERE conversation_id IN ({due})").rowcount
            done.messages = conn.execute(f"DELETE FROM message WHERE conversation_id IN ({due})").rowcount
            done.conversations = conn.execute("DELETE FROM conversation WHERE delete_after < now()").rowcount
            done.review_items = conn.execute("DELETE FROM review_queue WHERE delete_after < now()").rowcount

    def _vault(self, conn: psycopg.Connection, done: RetentionPass) -> None:
        """PII-vault mappings idle for longer than their service keeps conversations."""
        longest = 1
        with conn.transaction():
            for name in self.state.catalogue.names():
                days = max(self.state.catalogue.services[name].profile.retention.conversation_days, 1)
                longest = max(longest, days)
                done.vault_mappings += conn.execute(
                    "DELETE FROM pii_vault v USING conversation c WHERE c.id = v.conversation_id AND c.service = %s"
                    " AND v.updated_at < now() - make_interval(days => %s)", (name, days)).rowcount
            done.vault_mappings += conn.execute(
                "DELETE FROM pii_vault v WHERE v.updated_at < now() - make_interval(days => %s)"
                " AND NOT EXISTS (SELECT 1 FROM conversation c WHERE c.id = v.conversation_id)", (longest,)).rowcount

    # --- the schedule ---------------------------------------------------------------------
    def seconds_to_next(self, now: float | None = None) -> float:
        """Until the next multiple of the interval (the same instant in every worker)."""
        now = time.time() if now is None else now
        return self.interval_s - (now % self.interval_s)

    async def run_forever(self) -> None:
        limiter = anyio.CapacityLimiter(1)  # not one of the request threads
        while True:
            await anyio.sleep(self.seconds_to_next())
            try:
                await anyio.to_thread.run_sync(self.run_once, limiter=limiter, abandon_on_cancel=True)
            except Exception as exc:  # a failed pass is logged and tried again at the next one
                log.error("retention pass failed: %s: %s", type(exc).__name__, exc)


@asynccontextmanager
async def scheduled(state: ServerState | None, interval_s: float | None = None) -> AsyncIterator[
        RetentionScheduler | None]:
    """Run retention in the background for as long as the block runs (the app's lifespan)."""
    interval = interval_from_environment() if interval_s is None else interval_s
    if state is None or interval <= 0:
        yield None
        return
    scheduler = RetentionScheduler(state, interval)
    task = asyncio.get_running_loop().create_task(scheduler.run_forever(), name="govai-retention")
    try:
        yield scheduler
    finally:
        task.cancel()
        try:
            await task
        except BaseException:  # cancelled, as asked
            pass
        scheduler.close()
