"""One object for a whole S3M endpoint: every resource through one channel and one token.

    async with AsyncS3M(token=...) as s3m:            # blocking twin: S3M
        odo = s3m.client("odo")                       # version: the newest odo serves
        jobs = await s3m.list_jobs(state="RUNNING")   # every resource at once
        for resource, listing in jobs.items(): ...

A service working on several resources would otherwise hold a client, a channel and a token
lookup per resource. Here the per-resource clients share the connections (S3M routes on the
`olcf-resource` header each call carries) and the token (renewed once for all), and the
cross-resource calls run concurrently; a resource that fails does not hide the others' answers
(`ByResource.errors`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TypedDict, TypeVar, Unpack

from s3m_grpc import versions
from s3m_grpc._async_client import AsyncClient
from s3m_grpc._client import Client, LoopThread
from s3m_grpc.errors import S3MError
from s3m_grpc.factory import S3MClientFactory
from s3m_grpc.jobs import JobInfo
from s3m_grpc.results import Listing, PingResult
from s3m_grpc.states import JobState

if TYPE_CHECKING:
    from pathlib import Path

    from s3m_grpc.anyversion import JobsReply
    from s3m_grpc.auth import Token
    from s3m_grpc.observe import EventHook
    from s3m_grpc.retry import RetryPolicy
    from s3m_grpc.settings import TransportKind

T = TypeVar("T")


class ConnectionOptions(TypedDict, total=False):
    """`S3MClientFactory`'s keywords but `resource` (a test keeps them the same)."""

    endpoint: str | None
    token: str | Token | None
    transport: TransportKind
    rest_url: str | None
    rest_path_template: str
    plaintext: bool
    ca_bundle: str | Path | None
    timeout: float | None
    connect_timeout: float
    header_file: str | Path | None
    token_command: str | None
    resources: Mapping[str, tuple[str, ...]] | None
    check_versions: bool
    grpc_cooldown: float
    with_storage: bool
    user_agent: str | None
    retry: RetryPolicy | bool
    on_event: EventHook | None


class ByResource(dict[str, T], Generic[T]):
    """Answers by resource name; `errors` holds the typed error of each resource that failed."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: dict[str, S3MError] = {}


class AsyncS3M:
    """Every resource of one S3M endpoint (see the module docstring).

    `resource_names`: the resources cross-resource calls cover (default: every resource of the
    resource table, the built-in one unless the `resources=` option gives another).
    """

    def __init__(
        self, resource_names: Sequence[str] | None = None, **options: Unpack[ConnectionOptions]
    ) -> None:
        self._options = options
        table = options.get("resources") or versions.DEFAULT_RESOURCES
        self.resources: tuple[str, ...] = tuple(resource_names or table)
        self._base: S3MClientFactory | None = None
        self._clients: dict[tuple[str, str | None], AsyncClient] = {}

    def __repr__(self) -> str:
        return f"AsyncS3M(resources={self.resources!r})"

    def client(self, resource: str, *, version: str | None = None) -> AsyncClient:
        """The client of `resource` (the newest version it serves unless `version` is given),
        sharing this endpoint's connections and token; the same object on every call."""
        key = (resource, version)
        client = self._clients.get(key)
        if client is None:
            if self._base is None:
                self._base = S3MClientFactory(resource=resource, **self._options)
            factory = self._base.with_resource(resource)
            client = self._clients[key] = AsyncClient(resource, version=version, factory=factory)
        return client

    async def _each(
        self, resources: Iterable[str] | None, call: Callable[[AsyncClient], Awaitable[T]]
    ) -> ByResource[T]:
        names = list(resources) if resources is not None else list(self.resources)
        results = await asyncio.gather(
            *(call(self.client(r)) for r in names), return_exceptions=True
        )
        out: ByResource[T] = ByResource()
        for name, result in zip(names, results, strict=True):
            if isinstance(result, S3MError):
                out.errors[name] = result
            elif isinstance(result, BaseException):
                raise result
            else:
                out[name] = result
        return out

    async def list_jobs(
        self,
        resources: Iterable[str] | None = None,
        *,
        state: JobState | str | Iterable[JobState | str] | None = None,
        user: str | None = None,
        partition: str | None = None,
        name: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> ByResource[Listing[JobInfo, JobsReply]]:
        """`AsyncClient.list_jobs` on every resource at once, with the same filters."""
        return await self._each(
            resources,
            lambda c: c.list_jobs(
                state=state, user=user, partition=partition, name=name, timeout=timeout
            ),
        )

    async def ping(
        self,
        resources: Iterable[str] | None = None,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> ByResource[PingResult]:
        """`AsyncClient.ping` on every resource at once."""
        return await self._each(resources, lambda c: c.ping(timeout=timeout))

    async def close(self) -> None:
        """Close the shared connections (the clients handed out stop working with them)."""
        if self._base is not None:
            await self._base.close()

    async def __aenter__(self) -> AsyncS3M:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class S3M:
    """The blocking twin of `AsyncS3M`: the same methods without `await`; its clients are
    blocking `Client`s that share one loop thread, the connections and the token."""

    def __init__(
        self, resource_names: Sequence[str] | None = None, **options: Unpack[ConnectionOptions]
    ) -> None:
        self._async = AsyncS3M(resource_names, **options)
        self._runner: LoopThread | None = LoopThread()
        self._clients: dict[tuple[str, str | None], Client] = {}

    def __repr__(self) -> str:
        return f"S3M(resources={self.resources!r})"

    @property
    def resources(self) -> tuple[str, ...]:
        return self._async.resources

    def _run_on(self) -> LoopThread:
        if self._runner is None:
            raise RuntimeError("this S3M is closed")
        return self._runner

    def client(self, resource: str, *, version: str | None = None) -> Client:
        """The blocking client of `resource` (see `AsyncS3M.client`)."""
        key = (resource, version)
        client = self._clients.get(key)
        if client is None:
            runner = self._run_on()
            aio = self._async.client(resource, version=version)
            client = self._clients[key] = Client._sharing(aio, runner)
        return client

    def list_jobs(
        self,
        resources: Iterable[str] | None = None,
        *,
        state: JobState | str | Iterable[JobState | str] | None = None,
        user: str | None = None,
        partition: str | None = None,
        name: str | None = None,
        timeout: float | None = None,
    ) -> ByResource[Listing[JobInfo, JobsReply]]:
        """`AsyncClient.list_jobs` on every resource at once, with the same filters."""
        return self._run_on().run(
            self._async.list_jobs(
                resources, state=state, user=user, partition=partition, name=name, timeout=timeout
            )
        )

    def ping(
        self, resources: Iterable[str] | None = None, *, timeout: float | None = None
    ) -> ByResource[PingResult]:
        """`AsyncClient.ping` on every resource at once."""
        return self._run_on().run(self._async.ping(resources, timeout=timeout))

    def close(self) -> None:
        """Close the shared connections and the loop thread."""
        runner, self._runner = self._runner, None
        if runner is not None:
            try:
                runner.run(self._async.close())
            finally:
                runner.stop()

    def __enter__(self) -> S3M:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
