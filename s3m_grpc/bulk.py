"""Many submits or cancels at once: bounded concurrency, an adaptive pace, one outcome per job.

A sweep of thousands of jobs sent with `asyncio.gather` hits the server all at once; behind a
rate limit most calls come back 429 together, their retries collide again, and the caller is
left with a mix of jobs and exceptions. `run_bulk` sends instead through a few workers
(`concurrency`) at a `Pace` that adapts to the server like TCP's congestion control (AIMD):

- while calls succeed the pace rises steadily (up to `rate`, if one is given);
- a call refused as rate limited cuts it (once per burst of refusals, not once per refusal),
  and nothing is sent before the server's `Retry-After` has passed. A `Retry-After` longer than
  the client's `RetryPolicy.max_retry_after` stops the batch: what was not sent is reported as
  rate limited, never silently dropped.

A call may be sent again only when it is proven that nothing was done (the client's
`RetryPolicy.retryable` decides: a rate-limit refusal, or `ConnectError`: never sent). Every
other failure, above all `SubmitOutcomeUnknownError`, is that job's outcome, and the others go
on (a failing `progress` callback is logged, not raised). When the server stays unreachable for
one job's whole retry budget, the jobs not yet sent are reported `ConnectError` (not sent) at
once rather than each retrying for as long. An exception that is not an `S3MError` (a bug)
stops the batch: nothing more is sent, and it is raised once the calls in flight have ended.

The outcomes come back in input order, one per job, as small typed records, so callers need no
isinstance checks: `SubmitOutcome` (`.ok`, `.job`, `.error`) and `CancelOutcome` (`.status`).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypedDict, TypeVar

from s3m_grpc.errors import (
    ConfigurationError,
    ConnectError,
    ErrorEntry,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitedError,
    S3MError,
    SlurmError,
)

if TYPE_CHECKING:
    from s3m_grpc.results import CancelResult
    from s3m_grpc.retry import RetryPolicy

log = logging.getLogger(__name__)

J = TypeVar("J")
R = TypeVar("R")
O = TypeVar("O")  # noqa: E741

DEFAULT_CONCURRENCY = 8
# A job refused as rate limited more often than this is reported rate limited (a server that
# never lets it through must not keep the batch running forever).
MAX_RATE_LIMITED = 50
# SLURM's "Job/step already completing or completed" (a cancel of a finished job).
ESLURM_ALREADY_DONE = 2021


class HasJobId(Protocol):
    """Anything that names a job by its `job_id` (what `submit` returns, a job handle)."""

    @property
    def job_id(self) -> int | str: ...


class SubmitOptions(TypedDict, total=False):
    """The keywords of `AsyncClient.submit` that `submit_many` applies to every job."""

    account: str | None
    partition: str | None
    time_limit: int | float | timedelta | str | None
    nodes: int | str | None
    tasks: int | None
    cpus_per_task: int | None
    cwd: str | None
    env: Mapping[str, str] | Sequence[str] | None
    name: str | None
    qos: str | None
    reservation: str | None
    stdout: str | None
    stderr: str | None
    extra: Mapping[str, Any] | None
    with_storage: bool
    timeout: float | None


@dataclass(frozen=True, slots=True)
class SubmitOutcome(Generic[J]):
    """What became of one job of `submit_many`: `job` (what `submit` returns) or `error`.

    `error` is a typed refusal (`InvalidRequestError`, `PermissionDeniedError`, ...), a
    `SubmitOutcomeUnknownError` (the job may exist: look before submitting it again), or a
    `ConnectError` / `RateLimitedError` for a job that was never sent (safe to send again).
    `sends` counts the calls made for it (refused and unsent ones included).
    """

    index: int
    job: J | None = None
    error: S3MError | None = None
    sends: int = 0

    @property
    def ok(self) -> bool:
        """True when the job was submitted."""
        return self.error is None

    @property
    def sent(self) -> bool:
        """False when the job certainly does not exist (refused or never sent); True when it
        was submitted or may have been (`SubmitOutcomeUnknownError`)."""
        return self.error is None or isinstance(self.error, OutcomeUnknownError)

    def unwrap(self) -> J:
        """The job, or raise the error."""
        if self.error is not None:
            raise self.error
        assert self.job is not None
        return self.job


class CancelStatus(StrEnum):
    """What a cancel did to one job."""

    CANCELLED = "cancelled"
    """Cancelled (or, with a signal, signalled)."""
    FINISHED = "finished"
    """The job had already finished: nothing to do."""
    NOT_FOUND = "not_found"
    """No such job."""
    DENIED = "denied"
    """The token may not cancel it (read-only token, another user's job)."""
    OUTCOME_UNKNOWN = "outcome_unknown"
    """The cancel may have reached the server but no answer came back."""
    FAILED = "failed"
    """Refused for another reason (see `error`), or never sent."""


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    """What `cancel_many` did to one job: `status`, the reply (`result`) or the `error`."""

    index: int
    job_id: str
    status: CancelStatus
    result: CancelResult | None = None
    error: S3MError | None = None

    @property
    def ok(self) -> bool:
        """True when the job is no longer running (cancelled, or it had already finished), or
        the signal was delivered."""
        return self.status in (CancelStatus.CANCELLED, CancelStatus.FINISHED)


@dataclass(frozen=True, slots=True)
class BulkProgress(Generic[O]):
    """Told to a `progress` callback each time one job's outcome is known."""

    done: int
    total: int
    failed: int
    rate_limited: int
    """Refusals as rate limited so far (each one paced and sent again)."""
    pace: float | None
    """Calls per second currently allowed; None while unpaced."""
    outcome: O


class Pace:
    """When the next call may start: additive increase while calls succeed, multiplicative
    decrease on a rate-limit refusal, and a pause for the server's `Retry-After`.

    `rate` is the ceiling in calls per second (None: no ceiling; the pace starts unpaced and
    is set from the measured call rate at the first refusal).
    """

    WINDOW = 1.0  # seconds over which the call rate is measured
    DECREASE = 0.7  # the pace after a refusal, as a fraction of the one that was refused
    RECOVERY = 2.0  # calls per second gained per second of success
    MIN_RATE = 0.2

    def __init__(self, rate: float | None = None, *, clock: Callable[[], float] = time.monotonic):
        if rate is not None and not (rate > 0 and math.isfinite(rate)):
            raise ConfigurationError(f"rate must be a positive number of calls per second: {rate}")
        self.ceiling = rate
        self.rate = rate
        self._clock = clock
        self._next = 0.0
        self._paused_until = 0.0
        self._last_cut = -math.inf
        self._recent: deque[float] = deque()
        self.refusals = 0

    async def turn(self) -> float:
        """Wait for this call's turn; returns when it starts (for `refused`)."""
        while True:
            now = self._clock()
            start = max(self._next, self._paused_until)
            if start <= now:
                break
            await asyncio.sleep(start - now)
        interval = 1.0 / self.rate if self.rate else 0.0
        self._next = max(now, self._next) + interval
        self._recent.append(now)
        while self._recent and self._recent[0] < now - self.WINDOW:
            self._recent.popleft()
        return now

    def succeeded(self) -> None:
        """A call went through: speed up a little (about `RECOVERY` calls/s per second)."""
        if self.rate is None:
            return
        self.rate += self.RECOVERY / self.rate
        if self.ceiling is not None:
            self.rate = min(self.rate, self.ceiling)

    def refused(self, started: float, retry_after: float | None) -> None:
        """A call that started at `started` was refused as rate limited, the server asking for
        `retry_after` seconds (None: it did not say)."""
        self.refusals += 1
        now = self._clock()
        if started >= self._last_cut:  # calls sent before the last cut do not cut again
            measured = len(self._recent) / self.WINDOW
            base = self.rate if self.rate is not None else measured
            self.rate = max(self.MIN_RATE, base * self.DECREASE)
            self._last_cut = now
        assert self.rate is not None
        wait = retry_after if retry_after is not None else 1.0 / self.rate
        self._paused_until = max(self._paused_until, now + wait)


@dataclass(slots=True)
class _Batch:
    """The shared state of one `run_bulk`: why the rest is not sent, and the counts."""

    stop: S3MError | None = None
    crash: Exception | None = None  # not an S3MError: a bug, raised once the workers stop
    done: int = 0
    failed: int = 0


async def run_bulk(
    items: Sequence[J],
    send: Callable[[J], Awaitable[R]],
    *,
    policy: RetryPolicy,
    resendable: Callable[[S3MError], bool],
    concurrency: int = DEFAULT_CONCURRENCY,
    rate: float | None = None,
    progress: Callable[[BulkProgress[SubmitOutcome[R]]], None] | None = None,
) -> list[SubmitOutcome[R]]:
    """Send every item with `send` (see the module docstring); one outcome each, in order.

    `resendable(error)` says whether a failed call proves nothing was done (the client's
    `RetryPolicy.retryable` for the method); `policy` gives the reconnect backoff, its
    attempts and the longest `Retry-After` honoured.
    """
    if concurrency < 1:
        raise ConfigurationError(f"concurrency must be at least 1, not {concurrency}")
    pace = Pace(rate)
    batch = _Batch()
    outcomes: list[SubmitOutcome[R] | None] = [None] * len(items)
    todo = deque(range(len(items)))

    async def one(index: int) -> SubmitOutcome[R]:
        sends = refusals = reconnects = 0
        while True:
            if batch.stop is not None:
                return SubmitOutcome(index, error=_not_sent(batch.stop), sends=sends)
            started = await pace.turn()
            sends += 1
            try:
                result = await send(items[index])
            except S3MError as exc:
                if not resendable(exc):
                    return SubmitOutcome(index, error=exc, sends=sends)
                if isinstance(exc, RateLimitedError):
                    wait = policy.retry_after(exc)
                    refusals += 1
                    if wait == math.inf or refusals > MAX_RATE_LIMITED:
                        batch.stop = batch.stop or exc
                        return SubmitOutcome(index, error=exc, sends=sends)
                    pace.refused(started, wait)
                    continue
                if isinstance(exc, ConnectError):
                    reconnects += 1
                    if reconnects >= policy.max_attempts:
                        batch.stop = batch.stop or exc
                        return SubmitOutcome(index, error=exc, sends=sends)
                    await asyncio.sleep(policy.backoff(reconnects))
                    continue
                return SubmitOutcome(index, error=exc, sends=sends)
            pace.succeeded()
            return SubmitOutcome(index, job=result, sends=sends)

    async def worker() -> None:
        while todo and batch.crash is None:
            index = todo.popleft()
            try:
                outcome = await one(index)
            except Exception as exc:  # not a failure of the call: stop sending, raise it
                batch.crash = batch.crash or exc
                return
            outcomes[index] = outcome
            batch.done += 1
            batch.failed += not outcome.ok
            if progress is not None:
                report = BulkProgress(
                    batch.done, len(items), batch.failed, pace.refusals, pace.rate, outcome
                )
                try:
                    progress(report)
                except Exception:  # a failing callback must not lose the other outcomes
                    log.exception("a submit_many/cancel_many progress callback failed")

    await asyncio.gather(*(worker() for _ in range(min(concurrency, len(items)))))
    if batch.crash is not None:
        raise batch.crash
    assert all(o is not None for o in outcomes)
    return outcomes  # type: ignore[return-value]


def _not_sent(cause: S3MError) -> S3MError:
    """The outcome of a job left unsent because the batch stopped on `cause`."""
    if isinstance(cause, RateLimitedError):
        return RateLimitedError(
            f"not sent: the server asked to wait longer than this client waits ({cause})",
            retry_after=cause.retry_after,
            errors=cause.errors,
        )
    return ConnectError(f"not sent: the server could not be reached ({cause})")


def cancel_outcome(index: int, job_id: str, outcome: SubmitOutcome[CancelResult]) -> CancelOutcome:
    """A cancel's outcome classified (`run_bulk` ran it like a submit)."""
    if outcome.job is not None:
        failure = _status_error(outcome.job)
        if failure is None:
            return CancelOutcome(index, job_id, CancelStatus.CANCELLED, result=outcome.job)
        status = _error_status(failure)
        return CancelOutcome(index, job_id, status, result=outcome.job, error=failure)
    assert outcome.error is not None
    return CancelOutcome(index, job_id, _error_status(outcome.error), error=outcome.error)


def _status_error(result: CancelResult) -> SlurmError | None:
    """The error SLURM put in an OK cancel reply's per-job status (e.g. already finished)."""
    for status in getattr(result.raw, "status", None) or ():
        error = status.error
        if error is not None and error.code:
            entry = ErrorEntry(error.code, error.string, "slurm_kill_job", error.message)
            return SlurmError(error.message or error.string, errors=(entry,))
    return None


def _error_status(error: S3MError) -> CancelStatus:
    if any(e.error_number == ESLURM_ALREADY_DONE for e in error.errors):
        return CancelStatus.FINISHED
    if isinstance(error, NotFoundError):
        return CancelStatus.NOT_FOUND
    if isinstance(error, PermissionDeniedError):
        return CancelStatus.DENIED
    if isinstance(error, OutcomeUnknownError):
        return CancelStatus.OUTCOME_UNKNOWN
    return CancelStatus.FAILED
