"""pytest fixtures for code that talks to S3M, registered by entry point (`pytest11`).

Installed with s3m-grpc, so a project's tests use them with no conftest:

- `s3m_server`: a `LocalServer` (simulated SLURM, gRPC and REST on 127.0.0.1), fresh per
  test, on its own thread: usable from sync and async tests.
- `s3m_client`: a blocking `s3m_grpc.Client` bound to `s3m_server`.
- `s3m_async_client`: an `s3m_grpc.AsyncClient` bound to `s3m_server` (async tests; needs
  pytest-asyncio).
- `s3m_transport`: an `InProcessTransport` to a server that opens no socket, for a generated
  stub (`v0044.SlurmIndirectStub(s3m_transport)`) in async tests (needs pytest-asyncio).
- `s3m_in_process_client`: an `s3m_grpc.AsyncClient` whose calls go through `s3m_transport`
  (no socket).
- `s3m_resource` (`"odo"`) and `s3m_server_config`: override them in a conftest to change
  the resource the clients target or the server (`ServerConfig`) the fixtures start.

Nothing heavy is imported until a fixture is used, so the plugin costs nothing to tests that
do not use it. The server needs the `[server]` extra; without it a fixture fails with
`MissingExtraError`, naming the install command.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from s3m_grpc import AsyncClient, Client
    from s3m_grpc.server import LocalServer, ServerConfig
    from s3m_grpc.testing.transport import InProcessTransport

DEFAULT_RESOURCE = "odo"
# Scheduler passes every 50 ms (the server's default is 200 ms): short jobs end quickly.
SIM_OPTIONS = {"tick_interval": 0.05}


def connect_options(server: LocalServer) -> dict[str, Any]:
    """Client options (`S3MClientFactory`'s) that reach `server` over gRPC, REST as fallback."""
    return {
        "endpoint": server.grpc_target,
        "rest_url": server.rest_url,
        "plaintext": True,
        "token": server.token,
    }


@pytest.fixture
def s3m_resource() -> str:
    """The compute resource the clients target (the local server serves odo, defiant, ...)."""
    return DEFAULT_RESOURCE


@pytest.fixture
def s3m_server_config() -> ServerConfig:
    """The local server's configuration: simulated SLURM, generated tokens."""
    from s3m_grpc.server import ServerConfig

    return ServerConfig(backend="sim", backend_options=SIM_OPTIONS)


@pytest.fixture
def s3m_server(s3m_server_config: ServerConfig) -> Iterator[LocalServer]:
    """A running local server on 127.0.0.1 (its own thread and event loop), stopped after."""
    from s3m_grpc.server import LocalServer

    server = LocalServer(s3m_server_config).start_in_thread()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3m_client(s3m_server: LocalServer, s3m_resource: str) -> Iterator[Client]:
    """A blocking client bound to `s3m_server`."""
    from s3m_grpc import Client

    with Client(s3m_resource, **connect_options(s3m_server)) as client:
        yield client


try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - the async fixtures need pytest-asyncio
    pass
else:

    @pytest_asyncio.fixture
    async def s3m_async_client(
        s3m_server: LocalServer, s3m_resource: str
    ) -> AsyncIterator[AsyncClient]:
        """An async client bound to `s3m_server`, closed after the test."""
        from s3m_grpc import AsyncClient

        async with AsyncClient(s3m_resource, **connect_options(s3m_server)) as client:
            yield client

    @pytest_asyncio.fixture
    async def s3m_transport(
        s3m_server_config: ServerConfig, s3m_resource: str
    ) -> AsyncIterator[InProcessTransport]:
        """An in-process transport to a local server that opens no socket."""
        from s3m_grpc.server import LocalServer
        from s3m_grpc.testing.transport import InProcessTransport

        server = await LocalServer(s3m_server_config).start(listen=False)
        try:
            yield InProcessTransport(server, s3m_resource)
        finally:
            await server.close()

    @pytest_asyncio.fixture
    async def s3m_in_process_client(
        s3m_transport: InProcessTransport,
    ) -> AsyncIterator[AsyncClient]:
        """An async client whose calls reach `s3m_transport`'s server in process (no socket)."""
        from s3m_grpc import AsyncClient

        server = s3m_transport.server
        client = AsyncClient(
            s3m_transport.resource, token=server.token, resources=server.config.resources
        )
        client.stub = client.messages.SlurmIndirectStub(s3m_transport)
        try:
            yield client
        finally:
            await client.close()
