"""`transport="auto"`: gRPC first, REST when gRPC cannot be reached.

Falls back only on transport-level failure: no connection (refused, DNS, TLS), UNAVAILABLE
for a call that may be repeated, UNIMPLEMENTED. Never on authentication, permission, invalid
argument or SLURM errors, and never for a submit that may have reached the server (that is a
`SubmitOutcomeUnknownError`, raised as is). After a connection failure gRPC is skipped for
`cooldown` seconds, then probed again.
"""

from __future__ import annotations

import logging

import betterproto2

from s3m_grpc.errors import ConnectError, S3MError, UnavailableError, UnsupportedVersionError
from s3m_grpc.retry import Cooldown
from s3m_grpc.rpc import CallOptions, MethodInfo
from s3m_grpc.transports.grpc import GrpcTransport
from s3m_grpc.transports.rest import RestTransport

log = logging.getLogger("s3m_grpc.transport")
DEFAULT_COOLDOWN = 30.0


class FallbackTransport:
    """Tries gRPC, falls back to REST on transport-level failure."""

    def __init__(
        self, grpc: GrpcTransport, rest: RestTransport, *, cooldown: float = DEFAULT_COOLDOWN
    ) -> None:
        self.grpc = grpc
        self.rest = rest
        self.grpc_down = Cooldown(cooldown)
        self.last_used = ""
        self.rest_calls = 0
        self._grpc_failure: S3MError | None = None  # why gRPC was last found unreachable

    def __repr__(self) -> str:
        return f"{type(self).__name__}(grpc={self.grpc!r}, rest={self.rest!r})"

    async def close(self) -> None:
        try:
            await self.grpc.close()
        finally:
            await self.rest.close()

    async def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> betterproto2.Message:
        grpc_failure: S3MError | None = None
        if self.grpc_down.active:
            # Skipped: a retry (or the next call) still names why gRPC is not tried.
            grpc_failure = self._grpc_failure
        else:
            try:
                reply = await self.grpc.unary(method, message, options)
            except ConnectError as exc:
                grpc_failure = self._grpc_failure = exc
                self.grpc_down.trip()
                log.warning(
                    "gRPC unreachable (%s); using REST for %g s", exc, self.grpc_down.seconds
                )
            except UnsupportedVersionError as exc:
                if exc.errors:
                    raise
                log.info("gRPC does not implement %s (%s); trying REST", method.name, exc)
            except UnavailableError as exc:
                if not method.idempotent or exc.errors:
                    raise
                self.grpc_down.trip()
                log.warning(
                    "gRPC unavailable (%s); using REST for %g s", exc, self.grpc_down.seconds
                )
            else:
                self.last_used = "grpc"
                return reply
        self.rest_calls += 1
        try:
            reply = await self.rest.unary(method, message, options)
        except ConnectError as exc:
            if grpc_failure is None:
                raise
            raise ConnectError(f"{grpc_failure}; REST fallback: {exc}") from None
        self.last_used = "rest"
        return reply
