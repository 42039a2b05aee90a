"""Per-caller request rate limit (token bucket), so clients can test their 429 handling.

Off by default. With `[limits] requests_per_second = R` and `burst = B`, each caller
(project + user) may make B calls at once and R per second after that; the next call fails
with `RateLimitedError` (HTTP 429 with `Retry-After`, gRPC RESOURCE_EXHAUSTED with a
`retry-after` trailer) saying how long to wait.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable

from s3m_grpc.errors import RateLimitedError


class RateLimiter:
    """Token buckets keyed by caller."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, when)

    def check(self, key: Hashable) -> None:
        """Take one token for `key`, or raise `RateLimitedError` with the wait."""
        if self.rate <= 0:
            return
        now = self._clock()
        tokens, when = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - when) * self.rate)
        if tokens < 1.0:
            wait = (1.0 - tokens) / self.rate
            self._buckets[key] = (tokens, now)
            raise RateLimitedError(
                f"rate limit exceeded: at most {self.rate:g} requests per second "
                f"(burst {self.burst}); retry in {wait:.2f} s",
                retry_after=math.ceil(wait * 100) / 100,
            )
        self._buckets[key] = (tokens - 1.0, now)
