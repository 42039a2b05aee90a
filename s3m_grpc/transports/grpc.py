"""gRPC transport on grpcio's C core (`grpc.aio`), carrying betterproto messages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import betterproto2
import grpc.aio

from s3m_grpc import codec
from s3m_grpc.rpc import CallOptions, MethodInfo


class GrpcTransport:
    """Sends unary calls on one `grpc.aio.Channel`, adding fixed metadata to each."""

    def __init__(
        self,
        channel: grpc.aio.Channel,
        metadata: Sequence[tuple[str, str]] = (),
        timeout: float | None = None,
    ) -> None:
        self._channel = channel
        self._metadata = tuple(metadata)
        self._timeout = timeout
        self._calls: dict[str, Callable[..., Any]] = {}

    def __repr__(self) -> str:
        # Metadata carries the token: never show it.
        return f"{type(self).__name__}(channel={self._channel!r})"

    def _multicallable(self, method: MethodInfo) -> Callable[..., Any]:
        call = self._calls.get(method.grpc_path)
        if call is None:
            call = self._channel.unary_unary(
                method.grpc_path,
                request_serializer=codec.encode,
                response_deserializer=partial(codec.decode, method.response_type),
            )
            self._calls[method.grpc_path] = call
        return call

    async def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> betterproto2.Message:
        metadata = self._metadata + tuple(options.get("metadata", ()))
        timeout = options.get("timeout", self._timeout)
        reply: betterproto2.Message = await self._multicallable(method)(
            message, timeout=timeout, metadata=metadata
        )
        return reply
