"""Circuit breakers and retry back-off for model providers.

A breaker per provider (process-wide) stops sending requests to an endpoint that
keeps failing, so requests fall back at once instead of waiting for timeouts;
after ``reset_s`` one trial request is let through (half-open) and its result
closes or re-opens the circuit.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from govai.errors import ProviderError

T = TypeVar("T")


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass
class CircuitBreaker:
    failures_to_open: int = 3
    reset_s: float = 60.0
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    opened_at: float | None = None
    _trial_out: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def state(self) -> BreakerState:
        if self.opened_at is None:
            return BreakerState.CLOSED
        if self.clock() - self.opened_at >= self.reset_s:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """May a request go through now? In half-open state only one trial at a time."""
        with self._lock:
            state = self.state
            if state is BreakerState.CLOSED:
                return True
            if state is BreakerState.HALF_OPEN and not self._trial_out:
                self._trial_out = True
                return True
            return False

    def succeeded(self) -> None:
        with self._lock:
            self.failures = 0
            self.opened_at = None
            self._trial_out = False

    def failed(self) -> None:
        with self._lock:
            self.failures += 1
            if self._trial_out or self.failures >= self.failures_to_open:
                self.opened_at = self.clock()
            self._trial_out = False


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(name: str, failures_to_open: int, reset_s: float) -> CircuitBreaker:
    """The process-wide breaker of one provider (settings follow its latest spec)."""
    with _breakers_lock:
        breaker = _breakers.get(name)
        if breaker is None:
            breaker = _breakers[name] = CircuitBreaker(failures_to_open, reset_s)
        breaker.failures_to_open, breaker.reset_s = failures_to_open, reset_s
        return breaker


def reset_breakers() -> None:
    """Forget every breaker (a fresh process state; used by tests and reloads)."""
    with _breakers_lock:
        _breakers.clear()


def backoff_delay(attempt: int, base_s: float, cap_s: float = 8.0) -> float:
    """Exponential back-off with full jitter: attempt 1 waits up to base, 2 up to 2*base..."""
    if base_s <= 0:
        return 0.0
    return random.uniform(0, min(cap_s, base_s * 2 ** (attempt - 1)))


class TransientProviderError(ProviderError):
    """A failure worth retrying: timeout, connection error, 5xx, 429, malformed reply."""


class PermanentProviderError(ProviderError):
    """A failure retrying will not fix: bad key, unknown model, bad request."""


class CircuitOpen(ProviderError):
    """The provider's circuit is open: it failed repeatedly and is resting."""


@dataclass(frozen=True)
class Attempt:
    """One try at one provider, for the audit trail (no content, no secrets)."""

    provider: str
    attempt: int
    ok: bool
    error: str | None = None  # error class name
    message: str | None = None  # short, secret-free description
    ms: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class Resilience:
    """Retries with back-off behind a circuit breaker, for one provider."""

    def __init__(
        self,
        name: str,
        *,
        max_retries: int,
        backoff_s: float,
        breaker_failures: int,
        breaker_reset_s: float,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = name
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.breaker = breaker_for(name, breaker_failures, breaker_reset_s)
        self.sleep = sleep

    def run(self, fn: Callable[[], T], attempts: list[Attempt] | None = None) -> T:
        """Call ``fn`` until it succeeds, a permanent error, or the retries run out.

        Raises the last error (``CircuitOpen`` when the breaker refuses the call).
        """
        log = attempts if attempts is not None else []
        for attempt in range(1, self.max_retries + 2):
            if not self.breaker.allow():
                err = CircuitOpen(
                    f"provider {self.name!r} is resting after {self.breaker.failures} failures "
                    f"(circuit open; retried after {self.breaker.reset_s:g}s)"
                )
                log.append(Attempt(self.name, attempt, False, "CircuitOpen", str(err)))
                raise err
            start = time.perf_counter()
            try:
                result = fn()
            except Exception as exc:  # any failure is recorded, then retried or raised
                ms = (time.perf_counter() - start) * 1000
                self.breaker.failed()
                transient = isinstance(exc, TransientProviderError)
                log.append(Attempt(self.name, attempt, False, type(exc).__name__, _short(exc), round(ms, 1)))
                if not transient or attempt > self.max_retries:
                    if isinstance(exc, ProviderError):
                        raise
                    raise ProviderError(f"provider {self.name!r} failed: {type(exc).__name__}: {_short(exc)}") from exc
                self.sleep(backoff_delay(attempt, self.backoff_s))
                continue
            self.breaker.succeeded()
            log.append(Attempt(self.name, attempt, True, ms=round((time.perf_counter() - start) * 1000, 1)))
            return result
        raise AssertionError("unreachable")  # the loop always returns or raises


def _short(exc: BaseException, limit: int = 200) -> str:
    text = " ".join(str(exc).split())
    return text[:limit] + ("…" if len(text) > limit else "")
