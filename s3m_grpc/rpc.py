"""The method table and stub base that generated service modules build on.

Generated `SlurmIndirectStub` classes only describe methods; every call goes through
`StubBase._call` to a `Transport` (`s3m_grpc.transports.base`), so one stub serves gRPC, REST
and the fallback between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import betterproto2

from s3m_grpc.errors import ConfigurationError
from s3m_grpc.transports.base import CallOptions, Transport


@dataclass(frozen=True, slots=True)
class HeaderParam:
    """An HTTP header/gRPC metadata key bound to a request parameter (S3M's header-param option)."""

    header: str
    param_name: str
    required: bool


@dataclass(frozen=True, slots=True)
class MethodInfo:
    """One RPC: its gRPC path, message types and `google.api.http` rule."""

    name: str
    python_name: str
    grpc_path: str
    request_type: type[betterproto2.Message]
    response_type: type[betterproto2.Message]
    http_method: str
    http_path: str
    http_body: str
    header_params: tuple[HeaderParam, ...]
    api_version: str

    @property
    def idempotent(self) -> bool:
        """GETs may be retried or re-sent; POST and DELETE may not."""
        return self.http_method == "GET"


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """A versioned SlurmIndirect service: its methods and service-wide header params."""

    full_name: str
    api_version: str
    header_params: tuple[HeaderParam, ...]
    methods: tuple[MethodInfo, ...]

    def method(self, name: str) -> MethodInfo:
        for m in self.methods:
            if m.name == name or m.python_name == name:
                return m
        raise KeyError(name)


class StubBase:
    """Base of generated stubs: holds the transport every call goes through.

    Get one from `S3MClientFactory.create_client(Stub)`, or give any `Transport` (for a bare
    `grpc.aio.Channel`: `Stub(GrpcTransport(channel))`).
    """

    SERVICE: ServiceInfo

    def __init__(self, transport: Transport) -> None:
        if not callable(getattr(transport, "unary", None)):
            raise ConfigurationError(
                f"{type(self).__name__} needs a transport (S3MClientFactory.create_client, or "
                f"GrpcTransport(channel) for a grpc.aio channel), not {type(transport).__name__}"
            )
        self._transport = transport

    async def _call(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> Any:
        return await self._transport.unary(method, message, options)
