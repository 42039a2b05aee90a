"""`Client`: the version-neutral async job API over the generated stubs.

    async with Client("defiant", token=...) as c:
        job = await c.submit("#!/bin/bash\\nhostname", account="STF040", time_limit=10)
        info = await c.wait(job.job_id, timeout=3600)

One client speaks one resource and one API version (default: the newest the resource serves);
methods take and return plain Python values and `JobInfo`, the raw stub stays at `client.stub`.
`s3m_grpc.sync.Client` is the blocking twin with the same methods.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from s3m_grpc import versions
from s3m_grpc.errors import (
    NotFoundError,
    ProtocolError,
    RateLimitedError,
    UnavailableError,
    WaitTimeoutError,
)
from s3m_grpc.factory import S3MClientFactory
from s3m_grpc.jobs import (
    JobInfo,
    Submitted,
    job_id_text,
    matches,
    version_module,
)
from s3m_grpc.jobspec import JobSpec, submit_request
from s3m_grpc.retry import backoff
from s3m_grpc.states import JobState

# After a submit, SLURM may not list the job for a moment: `wait` tolerates "not found" this long.
NOT_FOUND_GRACE = 30.0


class Client:
    """Async, version-neutral S3M job client (see module docstring)."""

    def __init__(
        self,
        resource: str | None = None,
        *,
        version: str | None = None,
        factory: S3MClientFactory | None = None,
        **factory_options: Any,
    ) -> None:
        if factory is None:
            factory = S3MClientFactory(resource=resource, **factory_options)
        self.factory = factory
        self.resource = factory.resource
        if version is None:
            table = factory.resources or versions.DEFAULT_RESOURCES
            version = (
                versions.latest(self.resource, table)
                if self.resource in table
                else versions.API_VERSIONS[-1]
            )
        self.version = factory.check_version(version)
        self._module = version_module(self.version)
        self.stub: Any = factory.create_client(self._module.SlurmIndirectStub)

    def __repr__(self) -> str:
        return f"Client(resource={self.resource!r}, version={self.version!r})"

    @property
    def messages(self) -> Any:
        """The generated module of this client's version (message classes)."""
        return self._module

    async def close(self) -> None:
        await self.factory.close()

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- jobs ----------------------------------------------------------------------------

    async def submit(
        self,
        script: str | Path | JobSpec,
        *,
        account: str | None = None,
        partition: str | None = None,
        time_limit: int | float | timedelta | str | None = None,
        nodes: int | str | None = None,
        tasks: int | None = None,
        cpus_per_task: int | None = None,
        cwd: str | None = None,
        env: Mapping[str, str] | Sequence[str] | None = None,
        name: str | None = None,
        qos: str | None = None,
        reservation: str | None = None,
        stdout: str | None = None,
        stderr: str | None = None,
        extra: Mapping[str, Any] | None = None,
        with_storage: bool = False,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Submitted:
        """Submit a batch script (text or file, its `#SBATCH` lines read) or a `JobSpec`;
        keywords win over directives, `extra` sets any other `JobSpec` field by name. Directives
        the contract cannot carry raise a `JobDirectiveWarning`. Never re-sent (see
        `SubmitOutcomeUnknownError`)."""
        spec = JobSpec.of(script).merge(
            JobSpec(
                account=account,
                partition=partition,
                time_limit=time_limit,
                nodes=nodes,
                tasks=tasks,
                cpus_per_task=cpus_per_task,
                current_working_directory=cwd,
                environment=env,
                name=name,
                qos=qos,
                reservation=reservation,
                standard_output=stdout,
                standard_error=stderr,
            ).merge(JobSpec.from_fields(extra or {}))
        )
        spec.warn_unsupported(stacklevel=2)
        req = submit_request(spec, versions.get(self.version))
        metadata = (("x-s3m-withstorage", "true"),) if with_storage else ()
        reply = await self.stub.post_job_submit(req, **_opts(timeout, metadata))
        if reply.job_id is None:
            raise ProtocolError("the submit reply has no job_id")
        return Submitted(
            job_id=int(reply.job_id),
            step_id=reply.step_id or "",
            message=reply.job_submit_user_msg or "",
            raw=reply,
        )

    async def get_job(self, job_id: int | str, *, timeout: float | None = None) -> JobInfo:  # noqa: ASYNC109
        """One job (`NotFoundError` when SLURM does not know it)."""
        text = job_id_text(job_id)
        reply = await self.stub.get_job(self._module.JobIdReq(job_id=text), **_opts(timeout))
        if not reply.jobs:
            raise NotFoundError(f"job {text} not found on {self.resource}")
        head = text.split("_")[0].split("+")[0]
        for job in reply.jobs:
            if str(job.job_id) == head:
                return JobInfo.from_message(job)
        return JobInfo.from_message(reply.jobs[0])

    async def list_jobs(
        self,
        *,
        state: JobState | str | Iterable[JobState | str] | None = None,
        user: str | None = None,
        partition: str | None = None,
        name: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> list[JobInfo]:
        """Jobs SLURM lists, filtered client-side by state, user, partition and name."""
        reply = await self.stub.get_jobs(self._module.Empty(), **_opts(timeout))
        infos = (JobInfo.from_message(j) for j in reply.jobs)
        return [
            j for j in infos if matches(j, state=state, user=user, partition=partition, name=name)
        ]

    async def cancel(
        self,
        job_id: int | str,
        *,
        signal: str | None = None,
        flags: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Any:
        """Cancel (or signal) a job; returns the raw `DeleteJobResp`."""
        req = self._module.DeleteJobReq(
            job_id=job_id_text(job_id), signal=signal or "", flags=flags or ""
        )
        return await self.stub.delete_job(req, **_opts(timeout))

    async def wait(
        self,
        job_id: int | str,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
    ) -> JobInfo:
        """Poll until the job has finished; jittered backoff, tolerant of "not found" at first.

        Raises `WaitTimeoutError` after `timeout` seconds (the job is left alone).
        """
        loop = asyncio.get_running_loop()
        start = loop.time()
        delays = backoff(poll_interval, max_interval)
        text = job_id_text(job_id)
        while True:
            delay = next(delays)
            try:
                info = await self.get_job(text)
                if info.finished:
                    return info
            except NotFoundError:
                if loop.time() - start > not_found_grace:
                    raise
            except RateLimitedError as exc:
                delay = max(delay, exc.retry_after or 0.0)
            except UnavailableError:
                pass
            if timeout is not None:
                left = timeout - (loop.time() - start)
                if left <= 0:
                    raise WaitTimeoutError(
                        f"job {text} had not finished after {timeout:g} s (it keeps running)"
                    )
                delay = min(delay, left)
            await asyncio.sleep(delay)

    # -- cluster -------------------------------------------------------------------------

    async def ping(self, *, timeout: float | None = None) -> list[Any]:  # noqa: ASYNC109
        """The controllers' ping entries (hostname, pinged, latency, mode)."""
        return list((await self.stub.ping(self._module.Empty(), **_opts(timeout))).pings)

    async def partitions(self, *, timeout: float | None = None) -> list[Any]:  # noqa: ASYNC109
        reply = await self.stub.get_partitions(self._module.Empty(), **_opts(timeout))
        return list(reply.partitions)

    async def nodes(self, *, timeout: float | None = None) -> list[Any]:  # noqa: ASYNC109
        return list((await self.stub.get_nodes(self._module.Empty(), **_opts(timeout))).nodes)

    async def reservations(self, *, timeout: float | None = None) -> list[Any]:  # noqa: ASYNC109
        reply = await self.stub.get_reservations(self._module.Empty(), **_opts(timeout))
        return list(reply.reservations)

    async def diag(self, *, timeout: float | None = None) -> Any:  # noqa: ASYNC109
        """The raw `DiagResp` (scheduler statistics in `.statistics`)."""
        return await self.stub.get_diag(self._module.Empty(), **_opts(timeout))


def _opts(timeout: float | None, metadata: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if timeout is not None:
        out["timeout"] = timeout
    if metadata:
        out["metadata"] = tuple(metadata)
    return out
