"""Bounded retries of calls that are safe to repeat, as a wrapper around any Transport.

A client used all day meets brief outages: a restarting server (UNAVAILABLE, 503), a gateway
that times out (504) or a rate limit (429 with `Retry-After`). Like grpcio's retry policy,
Google's API core and urllib3's `Retry`, we retry such failures with jittered exponential
backoff, bounded in attempts and in total time, but only where repeating cannot do harm:

- idempotent calls (GETs: `MethodInfo.idempotent`) on `UnavailableError` (UNAVAILABLE, 502,
  503, lost connection), `RateLimitedError` (429 / RESOURCE_EXHAUSTED, waiting at least its
  `retry_after`) and a `DeadlineExceededError` that came back while the call's own time budget
  still had time left (a gateway's 504, not our deadline passing);
- submit and cancel (POST, DELETE) only when the failure proves nothing was done: the server
  was not reached (`ConnectError`, unless TLS refused the server's certificate: waiting
  will not fix that) or refused the call as rate limited. Anything else, above all
  `SubmitOutcomeUnknownError`, is raised as is: a job is never submitted twice.

`S3MClientFactory(retry=...)` (and the clients built on it) wraps every call in this, with
`DEFAULT_POLICY` unless told otherwise. The call's `timeout` (when given) is the budget of the
whole call, retries included: every attempt gets what is left of it. Without one, no attempt
starts after `total_timeout` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import betterproto2

from s3m_grpc.errors import (
    ConnectError,
    DeadlineExceededError,
    InvalidRequestError,
    RateLimitedError,
    S3MError,
    SubmitOutcomeUnknownError,
    UnavailableError,
)
from s3m_grpc.rpc import CallOptions, MethodInfo, Transport

log = logging.getLogger("s3m_grpc.retry")

# gRPC reports a reply over the receive limit as RESOURCE_EXHAUSTED (-> RateLimitedError);
# waiting does not make the reply smaller.
_SIZE_LIMIT_HINTS = ("larger than max", "message too large", "too large")
# A server whose certificate we do not trust will not become trusted by waiting.
_TLS_HINTS = ("certificate", "ssl", "tls")


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
            raise InvalidRequestError("RetryPolicy.max_attempts must be at least 1")
        for name in ("initial_backoff", "max_backoff", "total_timeout", "max_retry_after"):
            if getattr(self, name) < 0:
                raise InvalidRequestError(f"RetryPolicy.{name} must not be negative")
        if self.multiplier < 1:
            raise InvalidRequestError("RetryPolicy.multiplier must be at least 1")
        if not 0 <= self.jitter <= 1:
            raise InvalidRequestError("RetryPolicy.jitter must be between 0 and 1")

    def backoff(self, retry: int) -> float:
        """The delay before retry number `retry` (1 = the first retry), jitter applied."""
        base = min(self.max_backoff, self.initial_backoff * self.multiplier ** (retry - 1))
        return base * (1.0 - self.jitter * self.rng())

    def retryable(self, method: MethodInfo, exc: S3MError) -> bool:
        """Whether this failure of this method may be retried (time limits aside)."""
        if isinstance(exc, SubmitOutcomeUnknownError):
            return False
        if isinstance(exc, RateLimitedError):
            low = exc.message.lower()
            if any(h in low for h in _SIZE_LIMIT_HINTS):
                return False
            return method.idempotent or self.retry_writes_when_unsent
        if isinstance(exc, ConnectError):
            if any(h in exc.message.lower() for h in _TLS_HINTS):
                return False
            return method.idempotent or self.retry_writes_when_unsent
        if not method.idempotent:
            return False
        return isinstance(exc, UnavailableError | DeadlineExceededError)


NO_RETRY = RetryPolicy(max_attempts=1)
DEFAULT_POLICY = RetryPolicy()


class RetryingTransport:
    """A Transport that retries another Transport's calls under a `RetryPolicy`.

    Wrap a factory (or any transport) and give it to a stub:
    `SlurmIndirectStub(RetryingTransport(factory, RetryPolicy(max_attempts=5)))`.
    """

    def __init__(self, inner: Transport, policy: RetryPolicy = DEFAULT_POLICY) -> None:
        self.inner = inner
        self.policy = policy
        self.retries = 0  # retries made so far, all calls together

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.inner!r}, {self.policy!r})"

    async def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            await close()

    async def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> betterproto2.Message:
        policy = self.policy
        if policy.max_attempts == 1:
            return await self.inner.unary(method, message, options)
        loop = asyncio.get_running_loop()
        budget = options.get("timeout") if options else None
        deadline = loop.time() + (policy.total_timeout if budget is None else budget)
        attempt = 1
        while True:
            call_options = options
            if budget is not None:
                call_options = {**options, "timeout": max(0.0, deadline - loop.time())}
            try:
                return await self.inner.unary(method, message, call_options)
            except S3MError as exc:
                delay = self._delay(method, exc, attempt, deadline - loop.time())
                if delay is None:
                    raise
                log.info(
                    "%s failed (%s: %s); retry %d of %d in %.2f s",
                    method.name,
                    type(exc).__name__,
                    exc.message,
                    attempt,
                    policy.max_attempts - 1,
                    delay,
                )
            self.retries += 1
            attempt += 1
            await asyncio.sleep(delay)

    def _delay(self, method: MethodInfo, exc: S3MError, attempt: int, left: float) -> float | None:
        """Seconds to wait before the next attempt, or None to raise `exc` now."""
        policy = self.policy
        if attempt >= policy.max_attempts or not policy.retryable(method, exc):
            return None
        delay = policy.backoff(attempt)
        if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
            if exc.retry_after > policy.max_retry_after:
                return None
            delay = max(delay, exc.retry_after)
        # No time left for another attempt after the wait (this also stops our own deadline
        # passing from being retried: it leaves nothing of the budget).
        if delay >= left:
            return None
        return delay
