"""The real local server (gRPC + REST on 127.0.0.1) that the client suite runs against.

`S3M_TEST_BACKEND` picks its backend: `sim` (default, in-process simulated SLURM) or `slurm`
(a real slurmrestd; options as JSON in `S3M_TEST_BACKEND_OPTIONS`). Tests that need the
simulator (fault injection, fixed job ids) are marked `sim_only` and skipped otherwise.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

import pytest

from s3m_grpc import AsyncClient
from s3m_grpc.server import LocalServer, ServerConfig
from tests import live

if TYPE_CHECKING:
    from s3m_grpc.settings import TransportKind

BACKEND = os.environ.get("S3M_TEST_BACKEND", "sim")
TRANSPORTS = ("grpc", "rest", "auto")
# Each version with a resource that serves it (the S3M docs' table).
VERSIONS = (("v0.0.42", "defiant"), ("v0.0.43", "defiant"), ("v0.0.44", "odo"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sim_only(reason): needs the simulated backend (skipped on real SLURM)"
    )


def server_config(**sim_options: Any) -> ServerConfig:
    """Config for the backend under test (`sim_options` apply to the simulator only)."""
    if BACKEND == "sim":
        return ServerConfig(backend="sim", backend_options={"tick_interval": 0.05, **sim_options})
    options = json.loads(os.environ.get("S3M_TEST_BACKEND_OPTIONS", "{}"))
    return ServerConfig(backend=BACKEND, backend_options=options)


def start_server(config: ServerConfig) -> LocalServer:
    try:
        return LocalServer(config).start_in_thread()
    except Exception as exc:  # a missing real backend is a skip, not a failure
        if BACKEND == "sim":
            raise
        live.skip(f"the {BACKEND} backend could not be started: {exc}")


@pytest.fixture(autouse=True)
def _skip_sim_only(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("sim_only")
    if marker is not None and BACKEND != "sim":
        reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
        pytest.skip(f"sim backend only: {reason}")


@pytest.fixture(scope="session")
def server() -> Iterator[LocalServer]:
    srv = start_server(server_config())
    try:
        yield srv
    finally:
        srv.stop()


ClientMaker = Callable[..., AsyncClient]


@pytest.fixture
def make_client(server: LocalServer) -> Iterator[ClientMaker]:
    """Builds async clients on the local server; closes them after the test."""
    made: list[AsyncClient] = []

    def make(
        transport: str = "auto",
        version: str = "v0.0.44",
        resource: str | None = None,
        **options: Any,
    ) -> AsyncClient:
        if resource is None:
            resource = dict((v, r) for v, r in VERSIONS)[version]
        options.setdefault("token", server.token)
        options.setdefault("endpoint", server.grpc_target)
        options.setdefault("rest_url", server.rest_url)
        options.setdefault("plaintext", True)
        c = AsyncClient(
            resource, version=version, transport=cast("TransportKind", transport), **options
        )
        made.append(c)
        return c

    yield make
    # Async clients are closed by the tests that use a loop; drop references here.
    made.clear()


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=VERSIONS, ids=[v for v, _ in VERSIONS])
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param[0])


@pytest.fixture
async def client(
    make_client: ClientMaker, transport: str, version: str
) -> AsyncIterator[AsyncClient]:
    c = make_client(transport, version)
    try:
        yield c
    finally:
        await c.close()
