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
`DEFAULT_POLICY` unless told otherwise; a call's `retry=` option replaces it for that call.
The call's `timeout` (when given) is the budget of the
whole call, retries included: every attempt gets what is left of it. Without one, no attempt
starts after `total_timeout` seconds.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import betterproto2

from s3m_grpc import observe
from s3m_grpc.errors import S3MError
from s3m_grpc.retry import DEFAULT_POLICY, NO_RETRY, RetryPolicy, retry_policy
from s3m_grpc.transports.base import CallOptions, Transport

if TYPE_CHECKING:
    from s3m_grpc.rpc import MethodInfo

__all__ = ["DEFAULT_POLICY", "NO_RETRY", "RetryPolicy", "RetryingTransport"]

log = logging.getLogger(__name__)


class RetryingTransport:
    """A Transport that retries another Transport's calls under a `RetryPolicy`.

    Wrap any transport and give it to a stub:
    `SlurmIndirectStub(RetryingTransport(factory.transport, RetryPolicy(max_attempts=5)))`.
    """

    def __init__(
        self,
        inner: Transport,
        policy: RetryPolicy = DEFAULT_POLICY,
        *,
        default_timeout: float | None = None,
    ) -> None:
        """`default_timeout` is the budget of a call that names no `timeout` of its own (an
        explicit `timeout=None` means no deadline)."""
        self.default_timeout = default_timeout
        self.inner = inner
        self.policy = policy
        self.retries = 0  # retries made so far, all calls together

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.inner!r}, {self.policy!r})"

    async def close(self) -> None:
        await self.inner.close()

    async def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> betterproto2.Message:
        # A call's own `retry` wins (inner transports ignore the key).
        policy = retry_policy(options["retry"]) if "retry" in options else self.policy
        if policy.max_attempts == 1:
            return await self.inner.unary(method, message, options)
        loop = asyncio.get_running_loop()
        budget = options.get("timeout", self.default_timeout)
        deadline = loop.time() + (policy.total_timeout if budget is None else budget)
        attempt = 1
        while True:
            call_options = options
            if budget is not None:
                call_options = {**options, "timeout": max(0.0, deadline - loop.time())}
            try:
                return await self.inner.unary(method, message, call_options)
            except S3MError as exc:
                delay = _delay(policy, method, exc, attempt, deadline - loop.time())
                if delay is None:
                    raise
                if (record := observe.current()) is not None:
                    record.retry(exc, delay, policy.retry_after(exc))
                else:
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


def _delay(
    policy: RetryPolicy, method: MethodInfo, exc: S3MError, attempt: int, left: float
) -> float | None:
    """Seconds to wait before the next attempt, or None to raise `exc` now."""
    if attempt >= policy.max_attempts or not policy.retryable(method, exc):
        return None
    delay = max(policy.backoff(attempt), policy.retry_after(exc) or 0.0)
    # No time left for another attempt after the wait (this also stops our own deadline
    # passing from being retried: it leaves nothing of the budget; an over-long
    # Retry-After is infinite here).
    if delay >= left:
        return None
    return delay
