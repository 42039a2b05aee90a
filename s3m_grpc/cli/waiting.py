"""Polling jobs until they end: `s3m wait`, `s3m submit --wait`.

Polls GetJob with a growing interval (quick first answers, gentle on the server later), reports
every state change through `Progress`, and tolerates the short window after a submit in which
SLURM's accounting does not know the job yet.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from s3m_grpc.cli.exitcodes import WaitTimeoutError
from s3m_grpc.cli.output import job_state
from s3m_grpc.cli.progress import Progress
from s3m_grpc.cli.session import Session

FIRST_POLL = 0.2
GROWTH = 1.5
# How long a just-submitted job may be missing from accounting before "not found" is final.
NOT_FOUND_GRACE = 30.0
# How long the server may stay unreachable (or keep rate limiting) before a wait gives up.
OUTAGE_GRACE = 120.0


@dataclass(slots=True)
class Finished:
    """A job's last reply (contract-JSON dict and message) and its final raw state."""

    job_id: str
    state: str
    reply: dict[str, Any]
    message: Any

    @property
    def succeeded(self) -> bool:
        from s3m_grpc.states import JobState, base_state

        return base_state(self.state.split(",")) is JobState.COMPLETED

    @property
    def job(self) -> dict[str, Any]:
        jobs = self.reply.get("jobs") or [{}]
        first: dict[str, Any] = jobs[0]
        return first


async def get_job(session: Session, job_id: str) -> tuple[Any, dict[str, Any]]:
    from s3m_grpc.jsoncodec import to_dict

    message = await session.stub.get_job(session.messages.JobIdReq(job_id=job_id))
    return message, to_dict(message)


async def wait_for(
    session: Session,
    job_ids: Sequence[str],
    progress: Progress,
    *,
    limit: float | None = None,
    interval: float = 5.0,
    just_submitted: bool = False,
) -> list[Finished]:
    """Poll until every job has finished; raise WaitTimeoutError after `limit` seconds.

    Polls back off with jitter up to `interval` (many waiting clients do not poll in step). A
    server that is briefly unreachable or asks to slow down does not end the wait: polling goes
    on for up to `OUTAGE_GRACE` seconds of consecutive failures (GetJob is safe to repeat).
    """
    from s3m_grpc.errors import (
        DeadlineExceededError,
        NotFoundError,
        RateLimitedError,
        UnavailableError,
    )
    from s3m_grpc.retry import backoff
    from s3m_grpc.states import is_finished

    started = time.monotonic()
    deadline = None if limit is None else started + limit
    done: dict[str, Finished] = {}
    delays = backoff(FIRST_POLL, interval, GROWTH)
    failing_since: float | None = None
    while True:
        pause: float | None = None
        try:
            for job_id in job_ids:
                if job_id in done:
                    continue
                try:
                    message, reply = await get_job(session, job_id)
                except NotFoundError:
                    if just_submitted and time.monotonic() - started < NOT_FOUND_GRACE:
                        progress.update(job_id, "SUBMITTED")
                        continue
                    raise
                jobs = reply.get("jobs") or []
                if not jobs:
                    continue
                raw = job_state(jobs[0])
                progress.update(job_id, raw)
                if is_finished(raw.split(",")):
                    done[job_id] = Finished(job_id, raw, reply, message)
            failing_since = None
        except (UnavailableError, DeadlineExceededError, RateLimitedError) as exc:
            now = time.monotonic()
            failing_since = now if failing_since is None else failing_since
            if now - failing_since > OUTAGE_GRACE:
                progress.finish()
                raise
            progress.note(f"{exc}; still waiting")
            if isinstance(exc, RateLimitedError) and exc.retry_after:
                pause = exc.retry_after
        if len(done) == len(job_ids):
            progress.finish()
            return [done[j] for j in job_ids]
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            progress.finish()
            raise WaitTimeoutError(list(job_ids), float(limit or 0), dict(progress.states))
        pause = next(delays) if pause is None else pause
        if deadline is not None:
            pause = min(pause, max(0.0, deadline - now))
        await _sleep(pause, progress)


async def _sleep(seconds: float, progress: Progress) -> None:
    """Sleep, turning the spinner on a terminal."""
    import asyncio

    if not progress.interactive:
        await asyncio.sleep(seconds)
        return
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        await asyncio.sleep(min(0.1, left))
        progress.tick()
