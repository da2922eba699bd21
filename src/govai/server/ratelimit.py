"""Rate limits per API key and per end user, with the ``limits`` library: shared by every
worker and node through Redis when ``REDIS_URL`` is set, in this process otherwise."""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute, parse
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from govai.server.errors import ApiError

DEFAULT_KEY_RATE = 120  # requests a minute for a key that sets none


class RateLimits:
    def __init__(self, redis_url: str | None = None) -> None:
        self.storage: Storage = RedisStorage(redis_url) if redis_url else MemoryStorage()
        self.shared = redis_url is not None
        self.limiter = MovingWindowRateLimiter(self.storage)

    def check(self, scope: str, subject: str, per_minute: int) -> None:
        """Count one request for ``subject``; raise 429 with Retry-After when over the limit."""
        item = RateLimitItemPerMinute(per_minute)
        if self.limiter.hit(item, scope, subject):
            return
        reset = self.limiter.get_window_stats(item, scope, subject).reset_time
        retry = max(1, math.ceil(reset - time.time()))
        raise ApiError(429, "rate_limited", f"too many requests for this {scope.replace('_', ' ')}; "
                       f"try again in {retry} s", {"Retry-After": str(retry)})

    def healthy(self) -> bool:
        return bool(self.storage.check())


__all__ = ["DEFAULT_KEY_RATE", "RateLimits", "parse"]
