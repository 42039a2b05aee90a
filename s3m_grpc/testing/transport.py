"""`InProcessTransport`: calls reach a local server's service in this process, no sockets.

Like httpx's `MockTransport`, for fast unit tests: a generated stub (or, later, a client) sends
through it exactly as through gRPC, and the same server code answers (routing, tokens,
permissions, validation, the simulated scheduler, the same typed errors). The request and the
reply still go through the protobuf wire format, so a message the wire cannot carry fails here
too. What it skips: HTTP/2, TLS, deadlines (a call's `timeout` is not enforced) and the REST
front end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import betterproto2

from s3m_grpc import codec
from s3m_grpc.transports.base import CallOptions, check_reply

if TYPE_CHECKING:
    from s3m_grpc.rpc import MethodInfo
    from s3m_grpc.server import LocalServer

AUTHORIZATION = "authorization"
RESOURCE = "olcf-resource"
WITH_STORAGE = "x-s3m-withstorage"


class InProcessTransport:
    """A `Transport` to `server`'s service (a `LocalServer`, started with or without sockets).

    Each call carries `authorization`, `olcf-resource` and `x-s3m-withstorage` from its metadata
    when a client's header layer added them; otherwise the `token` (default: the server's
    read-write token) and `resource` given here.
    """

    def __init__(self, server: LocalServer, resource: str, *, token: str | None = None) -> None:
        self.server = server
        self.resource = resource
        self.token = server.token if token is None else token

    def __repr__(self) -> str:
        return f"InProcessTransport(resource={self.resource!r})"

    async def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> betterproto2.Message:
        from s3m_grpc.server.service import Call, truthy

        headers = {AUTHORIZATION: self.token, RESOURCE: self.resource}
        headers.update((k.lower(), v) for k, v in options.get("metadata", ()))
        call = Call(
            method=method,
            version=method.api_version,
            request=codec.decode(method.request_type, codec.encode(message)),
            token=headers[AUTHORIZATION],
            resource=headers[RESOURCE],
            with_storage=truthy(headers.get(WITH_STORAGE)),
        )
        data = await self.server.service.handle(call, codec.encode_dict)
        reader = options.get("reader")
        decode = codec.decode if reader is None else reader.from_binary
        reply = decode(method.response_type, data)
        check_reply(reply)
        return reply

    async def close(self) -> None:
        """Nothing to release: the server belongs to whoever started it."""
