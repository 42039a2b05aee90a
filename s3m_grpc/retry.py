"""Backoff with jitter for polling, and a cooldown that skips a failed endpoint for a while.

Many clients polling one scheduler in lockstep is what peers' users complain about most; full
jitter spreads them out. The cooldown lets the auto transport stop paying a failed gRPC connect
on every call, then probe gRPC again once the cooldown has passed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator


def backoff(
    initial: float = 1.0,
    maximum: float = 30.0,
    factor: float = 1.6,
    *,
    rng: Callable[[], float] = random.random,
) -> Iterator[float]:
    """Endless delays: exponential growth to `maximum`, each with +/-50% jitter."""
    delay = initial
    while True:
        yield delay * (0.5 + rng())
        delay = min(maximum, delay * factor)


class Cooldown:
    """Remembers that something failed and says when it is worth trying again."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._until = 0.0

    def trip(self) -> None:
        self._until = self._clock() + self.seconds

    def reset(self) -> None:
        self._until = 0.0

    @property
    def active(self) -> bool:
        """True while the cooldown runs (skip the failed endpoint)."""
        return self._clock() < self._until
