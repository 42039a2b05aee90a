"""Backoff with jitter, the retry policy, and a cooldown that skips a failed endpoint for a while.

Many clients polling one scheduler in lockstep is what peers' users complain about most; full
jitter spreads them out. `backoff_delay` is the one backoff formula: retries (`RetryPolicy`)
and polling (`backoff`) both use it. The cooldown lets the auto transport stop paying a failed
gRPC connect on every call, then probe gRPC again once the cooldown has passed.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from s3m_grpc.errors import (
    CertificateError,
    ConfigurationError,
    ConnectError,
    DeadlineExceededError,
    RateLimitedError,
    S3MError,
    UnavailableError,
)

if TYPE_CHECKING:
    from s3m_grpc.rpc import MethodInfo


def backoff_delay(
    attempt: int,
    initial: float,
    maximum: float,
    multiplier: float,
    jitter: float,
    rng: Callable[[], float] = random.random,
) -> float:
    """The delay before attempt number `attempt` (1 = the first retry or poll): exponential
    growth from `initial` up to `maximum`, shortened by a random fraction up to `jitter`."""
    base = min(maximum, initial * multiplier ** (attempt - 1))
    return base * (1.0 - jitter * rng())


def backoff(
    initial: float = 1.0,
    maximum: float = 30.0,
    factor: float = 1.6,
    *,
    jitter: float = 0.5,
    rng: Callable[[], float] = random.random,
) -> Iterator[float]:
    """Endless polling delays by `backoff_delay`."""
    attempt = 1
    while True:
        yield backoff_delay(attempt, initial, maximum, factor, jitter, rng)
        if initial * factor ** (attempt - 1) < maximum:
            attempt += 1


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry. The defaults ride over a server restart of a few
    seconds while keeping a failing call's extra wait under ~6 s and 30 s in total.

    Delays grow as `initial_backoff * multiplier**n` up to `max_backoff`, each shortened by a
    random fraction up to `jitter` (so many clients do not retry in lockstep). A 429's
    `Retry-After` is honoured: the delay is at least that, and if it is more than
    `max_retry_after` (or more than the time left) the error is raised at once instead.
    """

    max_attempts: int = 4
    initial_backoff: float = 0.25
    max_backoff: float = 4.0
    multiplier: float = 2.0
    jitter: float = 0.5
    total_timeout: float = 30.0
    max_retry_after: float = 30.0
    retry_writes_when_unsent: bool = True
    rng: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigurationError("RetryPolicy.max_attempts must be at least 1")
        for name in ("initial_backoff", "max_backoff", "total_timeout", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ConfigurationError(f"RetryPolicy.{name} must not be negative")
        if self.multiplier < 1:
            raise ConfigurationError("RetryPolicy.multiplier must be at least 1")
        if not 0 <= self.jitter <= 1:
            raise ConfigurationError("RetryPolicy.jitter must be between 0 and 1")

    def backoff(self, retry: int) -> float:
        """The delay before retry number `retry` (1 = the first retry), jitter applied."""
        return backoff_delay(
            retry, self.initial_backoff, self.max_backoff, self.multiplier, self.jitter, self.rng
        )

    def retryable(self, method: MethodInfo, exc: S3MError) -> bool:
        """Whether this failure of this method may be retried (time limits aside).

        Decided on the error's class alone: a refused certificate (`CertificateError`), a size
        limit (`RequestTooLargeError`, `ReplyTooLargeError`) or a call that may have been
        carried out (`OutcomeUnknownError`) is never retried.
        """
        if isinstance(exc, CertificateError):
            return False
        if isinstance(exc, RateLimitedError | ConnectError):
            return method.idempotent or self.retry_writes_when_unsent
        if not method.idempotent:
            return False
        return isinstance(exc, UnavailableError | DeadlineExceededError)

    def retry_after(self, exc: S3MError) -> float | None:
        """The wait a rate-limited server asked for, if within `max_retry_after`; None when it
        asked for nothing, and `math.inf` when it asked for longer than this policy waits."""
        if not isinstance(exc, RateLimitedError) or exc.retry_after is None:
            return None
        return exc.retry_after if exc.retry_after <= self.max_retry_after else math.inf


NO_RETRY = RetryPolicy(max_attempts=1)
DEFAULT_POLICY = RetryPolicy()


def retry_policy(retry: RetryPolicy | bool | None) -> RetryPolicy:
    """A `retry=` option: True (default policy), False/None (one attempt) or a policy."""
    if isinstance(retry, RetryPolicy):
        return retry
    if retry is True:
        return DEFAULT_POLICY
    if retry is False or retry is None:
        return NO_RETRY
    raise ConfigurationError(f"retry must be True, False or a RetryPolicy, not {retry!r}")


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
