"""`s3m wait` and `s3m submit --wait` over the client's shared watcher (`AsyncClient.wait_all`).

What is here is presentation only: the progress line (a callback of the watcher, with a spinner
turning on a terminal) and the finished jobs as the contract-JSON the output formats print
(each finished job's accounting record: one `GetJob` per job, once, after the wait).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from s3m_grpc.cli.progress import Progress
from s3m_grpc.cli.session import Session

if TYPE_CHECKING:
    from s3m_grpc.anyversion import JobReply
    from s3m_grpc.jobs import JobInfo
    from s3m_grpc.results import Listing

# The first poll comes quickly (short jobs); later ones back off up to --interval.
FIRST_POLL = 0.2
# Finished jobs' accounting records fetched at a time, for the output.
RECORD_FETCHES = 8


@dataclass(slots=True)
class Finished:
    """A finished job: its final state and its last GetJob reply as a contract-JSON dict."""

    job_id: str
    state: str
    succeeded: bool
    reply: dict[str, Any]
    index: int = 0

    @property
    def job(self) -> dict[str, Any]:
        jobs = self.reply.get("jobs") or [{}]
        found: dict[str, Any] = jobs[self.index] if self.index < len(jobs) else jobs[0]
        return found

    @classmethod
    def of(cls, job_id: str, records: Listing[JobInfo, JobReply]) -> Finished:
        from s3m_grpc.jobs import head_job
        from s3m_grpc.jsoncodec import to_dict
        from s3m_grpc.states import JobState
        from s3m_grpc.waiting import state_text

        head = head_job(records, job_id)
        assert head is not None  # the client never returns empty records
        return cls(
            job_id=job_id,
            state=state_text(head),
            succeeded=head.state is JobState.COMPLETED,
            reply=to_dict(records.raw),
            index=records.index(head),
        )


async def wait_for(
    session: Session,
    job_ids: Sequence[str],
    progress: Progress,
    *,
    limit: float | None = None,
    interval: float = 5.0,
    just_submitted: bool = False,
) -> list[Finished]:
    """Wait for every job (the client's `wait_all`), showing progress; `WaitTimeoutError` after
    `limit` seconds. "Not found" is tolerated only right after our own submit."""
    import asyncio

    from s3m_grpc.waiting import NOT_FOUND_GRACE

    spinner = asyncio.create_task(_spin(progress)) if progress.interactive else None
    try:
        await session.client.wait_all(
            job_ids,
            timeout=limit,
            poll_interval=FIRST_POLL,
            max_interval=interval,
            not_found_grace=NOT_FOUND_GRACE if just_submitted else 0.0,
            progress=progress,
        )
    finally:
        if spinner is not None:
            spinner.cancel()
        progress.finish()
    gate = asyncio.Semaphore(RECORD_FETCHES)

    async def record(job_id: str) -> Finished:
        async with gate:
            return Finished.of(job_id, await session.client.job_records(job_id))

    return list(await asyncio.gather(*(record(j) for j in job_ids)))


async def _spin(progress: Progress) -> None:
    """Turn the spinner on a terminal while the wait runs."""
    import asyncio

    while True:
        await asyncio.sleep(0.1)
        progress.tick()
