"""`AsyncClient`: the version-neutral async job API over the generated stubs.

    async with AsyncClient("odo", token=...) as c:
        job = await c.submit("#!/bin/bash\\nhostname", account="STF040", time_limit=10)
        info = await c.wait(job.job_id, timeout=3600)

One client speaks one resource and one API version (default: the newest the resource serves).
Methods take plain Python values and return small typed views (`JobInfo`, job handles,
`PingResult`, ...) that keep the reply message at `.raw`; the versioned stub is `client.stub`.
`s3m_grpc.Client` is the blocking twin with the same methods.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, Unpack, cast

from s3m_grpc import versions
from s3m_grpc.auth import Token
from s3m_grpc.bulk import (
    DEFAULT_CONCURRENCY,
    BulkProgress,
    CancelOutcome,
    HasJobId,
    SubmitOptions,
    SubmitOutcome,
    cancel_outcome,
    run_bulk,
)
from s3m_grpc.errors import ConfigurationError, NotFoundError, ProtocolError, RateLimitedError
from s3m_grpc.factory import S3MClientFactory
from s3m_grpc.fastcodec.views import job_infos
from s3m_grpc.handles import AsyncJob, JobRef, handle_id, ref_id, refs, seen_by
from s3m_grpc.jobs import JobFilter, JobInfo, head_job, job_id_text
from s3m_grpc.jobspec import JobSpec, submit_request
from s3m_grpc.observe import EventHook
from s3m_grpc.results import (
    CancelResult,
    Diag,
    Listing,
    Node,
    Partition,
    PingResult,
    Reservation,
)
from s3m_grpc.retry import RetryPolicy
from s3m_grpc.settings import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_COOLDOWN,
    DEFAULT_PATH_TEMPLATE,
    TransportKind,
)
from s3m_grpc.states import JobState
from s3m_grpc.transports.base import DEFAULT_TIMEOUT
from s3m_grpc.waiting import NOT_FOUND_GRACE, OUTAGE_GRACE, WaitProgress, WaitSettings
from s3m_grpc.watcher import JobEvent, JobWatcher, Subscription

if TYPE_CHECKING:
    from s3m_grpc.anyversion import (
        JobReply,
        JobsReply,
        NodesReply,
        PartitionsReply,
        ReservationsReply,
        Stub,
    )


def choose_version(
    resource: str,
    version: str | None,
    table: Mapping[str, tuple[str, ...]] | None = None,
) -> str:
    """The API version to speak: `version` normalized, else the newest `resource` serves in
    `table` (S3M's published table by default), else the newest this package knows."""
    if version is not None:
        return versions.normalize(version)
    known = versions.DEFAULT_RESOURCES if table is None else table
    if resource in known:
        return versions.latest(resource, known)
    return versions.newest().name


class AsyncClient:
    """Async, version-neutral S3M job client (see the module docstring).

    The keyword options are `S3MClientFactory`'s (endpoint, token, transport, timeouts, TLS,
    retries ...) plus `version=` (the API version to speak) and `factory=` (an existing factory,
    used instead of the connection options).
    """

    def __init__(
        self,
        resource: str | None = None,
        *,
        endpoint: str | None = None,
        token: str | Token | None = None,
        version: str | None = None,
        transport: TransportKind = "auto",
        rest_url: str | None = None,
        rest_path_template: str = DEFAULT_PATH_TEMPLATE,
        plaintext: bool = False,
        ca_bundle: str | Path | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        header_file: str | Path | None = None,
        token_command: str | None = None,
        resources: Mapping[str, tuple[str, ...]] | None = None,
        check_versions: bool = True,
        grpc_cooldown: float = DEFAULT_COOLDOWN,
        with_storage: bool = False,
        user_agent: str | None = None,
        retry: RetryPolicy | bool = True,
        on_event: EventHook | None = None,
        factory: S3MClientFactory | None = None,
    ) -> None:
        if factory is None:
            factory = S3MClientFactory(
                endpoint,
                token,
                resource,
                transport=transport,
                rest_url=rest_url,
                rest_path_template=rest_path_template,
                plaintext=plaintext,
                ca_bundle=ca_bundle,
                timeout=timeout,
                connect_timeout=connect_timeout,
                header_file=header_file,
                token_command=token_command,
                resources=resources,
                check_versions=check_versions,
                grpc_cooldown=grpc_cooldown,
                with_storage=with_storage,
                user_agent=user_agent,
                retry=retry,
                on_event=on_event,
            )
        self.factory = factory
        self.resource: str = factory.resource
        chosen = choose_version(self.resource, version, factory.resources)
        self.version: str = factory.check_version(chosen)
        self._module = versions.get(self.version).module
        # Calls go through `_stub` (requests are built from `_module`, so they always match);
        # `stub` is the same object, typed for users as the union of the versions' stubs.
        self._stub: Any = factory.create_client(self._module.SlurmIndirectStub)
        self._watcher: JobWatcher | None = None

    def __repr__(self) -> str:
        return f"AsyncClient(resource={self.resource!r}, version={self.version!r})"

    @property
    def stub(self) -> Stub:
        """The generated `SlurmIndirectStub` of this client's version, for raw calls."""
        return cast("Stub", self._stub)

    @stub.setter
    def stub(self, stub: Stub) -> None:
        """Replace the stub (e.g. one bound to a custom transport); methods then call it."""
        self._stub = stub

    @property
    def messages(self) -> ModuleType:
        """The generated module of this client's version (message classes)."""
        return self._module

    async def close(self) -> None:
        """Close the connection (the client cannot be used afterwards)."""
        if self._watcher is not None:
            await self._watcher.close()
        await self.factory.close()

    async def __aenter__(self) -> AsyncClient:
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
        retry: RetryPolicy | bool | None = None,
    ) -> AsyncJob:
        """Submit a batch script (text or file, its `#SBATCH` lines read) or a `JobSpec`;
        keywords win over directives, `extra` sets any other `JobSpec` field by name. Directives
        the contract cannot carry raise a `JobDirectiveWarning`. Never re-sent (see
        `SubmitOutcomeUnknownError`). `retry` replaces the client's retry policy for this call
        (False: one attempt). Returns a handle on the new job (`AsyncJob`)."""
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
        options = _opts(timeout, metadata)
        if retry is not None:
            options["retry"] = retry
        reply = await self._stub.post_job_submit(req, **options)
        if reply.job_id is None:
            raise ProtocolError("the submit reply has no job_id")
        return AsyncJob(
            self,
            int(reply.job_id),
            step_id=reply.step_id or "",
            message=reply.job_submit_user_msg or "",
            raw=reply,
        )

    async def submit_many(
        self,
        specs: Iterable[str | Path | JobSpec],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
        progress: Callable[[BulkProgress[SubmitOutcome[AsyncJob]]], None] | None = None,
        **options: Unpack[SubmitOptions],
    ) -> list[SubmitOutcome[AsyncJob]]:
        """Submit many jobs (each as `submit` takes it; `options` are `submit`'s keywords, for
        every job): at most `concurrency` at a time, at a pace that adapts to the server's rate
        limit (at most `rate` per second, if given). Returns one `SubmitOutcome` per job, in
        input order: `.ok`, `.job` or `.error` (a refusal, or `SubmitOutcomeUnknownError`).
        Only calls refused as rate limited or never sent are sent again (`s3m_grpc.bulk`).
        `progress` is called as each job's outcome is known."""
        jobs = list(specs)
        for job in jobs:
            if not isinstance(job, str | Path | JobSpec):
                raise ConfigurationError(
                    f"submit_many takes script texts, Paths or JobSpecs, not {type(job).__name__}"
                )
        policy = self.factory.retry
        method = versions.get(self.version).service.method("PostJobSubmit")

        async def send(spec: str | Path | JobSpec) -> AsyncJob:
            return await self.submit(spec, retry=False, **options)

        return await run_bulk(
            jobs,
            send,
            policy=policy,
            resendable=lambda exc: policy.retryable(method, exc),
            concurrency=concurrency,
            rate=rate,
            progress=progress,
        )

    async def cancel_many(
        self,
        jobs: Iterable[int | str | HasJobId],
        *,
        signal: str | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> list[CancelOutcome]:
        """Cancel many jobs (or send them `signal`), at most `concurrency` at a time; one
        `CancelOutcome` per job, in input order: `.status` says cancelled, already finished,
        not found, denied, outcome unknown or failed (`.error` tells why)."""
        ids = [job_id_text(j if isinstance(j, int | str) else j.job_id) for j in jobs]

        async def send(job_id: str) -> CancelResult:
            return await self.cancel(job_id, signal=signal, timeout=timeout)

        # Each cancel keeps the client's retries; a rate-limit refusal that outlasts them
        # slows the batch down and is sent again.
        done = await run_bulk(
            ids,
            send,
            policy=self.factory.retry,
            resendable=lambda exc: isinstance(exc, RateLimitedError),
            concurrency=concurrency,
        )
        return [cancel_outcome(i, ids[i], o) for i, o in enumerate(done)]

    async def job_records(
        self,
        job_id: int | str,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Listing[JobInfo, JobReply]:
        """Every accounting record GetJob returns for `job_id` (array tasks, heterogeneous
        components), with the reply at `.raw`; `NotFoundError` when SLURM has none."""
        text = job_id_text(job_id)
        reply = await self._stub.get_job(self._module.JobIdReq(job_id=text), **_opts(timeout))
        if not reply.jobs:
            raise NotFoundError(f"job {text} not found on {self.resource}")
        return Listing(job_infos(reply), reply)

    async def get_job(
        self,
        job_id: int | str,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> JobInfo:
        """One job, from accounting (also after it ended); `NotFoundError` if SLURM has none."""
        records = await self.job_records(job_id, timeout=timeout)
        job = head_job(records, job_id)
        assert job is not None  # job_records never returns an empty listing
        return job

    async def list_jobs(
        self,
        *,
        state: JobState | str | Iterable[JobState | str] | None = None,
        user: str | Iterable[str] | None = None,
        partition: str | Iterable[str] | None = None,
        name: str | Iterable[str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Listing[JobInfo, JobsReply]:
        """Jobs in the queue, filtered here: `state` by base state (`"PENDING"`, `"PD,R"`,
        `JobState`s; an unknown name raises `ConfigurationError`), `user`, `partition` and
        `name` by glob (`"sim-*"`; a comma separates alternatives). `.raw` is the reply with
        only the kept jobs."""
        keep = JobFilter.of(state=state, user=user, partition=partition, name=name)
        reply = await self._stub.get_jobs(self._module.Empty(), **_opts(timeout))
        if not keep.empty:
            kept = [j for j in reply.jobs if keep.keep(j)]
            if len(kept) != len(reply.jobs):
                reply = _with_jobs(reply, kept)
        return Listing(job_infos(reply), reply)

    async def cancel(
        self,
        job_id: int | str,
        *,
        signal: str | None = None,
        flags: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> CancelResult:
        """Cancel a job, or send it `signal` (e.g. `"SIGUSR1"`) instead."""
        text = job_id_text(job_id)
        req = self._module.DeleteJobReq(job_id=text, signal=signal or "", flags=flags or "")
        reply = await self._stub.delete_job(req, **_opts(timeout))
        return CancelResult(job_id=text, signal=signal or None, raw=reply)

    # -- waiting and watching: one shared watcher per client (s3m_grpc.watcher) ------------

    @property
    def watcher(self) -> JobWatcher:
        """The client's shared job watcher (one `GetJobs` per poll for every job followed)."""
        if self._watcher is None:
            self._watcher = JobWatcher(self)
        return self._watcher

    def job(self, job_id: int | str) -> AsyncJob:
        """A handle on an existing job (`wait`, `cancel`, `refresh`, awaitable); no call made."""
        return AsyncJob(self, handle_id(job_id))

    async def wait(
        self,
        job: JobRef,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
        outage_grace: float = OUTAGE_GRACE,
        progress: WaitProgress | None = None,
    ) -> JobInfo:
        """Wait until the job (an id or a handle) has finished and return it.

        `timeout` bounds the whole wait, calls in flight included (`WaitTimeoutError`; the job
        is left alone). "Not found" is tolerated for `not_found_grace` seconds, an unreachable
        or overloaded server for `outage_grace` seconds in a row (then its error is raised).
        The client's shared watcher polls (see `s3m_grpc.watcher`): concurrent waits cost one
        `GetJobs` per poll between them.
        """
        text = ref_id(job)
        found = await self.wait_all(
            [job],
            timeout=timeout,
            poll_interval=poll_interval,
            max_interval=max_interval,
            not_found_grace=not_found_grace,
            outage_grace=outage_grace,
            progress=progress,
        )
        return found[text]

    async def wait_all(
        self,
        jobs: Iterable[JobRef],
        *,
        timeout: float | None = None,  # noqa: ASYNC109
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
        outage_grace: float = OUTAGE_GRACE,
        progress: WaitProgress | None = None,
    ) -> dict[str, JobInfo]:
        """`wait` for several jobs at once; returns each finished job by job id, in the order
        given. On timeout, `WaitTimeoutError.job_ids` are the unfinished ones."""
        ids, handles = refs(jobs)
        settings = self._wait_settings(
            timeout, poll_interval, max_interval, not_found_grace, outage_grace
        )
        found: dict[str, JobInfo] = {}
        async for event in self.watcher.wait(ids, settings, progress).events():
            found[event.job_id] = event.info
            seen_by(handles, event.job_id, event.info)
        return {j: found[j] for j in ids}

    async def as_completed(
        self,
        jobs: Iterable[JobRef],
        *,
        timeout: float | None = None,  # noqa: ASYNC109
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
        outage_grace: float = OUTAGE_GRACE,
    ) -> AsyncIterator[JobInfo]:
        """Each job once, as it finishes (in the order they finish); `WaitTimeoutError` once
        `timeout` has passed with jobs unfinished. Stopping early stops following them."""
        ids, handles = refs(jobs)
        settings = self._wait_settings(
            timeout, poll_interval, max_interval, not_found_grace, outage_grace
        )
        sub = self.watcher.wait(ids, settings)
        try:
            async for event in sub.events():
                seen_by(handles, event.job_id, event.info)
                yield event.info
        finally:
            sub.cancel()

    async def watch(
        self,
        jobs: Iterable[JobRef] | None = None,
        *,
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
        outage_grace: float = OUTAGE_GRACE,
    ) -> AsyncIterator[JobEvent]:
        """State changes (`JobEvent`: job id, old and new state, `JobInfo`) of `jobs`, or of
        every job in the queue when None; ends once every job given has finished."""
        ids, handles = (None, {}) if jobs is None else refs(jobs)
        settings = self._wait_settings(
            None, poll_interval, max_interval, not_found_grace, outage_grace
        )
        sub = self.watcher.stream(ids, settings)
        try:
            async for event in sub.events():
                seen_by(handles, event.job_id, event.info)
                yield event
        finally:
            sub.cancel()

    async def on_change(
        self,
        callback: Callable[[JobEvent], object],
        jobs: Iterable[JobRef] | None = None,
        *,
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
        outage_grace: float = OUTAGE_GRACE,
        on_error: Callable[[BaseException], object] | None = None,
    ) -> Subscription:
        """Call `callback(event)` on each state change of `jobs` (every queued job if None),
        on the client's event loop, until `.cancel()` on the returned subscription (or every
        job given has finished). If it ends early (an outage beyond `outage_grace`, a job
        unknown beyond `not_found_grace`), `on_error(exc)` is called once and `.error` tells
        why; a callback that raises is logged."""
        ids = None if jobs is None else refs(jobs)[0]
        settings = self._wait_settings(
            None, poll_interval, max_interval, not_found_grace, outage_grace
        )
        return self.watcher.on_change(callback, ids, settings, on_error)

    def _wait_settings(
        self,
        timeout: float | None,
        poll_interval: float,
        max_interval: float,
        not_found_grace: float,
        outage_grace: float,
    ) -> WaitSettings:
        return WaitSettings(
            timeout=timeout,
            poll_interval=poll_interval,
            max_interval=max_interval,
            not_found_grace=not_found_grace,
            outage_grace=outage_grace,
            max_retry_after=self.factory.retry.max_retry_after,
        )

    # -- cluster -------------------------------------------------------------------------

    async def ping(self, *, timeout: float | None = None) -> PingResult:  # noqa: ASYNC109
        """The SLURM controllers' answers (hostname, UP/DOWN, latency, mode)."""
        return PingResult.from_message(await self._stub.ping(**_opts(timeout)))

    async def partitions(
        self,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Listing[Partition, PartitionsReply]:
        """The cluster's partitions."""
        reply = await self._stub.get_partitions(**_opts(timeout))
        return Listing([Partition.from_message(p) for p in reply.partitions], reply)

    async def nodes(
        self,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Listing[Node, NodesReply]:
        """The cluster's nodes."""
        reply = await self._stub.get_nodes(**_opts(timeout))
        return Listing([Node.from_message(n) for n in reply.nodes], reply)

    async def reservations(
        self,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Listing[Reservation, ReservationsReply]:
        """The cluster's reservations."""
        reply = await self._stub.get_reservations(**_opts(timeout))
        return Listing([Reservation.from_message(r) for r in reply.reservations], reply)

    async def diag(self, *, timeout: float | None = None) -> Diag:  # noqa: ASYNC109
        """Scheduler statistics (sdiag): job counters, the rest at `.raw.statistics`."""
        return Diag.from_message(await self._stub.get_diag(**_opts(timeout)))


def _with_jobs(reply: Any, jobs: list[Any]) -> Any:
    """A shallow copy of a `JobsResp` holding only `jobs` (the rest of the reply is shared)."""
    import copy

    out = copy.copy(reply)
    out.jobs = jobs
    return out


def _opts(timeout: float | None, metadata: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if timeout is not None:
        out["timeout"] = timeout
    if metadata:
        out["metadata"] = tuple(metadata)
    return out
