"""The transport chain a client sends through, built from its settings:

    ObservedTransport → RetryingTransport → S3MHeadersTransport → LoopBoundTransport
        → Fallback(gRPC, REST) (or gRPC, or REST, alone)

The observed layer outermost (one record, span and set of metrics per logical call, see
`s3m_grpc.observe`); retries next (a retry is a whole new attempt, with the token current at
that moment);
the S3M headers next; the connections themselves innermost, opened in the running event loop
(grpc.aio channels and aiohttp sessions belong to the loop that made them), again whenever the
loop changes, so a client survives repeated `asyncio.run()`.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING

import betterproto2

from s3m_grpc import telemetry
from s3m_grpc.transports.base import CallOptions, Transport
from s3m_grpc.transports.headers import S3MHeadersTransport
from s3m_grpc.transports.observed import ObservedTransport
from s3m_grpc.transports.retrying import RetryingTransport

if TYPE_CHECKING:
    from s3m_grpc.auth import TokenProvider
    from s3m_grpc.observe import EventHook
    from s3m_grpc.rpc import MethodInfo
    from s3m_grpc.settings import ClientSettings


class LoopBoundTransport:
    """Opens its transport in the running event loop, and anew when the loop changes."""

    def __init__(self, opener: Callable[[], Transport]) -> None:
        self._opener = opener
        self._transport: Transport | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._transport!r})"

    @property
    def current(self) -> Transport:
        """The transport of the running loop (opened now if needed)."""
        loop = asyncio.get_running_loop()
        t = self._transport
        if t is None or self._loop is not loop:
            t = self._transport = self._opener()
            self._loop = loop
        return t

    async def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> betterproto2.Message:
        return await self.current.unary(method, message, options)

    async def close(self) -> None:
        t, self._transport = self._transport, None
        loop, self._loop = self._loop, None
        if t is not None and loop is asyncio.get_running_loop():
            await t.close()


def connections(transport: Transport) -> Transport:
    """The innermost transport of a chain in the running loop (the one that connects):
    for looking at which way calls went (`FallbackTransport.last_used`) and in tests."""
    while True:
        if isinstance(transport, LoopBoundTransport):
            transport = transport.current
        elif isinstance(transport, ObservedTransport | RetryingTransport | S3MHeadersTransport):
            transport = transport.inner
        else:
            return transport


def open_connections(settings: ClientSettings) -> Transport:
    """The gRPC and/or REST transport of `settings`, unwrapped (call in the running loop)."""
    from s3m_grpc.transports.fallback import FallbackTransport
    from s3m_grpc.transports.rest import RestTransport, ssl_context

    grpc_t: Transport | None = None
    rest_t: RestTransport | None = None
    if settings.transport in ("grpc", "auto"):
        from s3m_grpc.transports.grpc import GrpcTransport, create_channel

        endpoint = settings.endpoint
        channel = create_channel(
            endpoint.target,
            plaintext=endpoint.plaintext,
            ca_bundle=settings.ca_bundle,
            user_agent=settings.user_agent,
        )
        grpc_t = GrpcTransport(
            channel,
            timeout=settings.timeout,
            target=endpoint.target,
            connect_timeout=settings.connect_timeout,
        )
    if settings.rest_url is not None and settings.transport in ("rest", "auto"):
        verify: ssl.SSLContext | bool = (
            True if settings.rest_url.startswith("http://") else ssl_context(settings.ca_bundle)
        )
        rest_t = RestTransport(
            settings.rest_url,
            resource=settings.resource,
            headers={},
            timeout=settings.timeout,
            path_template=settings.rest_path_template,
            verify=verify,
            user_agent=settings.user_agent,
        )
    if grpc_t is not None and rest_t is not None:
        return FallbackTransport(grpc_t, rest_t, cooldown=settings.grpc_cooldown)
    transport = grpc_t or rest_t
    assert transport is not None, "settings guarantee a REST URL for transport='rest'"
    return transport


def build_transport(
    settings: ClientSettings,
    tokens: TokenProvider,
    hooks: tuple[EventHook, ...] = (),
    connections: LoopBoundTransport | None = None,
) -> Transport:
    """The whole chain for `settings` (see module docstring); nothing connects until a call.

    `connections` shares another chain's connections (the resource travels with each call), so
    clients of several resources of one endpoint use one channel and one HTTP session.
    """
    if connections is None:
        connections = LoopBoundTransport(lambda: open_connections(settings))
    inner: Transport = S3MHeadersTransport(
        connections,
        tokens,
        settings.resource,
        with_storage=settings.with_storage,
    )
    retrying = RetryingTransport(inner, settings.retry, default_timeout=settings.timeout)
    return ObservedTransport(retrying, settings.resource, hooks=hooks, telemetry=telemetry.CLIENT)
