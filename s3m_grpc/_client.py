"""`Client`: the blocking twin of `AsyncClient`, with the same methods, options and docstrings.

It runs an `AsyncClient` on a private event loop in a daemon thread, so it works in plain
scripts, inside a running loop (Jupyter: no "event loop is already running"), and across any
number of `asyncio.run()` calls in the caller, which never share its loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import (
    AsyncIterator,
    Callable,
    Coroutine,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from concurrent.futures import Future
from datetime import timedelta
from pathlib import Path
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, Unpack

from s3m_grpc._async_client import AsyncClient
from s3m_grpc.auth import Token
from s3m_grpc.bulk import (
    DEFAULT_CONCURRENCY,
    BulkProgress,
    CancelOutcome,
    HasJobId,
    SubmitOptions,
    SubmitOutcome,
)
from s3m_grpc.factory import S3MClientFactory
from s3m_grpc.handles import AsyncJob, Job, JobRef, blocking_job, handle_id
from s3m_grpc.jobs import JobInfo
from s3m_grpc.jobspec import JobSpec
from s3m_grpc.observe import EventHook
from s3m_grpc.results import CancelResult, Diag, Listing, Node, Partition, PingResult, Reservation
from s3m_grpc.retry import RetryPolicy
from s3m_grpc.settings import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_COOLDOWN,
    DEFAULT_PATH_TEMPLATE,
    TransportKind,
)
from s3m_grpc.states import JobState
from s3m_grpc.transports.base import DEFAULT_TIMEOUT
from s3m_grpc.waiting import NOT_FOUND_GRACE, OUTAGE_GRACE, WaitProgress
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

T = TypeVar("T")


class LoopThread:
    """An event loop running forever in a daemon thread; `run` blocks on a coroutine there."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._main, name="s3m-client-loop", daemon=True)
        self._thread.start()

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError("a blocking Client cannot be called from its own loop thread")
        fut: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return fut.result()
        except BaseException:
            fut.cancel()
            raise

    def stop(self) -> None:
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self.loop.close()


class Client:
    """Blocking S3M job client: `AsyncClient`'s methods, without `await`."""

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
        self._async = AsyncClient(
            resource,
            endpoint=endpoint,
            token=token,
            version=version,
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
            factory=factory,
        )
        self._runner: LoopThread | None = LoopThread()
        self._owns_runner = True

    @classmethod
    def _sharing(cls, client: AsyncClient, runner: LoopThread) -> Client:
        """A blocking client over `client` on a loop thread it shares (`S3M`'s): its close
        leaves the thread and the shared connections to their owner."""
        self = cls.__new__(cls)
        self._async = client
        self._runner = runner
        self._owns_runner = False
        return self

    def __repr__(self) -> str:
        return f"Client(resource={self.resource!r}, version={self.version!r})"

    @property
    def resource(self) -> str:
        """The compute resource this client talks to."""
        return self._async.resource

    @property
    def version(self) -> str:
        """The API version this client speaks (`v0.0.44`)."""
        return self._async.version

    @property
    def factory(self) -> S3MClientFactory:
        """The factory holding the connection."""
        return self._async.factory

    @property
    def aio(self) -> AsyncClient:
        """The async client underneath (its loop runs in this client's thread)."""
        return self._async

    @property
    def stub(self) -> Stub:
        """The generated `SlurmIndirectStub` of this client's version (async: use it on
        `client.aio`'s loop, or make an `AsyncClient`)."""
        return self._async.stub

    @property
    def messages(self) -> ModuleType:
        """The generated module of this client's version (message classes)."""
        return self._async.messages

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        if self._runner is None:
            coro.close()
            raise RuntimeError("this Client is closed")
        return self._runner.run(coro)

    def close(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None and self._owns_runner:
            try:
                runner.run(self._async.close())
            finally:
                runner.stop()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        runner = getattr(self, "_runner", None)
        if runner is not None and self._owns_runner and not runner.loop.is_closed():
            runner.loop.call_soon_threadsafe(runner.loop.stop)

    def submit(
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
        timeout: float | None = None,
        retry: RetryPolicy | bool | None = None,
    ) -> Job:
        done = self._run(
            self._async.submit(
                script,
                account=account,
                partition=partition,
                time_limit=time_limit,
                nodes=nodes,
                tasks=tasks,
                cpus_per_task=cpus_per_task,
                cwd=cwd,
                env=env,
                name=name,
                qos=qos,
                reservation=reservation,
                stdout=stdout,
                stderr=stderr,
                extra=extra,
                with_storage=with_storage,
                timeout=timeout,
                retry=retry,
            )
        )
        return blocking_job(self, done)

    def submit_many(
        self,
        specs: Iterable[str | Path | JobSpec],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
        progress: Callable[[BulkProgress[SubmitOutcome[Job]]], None] | None = None,
        **options: Unpack[SubmitOptions],
    ) -> list[SubmitOutcome[Job]]:
        def blocking(o: SubmitOutcome[AsyncJob]) -> SubmitOutcome[Job]:
            job = None if o.job is None else blocking_job(self, o.job)
            return SubmitOutcome(index=o.index, job=job, error=o.error, sends=o.sends)

        def tell(p: BulkProgress[SubmitOutcome[AsyncJob]]) -> None:
            assert progress is not None
            progress(
                BulkProgress(
                    done=p.done,
                    total=p.total,
                    failed=p.failed,
                    rate_limited=p.rate_limited,
                    pace=p.pace,
                    outcome=blocking(p.outcome),
                )
            )

        done = self._run(
            self._async.submit_many(
                specs,
                concurrency=concurrency,
                rate=rate,
                progress=None if progress is None else tell,
                **options,
            )
        )
        return [blocking(o) for o in done]

    def cancel_many(
        self,
        jobs: Iterable[int | str | HasJobId],
        *,
        signal: str | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: float | None = None,
    ) -> list[CancelOutcome]:
        return self._run(
            self._async.cancel_many(jobs, signal=signal, concurrency=concurrency, timeout=timeout)
        )

    def job_records(
        self, job_id: int | str, *, timeout: float | None = None
    ) -> Listing[JobInfo, JobReply]:
        return self._run(self._async.job_records(job_id, timeout=timeout))

    def get_job(self, job_id: int | str, *, timeout: float | None = None) -> JobInfo:
        return self._run(self._async.get_job(job_id, timeout=timeout))

    def list_jobs(
        self,
        *,
        state: JobState | str | Iterable[JobState | str] | None = None,
        user: str | Iterable[str] | None = None,
        partition: str | Iterable[str] | None = None,
        name: str | Iterable[str] | None = None,
        timeout: float | None = None,
    ) -> Listing[JobInfo, JobsReply]:
        return self._run(
            self._async.list_jobs(
                state=state, user=user, partition=partition, name=name, timeout=timeout
            )
        )

    def cancel(
        self,
        job_id: int | str,
        *,
        signal: str | None = None,
        flags: str | None = None,
        timeout: float | None = None,
    ) -> CancelResult:
        return self._run(self._async.cancel(job_id, signal=signal, flags=flags, timeout=timeout))

    # -- waiting and watching: the async client's shared watcher, on its loop ----------------

    @property
    def watcher(self) -> JobWatcher:
        """The shared job watcher (it runs on this client's loop thread)."""
        return self._async.watcher

    def job(self, job_id: int | str) -> Job:
        return Job(self, handle_id(job_id))

    def wait(
        self,
        job: JobRef,
        *,
        timeout: float | None = None,
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
        outage_grace: float = OUTAGE_GRACE,
        progress: WaitProgress | None = None,
    ) -> JobInfo:
        return self._run(
            self._async.wait(
                job,
                timeout=timeout,
                poll_interval=poll_interval,
                max_interval=max_interval,
                not_found_grace=not_found_grace,
                outage_grace=outage_grace,
                progress=progress,
            )
        )

    def wait_all(
        self,
        jobs: Iterable[JobRef],
        *,
        timeout: float | None = None,
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
        outage_grace: float = OUTAGE_GRACE,
        progress: WaitProgress | None = None,
    ) -> dict[str, JobInfo]:
        return self._run(
            self._async.wait_all(
                list(jobs),
                timeout=timeout,
                poll_interval=poll_interval,
                max_interval=max_interval,
                not_found_grace=not_found_grace,
                outage_grace=outage_grace,
                progress=progress,
            )
        )

    def as_completed(
        self,
        jobs: Iterable[JobRef],
        *,
        timeout: float | None = None,
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
        outage_grace: float = OUTAGE_GRACE,
    ) -> Iterator[JobInfo]:
        return self._iterate(
            self._async.as_completed(
                list(jobs),
                timeout=timeout,
                poll_interval=poll_interval,
                max_interval=max_interval,
                not_found_grace=not_found_grace,
                outage_grace=outage_grace,
            )
        )

    def watch(
        self,
        jobs: Iterable[JobRef] | None = None,
        *,
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
        outage_grace: float = OUTAGE_GRACE,
    ) -> Iterator[JobEvent]:
        return self._iterate(
            self._async.watch(
                None if jobs is None else list(jobs),
                poll_interval=poll_interval,
                max_interval=max_interval,
                not_found_grace=not_found_grace,
                outage_grace=outage_grace,
            )
        )

    def on_change(
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
        return self._run(
            self._async.on_change(
                callback,
                None if jobs is None else list(jobs),
                poll_interval=poll_interval,
                max_interval=max_interval,
                not_found_grace=not_found_grace,
                outage_grace=outage_grace,
                on_error=on_error,
            )
        )

    def _iterate(self, agen: AsyncIterator[T]) -> Iterator[T]:
        """Drive an async generator of the async client from this thread, one item per step;
        closing the iterator early closes the generator on the loop."""

        async def step() -> T:
            return await anext(agen)

        async def close() -> None:
            aclose = getattr(agen, "aclose", None)
            if aclose is not None:
                await aclose()

        try:
            while True:
                try:
                    item = self._run(step())
                except StopAsyncIteration:
                    return
                yield item
        finally:
            if self._runner is not None:
                self._run(close())

    def ping(self, *, timeout: float | None = None) -> PingResult:
        return self._run(self._async.ping(timeout=timeout))

    def partitions(self, *, timeout: float | None = None) -> Listing[Partition, PartitionsReply]:
        return self._run(self._async.partitions(timeout=timeout))

    def nodes(self, *, timeout: float | None = None) -> Listing[Node, NodesReply]:
        return self._run(self._async.nodes(timeout=timeout))

    def reservations(
        self, *, timeout: float | None = None
    ) -> Listing[Reservation, ReservationsReply]:
        return self._run(self._async.reservations(timeout=timeout))

    def diag(self, *, timeout: float | None = None) -> Diag:
        return self._run(self._async.diag(timeout=timeout))


# One text per method: the blocking twin shows the async client's docstrings.
for _name, _fn in vars(Client).items():
    _twin = getattr(AsyncClient, _name, None)
    if callable(_fn) and not _name.startswith("_") and _twin is not None:
        _fn.__doc__ = _twin.__doc__
Client.__init__.__doc__ = AsyncClient.__init__.__doc__
