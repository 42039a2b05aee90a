"""`transport="auto"`: gRPC first, REST when gRPC cannot be reached.

Falls back only on transport-level failure: no connection (refused, DNS, TLS), UNAVAILABLE
for a call that may be repeated, UNIMPLEMENTED. Never on authentication, permission, invalid
argument or SLURM errors, and never for a submit that may have reached the server (that is a
`SubmitOutcomeUnknownError`, raised as is). After a connection failure gRPC is skipped for
`cooldown` seconds, then probed again; if REST fails too while gRPC is skipped, the cooldown
ends at once (the outage is not gRPC's alone, so the next attempt tries gRPC first again).
The fallback is logged once per outage, not once per call.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import betterproto2

from s3m_grpc import observe
from s3m_grpc.errors import ConnectError, S3MError, UnavailableError, UnsupportedVersionError
from s3m_grpc.retry import Cooldown
from s3m_grpc.settings import DEFAULT_COOLDOWN
from s3m_grpc.transports.base import CallOptions, Transport

if TYPE_CHECKING:
    from s3m_grpc.rpc import MethodInfo

log = logging.getLogger(__name__)


class FallbackTransport:
    """Tries gRPC, falls back to REST on transport-level failure."""

    def __init__(
        self, grpc: Transport, rest: Transport, *, cooldown: float = DEFAULT_COOLDOWN
    ) -> None:
        self.grpc = grpc
        self.rest = rest
        self.grpc_down = Cooldown(cooldown)
        self.last_used = ""
        self.rest_calls = 0
        self._grpc_failure: S3MError | None = None  # why gRPC was last found unreachable
        self._outage = False  # gRPC has failed and not answered since (log once per outage)

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
            if grpc_failure is not None and (record := observe.current()) is not None:
                record.fallback(grpc_failure)
        else:
            try:
                reply = await self.grpc.unary(method, message, options)
            except ConnectError as exc:
                grpc_failure = self._grpc_failure = exc
                self._bench(f"gRPC unreachable ({exc})", exc)
            except UnsupportedVersionError as exc:
                if exc.errors:
                    raise
                log.info("gRPC does not implement %s (%s); trying REST", method.name, exc)
                if (record := observe.current()) is not None:
                    record.fallback(exc)
            except UnavailableError as exc:
                if not method.idempotent or exc.errors:
                    raise
                self._bench(f"gRPC unavailable ({exc})", exc)
            else:
                if self._outage:
                    self._outage = False
                    log.info(
                        "gRPC answers again; REST fallback over",
                        extra={"s3m": {"kind": "outage_ended", "transport": "grpc"}},
                    )
                self.last_used = "grpc"
                return reply
        self.rest_calls += 1
        try:
            reply = await self.rest.unary(method, message, options)
        except UnavailableError as exc:
            # REST is down too: not gRPC's outage alone, so probe gRPC first next time.
            self.grpc_down.reset()
            if grpc_failure is None or not isinstance(exc, ConnectError):
                raise
            raise type(exc)(f"{grpc_failure}; REST fallback: {exc}") from None
        self.last_used = "rest"
        return reply

    def _bench(self, why: str, error: S3MError) -> None:
        """Skip gRPC for the cooldown; warn once per outage (each fallback is a DEBUG record
        of `s3m_grpc.observe`)."""
        if (record := observe.current()) is not None:
            record.fallback(error)
        self.grpc_down.trip()
        seconds = self.grpc_down.seconds
        fields = {"transport": "grpc", "error": type(error).__name__, "cooldown": seconds}
        if not self._outage:
            self._outage = True
            log.warning(
                "%s; using REST, trying gRPC again every %g s",
                why,
                seconds,
                extra={"s3m": {"kind": "outage_started", **fields}},
            )
