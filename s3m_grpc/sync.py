"""`Client`: the blocking twin of `s3m_grpc.client.Client`, with the same methods.

It runs the async client on a private event loop in a daemon thread, so it works in plain
scripts, inside a running loop (Jupyter: no "event loop is already running"), and across any
number of `asyncio.run()` calls in the caller, which never share its loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterable, Mapping, Sequence
from concurrent.futures import Future
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from s3m_grpc.client import NOT_FOUND_GRACE
from s3m_grpc.client import Client as AsyncClient
from s3m_grpc.factory import S3MClientFactory
from s3m_grpc.jobs import JobInfo, Submitted
from s3m_grpc.jobspec import JobSpec
from s3m_grpc.states import JobState

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
            raise RuntimeError("a sync Client cannot be called from its own loop thread")
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
    """Blocking S3M job client: `s3m_grpc.client.Client`'s methods, without `await`."""

    def __init__(
        self,
        resource: str | None = None,
        *,
        version: str | None = None,
        factory: S3MClientFactory | None = None,
        **factory_options: Any,
    ) -> None:
        self._async = AsyncClient(resource, version=version, factory=factory, **factory_options)
        self._runner: LoopThread | None = LoopThread()

    def __repr__(self) -> str:
        return f"sync.Client(resource={self.resource!r}, version={self.version!r})"

    @property
    def resource(self) -> str:
        return self._async.resource

    @property
    def version(self) -> str:
        return self._async.version

    @property
    def aio(self) -> AsyncClient:
        """The async client underneath (its loop runs in this client's thread)."""
        return self._async

    @property
    def stub(self) -> Any:
        return self._async.stub

    @property
    def messages(self) -> Any:
        return self._async.messages

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        if self._runner is None:
            coro.close()
            raise RuntimeError("this Client is closed")
        return self._runner.run(coro)

    def close(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
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
        if runner is not None and not runner.loop.is_closed():
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
    ) -> Submitted:
        return self._run(
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
            )
        )

    def get_job(self, job_id: int | str, *, timeout: float | None = None) -> JobInfo:
        return self._run(self._async.get_job(job_id, timeout=timeout))

    def list_jobs(
        self,
        *,
        state: JobState | str | Iterable[JobState | str] | None = None,
        user: str | None = None,
        partition: str | None = None,
        name: str | None = None,
        timeout: float | None = None,
    ) -> list[JobInfo]:
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
    ) -> Any:
        return self._run(self._async.cancel(job_id, signal=signal, flags=flags, timeout=timeout))

    def wait(
        self,
        job_id: int | str,
        *,
        timeout: float | None = None,
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
        not_found_grace: float = NOT_FOUND_GRACE,
    ) -> JobInfo:
        return self._run(
            self._async.wait(
                job_id,
                timeout=timeout,
                poll_interval=poll_interval,
                max_interval=max_interval,
                not_found_grace=not_found_grace,
            )
        )

    def ping(self, *, timeout: float | None = None) -> list[Any]:
        return self._run(self._async.ping(timeout=timeout))

    def partitions(self, *, timeout: float | None = None) -> list[Any]:
        return self._run(self._async.partitions(timeout=timeout))

    def nodes(self, *, timeout: float | None = None) -> list[Any]:
        return self._run(self._async.nodes(timeout=timeout))

    def reservations(self, *, timeout: float | None = None) -> list[Any]:
        return self._run(self._async.reservations(timeout=timeout))

    def diag(self, *, timeout: float | None = None) -> Any:
        return self._run(self._async.diag(timeout=timeout))
