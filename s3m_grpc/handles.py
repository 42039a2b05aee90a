"""Job handles: what `submit()` and `client.job(id)` return, a job you can wait on, cancel and ask
about without carrying its client and id around.

`AsyncJob` (from `AsyncClient`) has coroutine methods and is awaitable (`await job` waits for
it); `Job` (from the blocking `Client`) has the same methods, blocking. Both keep what a submit
returned (`job_id`, `step_id`, `message`, `raw`, as `Submitted` does) and the last `JobInfo`
seen of the job (`info`, `state`), which `wait()` and `refresh()` update. Waits go through the
client's shared watcher, so a thousand handles waiting cost one poll, not a thousand.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from typing import TYPE_CHECKING, Any, TypeAlias

from s3m_grpc.errors import ConfigurationError
from s3m_grpc.jobs import JobInfo, Submitted, job_id_text
from s3m_grpc.states import JobState
from s3m_grpc.waiting import NOT_FOUND_GRACE, OUTAGE_GRACE, WaitProgress

if TYPE_CHECKING:
    from s3m_grpc._async_client import AsyncClient
    from s3m_grpc._client import Client
    from s3m_grpc.anyversion import SubmitReply
    from s3m_grpc.results import CancelResult


class JobHandle:
    """What both handles hold (see the module docstring); equal when resource and id are."""

    __slots__ = ("_info", "job_id", "message", "raw", "resource", "step_id")

    def __init__(
        self,
        resource: str,
        job_id: int,
        step_id: str = "",
        message: str = "",
        raw: SubmitReply | None = None,
    ) -> None:
        self.resource = resource
        self.job_id = int(job_id)
        self.step_id = step_id
        self.message = message
        self.raw = raw
        self._info: JobInfo | None = None

    @property
    def info(self) -> JobInfo | None:
        """The job as last seen (by `wait`, `refresh` or the watcher), None before that."""
        return self._info

    @property
    def state(self) -> JobState | None:
        """The job's base state as last seen, None before it was seen."""
        return self._info.state if self._info is not None else None

    def seen(self, info: JobInfo) -> None:
        """Record a newer view of the job."""
        self._info = info

    def submitted(self) -> Submitted:
        """What the submit returned, as a `Submitted`."""
        return Submitted(self.job_id, self.step_id, self.message, self.raw)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JobHandle):
            return NotImplemented
        return (self.resource, self.job_id) == (other.resource, other.job_id)

    def __hash__(self) -> int:
        return hash((self.resource, self.job_id))

    def __repr__(self) -> str:
        state = f", state={self.state.value!r}" if self.state is not None else ""
        return f"{type(self).__name__}({self.job_id}, resource={self.resource!r}{state})"

    def __str__(self) -> str:
        return str(self.job_id)


class AsyncJob(JobHandle):
    """A job on an `AsyncClient`; `await job` is `await job.wait()`."""

    __slots__ = ("client",)

    def __init__(self, client: AsyncClient, job_id: int, step_id: str = "", message: str = "",
                 raw: SubmitReply | None = None) -> None:  # fmt: skip
        super().__init__(client.resource, job_id, step_id, message, raw)
        self.client = client

    async def wait(
        self,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
        outage_grace: float = OUTAGE_GRACE,
        progress: WaitProgress | None = None,
    ) -> JobInfo:
        """Wait until the job has finished (`AsyncClient.wait`) and return it."""
        return await self.client.wait(
            self,
            timeout=timeout,
            poll_interval=poll_interval,
            max_interval=max_interval,
            not_found_grace=not_found_grace,
            outage_grace=outage_grace,
            progress=progress,
        )

    async def cancel(
        self,
        *,
        signal: str | None = None,
        flags: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> CancelResult:
        """Cancel the job, or send it `signal` (`AsyncClient.cancel`)."""
        return await self.client.cancel(self.job_id, signal=signal, flags=flags, timeout=timeout)

    async def refresh(self, *, timeout: float | None = None) -> JobInfo:  # noqa: ASYNC109
        """Ask accounting for the job now (one `GetJob`) and return it."""
        info = await self.client.get_job(self.job_id, timeout=timeout)
        self.seen(info)
        return info

    def __await__(self) -> Generator[Any, None, JobInfo]:
        return self.wait().__await__()


class Job(JobHandle):
    """A job on a blocking `Client`: `AsyncJob`'s methods, without `await`."""

    __slots__ = ("client",)

    def __init__(self, client: Client, job_id: int, step_id: str = "", message: str = "",
                 raw: SubmitReply | None = None) -> None:  # fmt: skip
        super().__init__(client.resource, job_id, step_id, message, raw)
        self.client = client

    def wait(
        self,
        *,
        timeout: float | None = None,
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
        outage_grace: float = OUTAGE_GRACE,
        progress: WaitProgress | None = None,
    ) -> JobInfo:
        """Wait until the job has finished (`Client.wait`) and return it."""
        return self.client.wait(
            self,
            timeout=timeout,
            poll_interval=poll_interval,
            max_interval=max_interval,
            not_found_grace=not_found_grace,
            outage_grace=outage_grace,
            progress=progress,
        )

    def cancel(
        self, *, signal: str | None = None, flags: str | None = None, timeout: float | None = None
    ) -> CancelResult:
        """Cancel the job, or send it `signal` (`Client.cancel`)."""
        return self.client.cancel(self.job_id, signal=signal, flags=flags, timeout=timeout)

    def refresh(self, *, timeout: float | None = None) -> JobInfo:
        """Ask accounting for the job now (one `GetJob`) and return it."""
        info = self.client.get_job(self.job_id, timeout=timeout)
        self.seen(info)
        return info


def blocking_job(client: Client, job: AsyncJob) -> Job:
    """The blocking `client`'s handle on the job an `AsyncJob` stands for."""
    out = Job(client, job.job_id, job.step_id, job.message, job.raw)
    if job.info is not None:
        out.seen(job.info)
    return out


# A job as the clients' wait and watch methods take it: an id, or a handle.
JobRef: TypeAlias = int | str | JobHandle


def handle_id(job_id: int | str) -> int:
    """The id of a job a handle can stand for (a whole job, not an array task or component)."""
    text = job_id_text(job_id)
    if not text.isdigit():
        raise ConfigurationError(
            f"a job handle stands for a whole job (12345), not {text!r}; wait on the id instead"
        )
    return int(text)


def ref_id(job: JobRef) -> str:
    """The job id text of an id or a handle (`ConfigurationError` for anything else)."""
    return str(job.job_id) if isinstance(job, JobHandle) else job_id_text(job)


def refs(jobs: Iterable[JobRef]) -> tuple[list[str], dict[str, list[JobHandle]]]:
    """Job ids in order, without repeats, and the handles given for each id."""
    if isinstance(jobs, str | int | JobHandle):
        raise ConfigurationError("give a list of jobs (ids or handles), not a single one")
    ids: dict[str, None] = {}
    handles: dict[str, list[JobHandle]] = {}
    for job in jobs:
        text = ref_id(job)
        ids[text] = None
        if isinstance(job, JobHandle):
            handles.setdefault(text, []).append(job)
    return list(ids), handles


def seen_by(handles: dict[str, list[JobHandle]], job_id: str, info: JobInfo) -> None:
    """Tell the handles of `job_id` its latest view."""
    for handle in handles.get(job_id, ()):
        handle.seen(info)
