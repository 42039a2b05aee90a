"""The rules of every poll: behind the shared job watcher (`s3m_grpc.watcher`, which serves
`Client.wait`, `wait_all`, `as_completed`, `watch`, `s3m wait`, `s3m submit --wait`) and the
queue view of `s3m watch` (`Poller`).

Polls come one per interval, growing with jitter (so many waiting clients do not poll in step).
What a wait is promised, whatever the server does:

- `timeout` bounds the whole wait, calls in flight included: each poll runs in the time left.
- An unreachable or overloaded server (`ConnectError`, `UnavailableError`,
  `DeadlineExceededError`, `RateLimitedError`) is tolerated for `outage_grace` seconds in a row,
  then that typed error is raised; a server's `Retry-After` is honoured up to `max_retry_after`,
  and a non-finite or negative one is ignored.
- "Not found" is tolerated for `not_found_grace` seconds from the start (accounting may not know
  a job in the first moments after its submit).

`WaitSettings` holds one wait's numbers, `Poller` runs one periodic step under those rules;
the watcher applies them to each of its subscriptions. Progress goes to an optional
`WaitProgress`.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from s3m_grpc.errors import (
    ConfigurationError,
    DeadlineExceededError,
    RateLimitedError,
    S3MError,
    UnavailableError,
    WaitTimeoutError,
)
from s3m_grpc.retry import RetryPolicy, backoff

if TYPE_CHECKING:
    from s3m_grpc.jobs import JobInfo

# Errors that mean "the server cannot answer right now" rather than "the answer is no".
OUTAGE_ERRORS: tuple[type[S3MError], ...] = (
    UnavailableError,  # ConnectError included
    DeadlineExceededError,
    RateLimitedError,
)
NOT_FOUND_GRACE = 30.0
OUTAGE_GRACE = 120.0
MAX_RETRY_AFTER = RetryPolicy().max_retry_after  # the same cap as the retry policy


class WaitProgress(Protocol):
    """Receives what a wait observes (the CLI's progress line is one)."""

    def update(self, job_id: str, state: str) -> None:
        """The latest state of a job (`"SUBMITTED"` while accounting does not know it yet)."""

    def note(self, text: str) -> None:
        """A remark, such as an outage the wait rides out."""


@dataclass(frozen=True, slots=True)
class WaitSettings:
    """How a wait polls and how long it tolerates what; see the module docstring."""

    timeout: float | None = None
    poll_interval: float = 2.0
    max_interval: float = 30.0
    not_found_grace: float = NOT_FOUND_GRACE
    outage_grace: float = OUTAGE_GRACE
    max_retry_after: float = MAX_RETRY_AFTER

    def __post_init__(self) -> None:
        if self.timeout is not None and not _positive(self.timeout):
            raise ConfigurationError(f"timeout must be a positive number: {self.timeout!r}")
        if not _positive(self.poll_interval) or not _positive(self.max_interval):
            raise ConfigurationError("poll_interval and max_interval must be positive numbers")
        for name in ("not_found_grace", "outage_grace", "max_retry_after"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ConfigurationError(f"{name} must be a number of seconds >= 0: {value!r}")


def _positive(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def retry_after_pause(exc: RateLimitedError, cap: float) -> float | None:
    """The pause a rate-limited server asks for, at most `cap`; None if it asks for none or for
    something that is not a finite, non-negative number of seconds."""
    value = exc.retry_after
    if value is None or not math.isfinite(value) or value < 0:
        return None
    return min(value, cap)


def state_text(job: JobInfo) -> str:
    """A job's raw SLURM state as one word list (`"RUNNING,COMPLETING"`)."""
    return raw_state_text(job.state_raw)


def raw_state_text(state_raw: tuple[str, ...]) -> str:
    """SLURM state words as one word list (`"RUNNING,COMPLETING"`)."""
    return ",".join(state_raw) or "UNKNOWN"


class Poller:
    """Runs one step per interval until a step says it is done: the timing, the timeout and the
    outage rules of the module docstring, for one periodic poll (the queue view of `s3m watch`)."""

    def __init__(
        self,
        settings: WaitSettings | None = None,
        progress: WaitProgress | None = None,
        *,
        steady: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings or WaitSettings()
        self.progress = progress
        self.steady = steady  # every `poll_interval` exactly (a display), not growing with jitter
        self._clock = clock
        self.started = clock()

    def elapsed(self) -> float:
        return self._clock() - self.started

    async def run(
        self,
        step: Callable[[float | None], Awaitable[bool]],
        timed_out: Callable[[], WaitTimeoutError] | None = None,
    ) -> None:
        """Call `step(seconds_left)` until it returns True. Raises `timed_out()` (by default a
        plain `WaitTimeoutError`) once `timeout` has passed (a step in flight is cancelled), or
        a step's outage error once the outage has lasted `outage_grace`."""
        s = self.settings
        if timed_out is None:
            timed_out = lambda: WaitTimeoutError(f"timed out after {s.timeout:g}s")  # noqa: E731
        self.started = self._clock()
        deadline = None if s.timeout is None else self.started + s.timeout
        delays = backoff(s.poll_interval, s.max_interval)
        failing_since: float | None = None
        while True:
            pause: float | None = None
            budget = None if deadline is None else deadline - self._clock()
            if budget is not None and budget <= 0:
                raise timed_out()
            try:
                if budget is None:
                    finished = await step(None)
                else:
                    finished = await asyncio.wait_for(step(budget), budget)
            except TimeoutError:
                raise timed_out() from None
            except OUTAGE_ERRORS as exc:
                now = self._clock()
                if deadline is not None and now >= deadline:
                    raise timed_out() from exc
                failing_since = now if failing_since is None else failing_since
                if now - failing_since >= s.outage_grace:
                    raise
                if self.progress is not None:
                    self.progress.note(f"{exc}; still waiting")
                if isinstance(exc, RateLimitedError):
                    pause = retry_after_pause(exc, s.max_retry_after)
            else:
                failing_since = None
                if finished:
                    return
            now = self._clock()
            if deadline is not None and now >= deadline:
                raise timed_out()
            if pause is None:
                pause = s.poll_interval if self.steady else next(delays)
            if deadline is not None:
                pause = min(pause, deadline - now)
            await asyncio.sleep(pause)
