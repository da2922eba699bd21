"""Circuit breaker, retries and back-off (no network, no sleeping: a fake clock)."""

from __future__ import annotations

import pytest

from govai.errors import ProviderError
from govai.providers.resilience import (
    BreakerState,
    CircuitBreaker,
    CircuitOpen,
    PermanentProviderError,
    Resilience,
    TransientProviderError,
    backoff_delay,
    reset_breakers,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _fresh() -> None:
    reset_breakers()


def test_breaker_opens_after_consecutive_failures_and_half_opens_later() -> None:
    clock = Clock()
    b = CircuitBreaker(failures_to_open=3, reset_s=30, clock=clock)
    for _ in range(2):
        assert b.allow()
        b.failed()
    assert b.state is BreakerState.CLOSED
    b.failed()
    assert b.state is BreakerState.OPEN and not b.allow()
    clock.now += 29
    assert not b.allow()
    clock.now += 1
    assert b.state is BreakerState.HALF_OPEN
    assert b.allow()  # one trial request
    assert not b.allow()  # and only one at a time
    b.failed()  # the trial failed: open again, for another reset period
    assert b.state is BreakerState.OPEN
    clock.now += 30
    assert b.allow()
    b.succeeded()
    assert b.state is BreakerState.CLOSED and b.failures == 0


def test_success_resets_the_failure_count() -> None:
    b = CircuitBreaker(failures_to_open=2, reset_s=30, clock=Clock())
    b.failed()
    b.succeeded()
    b.failed()
    assert b.state is BreakerState.CLOSED


def scripted(*outcomes: object):
    """A call that raises or returns each outcome in turn, counting calls."""
    queue = list(outcomes)
    calls = []

    def call() -> object:
        calls.append(1)
        item = queue.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item

    return call, calls


def make(name: str = "p", retries: int = 2, failures: int = 5) -> tuple[Resilience, list[float]]:
    slept: list[float] = []
    r = Resilience(name, max_retries=retries, backoff_s=0.5, breaker_failures=failures, breaker_reset_s=60,
                   sleep=slept.append)
    return r, slept


def test_transient_errors_are_retried_with_backoff() -> None:
    r, slept = make()
    call, calls = scripted(TransientProviderError("503"), TransientProviderError("timeout"), "ok")
    attempts: list = []
    assert r.run(call, attempts) == "ok"
    assert len(calls) == 3 and len(slept) == 2
    assert 0 <= slept[0] <= 0.5 and 0 <= slept[1] <= 1.0
    assert [a.ok for a in attempts] == [False, False, True]
    assert attempts[0].error == "TransientProviderError" and attempts[0].message == "503"


def test_retries_run_out() -> None:
    r, _ = make(retries=1)
    call, calls = scripted(TransientProviderError("a"), TransientProviderError("b"), "never")
    with pytest.raises(TransientProviderError, match="b"):
        r.run(call)
    assert len(calls) == 2


def test_permanent_errors_and_bugs_are_not_retried() -> None:
    r, _ = make()
    call, calls = scripted(PermanentProviderError("401"), "never")
    with pytest.raises(PermanentProviderError):
        r.run(call)
    assert len(calls) == 1
    call, calls = scripted(KeyError("bug"), "never")
    with pytest.raises(ProviderError, match="KeyError"):
        r.run(call)
    assert len(calls) == 1


def test_open_circuit_refuses_without_calling() -> None:
    r, _ = make(name="flaky", retries=0, failures=2)
    for _ in range(2):
        call, _ = scripted(TransientProviderError("down"))
        with pytest.raises(TransientProviderError):
            r.run(call)
    call, calls = scripted("ok")
    attempts: list = []
    with pytest.raises(CircuitOpen, match="resting after 2 failures"):
        r.run(call, attempts)
    assert calls == [] and attempts[0].error == "CircuitOpen"
    # The breaker is per provider and shared across Resilience objects (one per request).
    other, _ = make(name="flaky")
    with pytest.raises(CircuitOpen):
        other.run(scripted("ok")[0])
    healthy, _ = make(name="healthy")
    assert healthy.run(scripted("ok")[0]) == "ok"


def test_backoff_grows_and_is_capped() -> None:
    assert backoff_delay(1, 0) == 0
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (10, 8.0)]:
        assert all(0 <= backoff_delay(attempt, 0.5) <= ceiling for _ in range(50))
