"""Fixtures for the local server's tests: a real server on 127.0.0.1 and clients for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from functools import partial
from typing import Any

import grpc
import grpc.aio
import httpx
import pytest

from s3m_grpc import codec
from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.server.service import SERVICES

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


class RawStub:
    """Calls a version's methods with raw `grpc.aio` and fixed metadata (no client library).

    `stub.ping(Empty())`, `stub.get_job(JobIdReq(...))`: the python names of the generated
    method table; replies decoded with `s3m_grpc.codec`.
    """

    def __init__(
        self, channel: grpc.aio.Channel, version: str, token: str | None, resource: str | None
    ) -> None:
        self._channel = channel
        self._service = SERVICES[version]
        self._metadata = metadata(token, resource)

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        method = self._service.method(name)
        call = self._channel.unary_unary(
            method.grpc_path,
            request_serializer=codec.encode,
            response_deserializer=partial(codec.decode, method.response_type),
        )

        async def invoke(message: Any = None, **kw: Any) -> Any:
            msg = message if message is not None else method.request_type()
            return await call(msg, metadata=self._metadata, timeout=30, **kw)

        return invoke


async def grpc_error(call: Any) -> grpc.aio.AioRpcError:
    """Await a call that must fail; return its error."""
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    return info.value
