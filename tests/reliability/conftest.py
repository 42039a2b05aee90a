"""Fixtures for the reliability tests: a real local server, and fronts that misbehave before it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, cast

import pytest

from s3m_grpc import AsyncClient as Client
from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.transports.base import Transport
from s3m_grpc.transports.observed import ObservedTransport
from s3m_grpc.transports.retrying import RetryingTransport
from tests.reliability.proxies import GrpcProxy, RestProxy

if TYPE_CHECKING:
    from s3m_grpc.settings import TransportKind

SCRIPT = "#!/bin/bash\ntrue\n"


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(
        ServerConfig(backend_options={"tick_interval": 0.05, "kill_wait": 0.2})
    ) as srv:
        yield srv


@pytest.fixture
async def rest_proxy(server: LocalServer) -> AsyncIterator[RestProxy]:
    async with RestProxy(server.rest_url) as proxy:
        yield proxy


@pytest.fixture
async def grpc_proxy(server: LocalServer) -> AsyncIterator[GrpcProxy]:
    async with GrpcProxy(server.grpc_target) as proxy:
        yield proxy


def client_for(
    server: LocalServer,
    transport: str,
    *,
    endpoint: str | None = None,
    rest_url: str | None = None,
    **options: Any,
) -> Client:
    """An async v0.0.44 client on `odo` of the local server (or of a front before it)."""
    return Client(
        "odo",
        version="v0.0.44",
        transport=cast("TransportKind", transport),
        token=options.pop("token", server.token),
        endpoint=endpoint or server.grpc_target,
        rest_url=rest_url or server.rest_url,
        plaintext=True,
        **options,
    )


def single_attempt(client: Client) -> Transport:
    """A client's transport chain under its own retries: one attempt per call."""
    chain = client.factory.transport
    assert isinstance(chain, ObservedTransport)
    assert isinstance(chain.inner, RetryingTransport)
    return chain.inner.inner


async def job_ids(server: LocalServer) -> list[int]:
    """Every job id the backend lists (straight from it, no client in between)."""
    return [int(j["job_id"]) for j in await server.backend.jobs()]
