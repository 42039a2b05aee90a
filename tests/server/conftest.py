"""Fixtures for the local server's tests: a real server on 127.0.0.1 and clients for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import grpc
import grpc.aio
import httpx
import pytest

from s3m_grpc.server import LocalServer, ServerConfig

# The resource each API version is called on in the tests (from the S3M docs' table).
RESOURCE = {"v0.0.42": "defiant", "v0.0.43": "defiant", "v0.0.44": "odo"}
VERSIONS = tuple(RESOURCE)


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(ServerConfig(backend_options={"kill_wait": 0.5})) as srv:
        yield srv


@pytest.fixture
async def channel(server: LocalServer) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(server.grpc_target) as ch:
        yield ch


@pytest.fixture
async def http(server: LocalServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.rest_url, timeout=30) as client:
        yield client


def metadata(token: str | None, resource: str | None) -> Sequence[tuple[str, str]]:
    out = []
    if token is not None:
        out.append(("authorization", token))
    if resource is not None:
        out.append(("olcf-resource", resource))
    return tuple(out)


async def grpc_error(call: Any) -> grpc.aio.AioRpcError:
    """Await a call that must fail; return its error."""
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    return info.value
