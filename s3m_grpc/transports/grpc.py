"""gRPC transport on grpcio's C core (`grpc.aio`), carrying betterproto messages.

Replies are received as bytes and decoded through `s3m_grpc.codec` (large ones off the event
loop). Failures become `s3m_grpc.errors` classes; a submit that may have reached the server
becomes `SubmitOutcomeUnknownError` and is never retried here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import betterproto2
import grpc
import grpc.aio

from s3m_grpc import codec, errors, observe
from s3m_grpc.errors import (
    ERRORS_TRAILER,
    CertificateError,
    ConnectError,
    ErrorEntry,
    InternalError,
    InvalidRequestError,
    RateLimitedError,
    ReplyTooLargeError,
    RequestTooLargeError,
    S3MError,
    SlurmError,
    retry_after_seconds,
)
from s3m_grpc.rpc import MethodInfo
from s3m_grpc.settings import DEFAULT_CONNECT_TIMEOUT as CONNECT_TIMEOUT
from s3m_grpc.transports.base import (
    MAX_RECEIVE_BYTES,
    USER_AGENT,
    CallOptions,
    decode_reply,
    outcome_unknown,
)
from s3m_grpc.versions import newest

_READY = grpc.ChannelConnectivity.READY

# UNAVAILABLE details that grpcio gives when no connection could be made (nothing was sent).
_NOT_SENT_HINTS = (
    "failed to connect",
    "dns resolution failed",
    "name resolution",
    "connection refused",
    "empty address list",
    "handshake",
    "ssl_error",
    "certificate verify failed",
)


def channel_options(user_agent: str = USER_AGENT) -> list[tuple[str, Any]]:
    """Channel arguments: receive size for large job lists, keepalive, our user agent."""
    return [
        ("grpc.max_receive_message_length", MAX_RECEIVE_BYTES),
        ("grpc.max_send_message_length", 64 * 1024 * 1024),
        ("grpc.keepalive_time_ms", 60_000),
        ("grpc.keepalive_timeout_ms", 20_000),
        ("grpc.http2.max_pings_without_data", 0),
        ("grpc.primary_user_agent", user_agent),
        ("grpc.enable_retries", 0),
    ]


def create_channel(
    target: str,
    *,
    plaintext: bool = False,
    ca_bundle: str | Path | None = None,
    user_agent: str = USER_AGENT,
) -> grpc.aio.Channel:
    """A `grpc.aio` channel: TLS with verification (optionally a custom CA bundle) unless
    `plaintext` is asked for (a local server)."""
    options = channel_options(user_agent)
    if plaintext:
        return grpc.aio.insecure_channel(target, options=options)
    roots = Path(ca_bundle).expanduser().read_bytes() if ca_bundle else None
    creds = grpc.ssl_channel_credentials(root_certificates=roots)
    return grpc.aio.secure_channel(target, creds, options=options)


def _identity(data: bytes) -> bytes:
    return data


class GrpcTransport:
    """Sends unary calls on one `grpc.aio.Channel`, adding fixed metadata to each."""

    def __init__(
        self,
        channel: grpc.aio.Channel,
        metadata: Sequence[tuple[str, str]] = (),
        timeout: float | None = None,
        *,
        target: str = "the gRPC endpoint",
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        self._channel = channel
        self._metadata = tuple(metadata)
        self._timeout = timeout
        self._target = target
        self._connect_timeout = connect_timeout
        self._calls: dict[str, Callable[..., Any]] = {}

    def __repr__(self) -> str:
        # Metadata carries the token: never show it.
        return f"{type(self).__name__}(target={self._target!r})"

    @property
    def channel(self) -> grpc.aio.Channel:
        return self._channel

    async def close(self) -> None:
        await self._channel.close(None)

    def _multicallable(self, method: MethodInfo) -> Callable[..., Any]:
        call = self._calls.get(method.grpc_path)
        if call is None:
            call = self._channel.unary_unary(
                method.grpc_path,
                request_serializer=codec.encode,
                response_deserializer=_identity,
            )
            self._calls[method.grpc_path] = call
        return call

    async def ensure_connected(self, timeout: float | None) -> None:  # noqa: ASYNC109
        """Wait until the channel is READY; `ConnectError` (nothing sent) if it cannot be."""
        limit = self._connect_timeout if timeout is None else min(timeout, self._connect_timeout)
        loop = asyncio.get_running_loop()
        end = loop.time() + limit
        state = self._channel.get_state(try_to_connect=True)
        while state != grpc.ChannelConnectivity.READY:
            if state == grpc.ChannelConnectivity.SHUTDOWN:
                raise ConnectError(f"cannot connect to {self._target}; the request was not sent")
            if state == grpc.ChannelConnectivity.TRANSIENT_FAILURE:
                raise ConnectError(
                    f"cannot connect to {self._target}{await self._why_not_connected()}; "
                    "the request was not sent"
                )
            left = end - loop.time()
            if left <= 0:
                raise ConnectError(
                    f"no connection to {self._target} within {limit:g} s; the request was not sent"
                )
            try:
                await asyncio.wait_for(self._channel.wait_for_state_change(state), left)
            except TimeoutError:
                continue
            state = self._channel.get_state(try_to_connect=True)

    async def _why_not_connected(self) -> str:
        """` (reason)` for a channel in TRANSIENT_FAILURE: its last connection error.

        A call on such a channel fails at once with that error, so a token-less health check
        reveals it (a wrong CA, a refused port) without reaching any server.
        """
        probe = self._channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=_identity,
            response_deserializer=_identity,
        )
        try:
            await probe(b"", timeout=2.0, wait_for_ready=False)
        except grpc.aio.AioRpcError as exc:
            details = exc.details() or ""
            if exc.code() == grpc.StatusCode.UNAVAILABLE and details:
                hint = ""
                if "certificate" in details.lower():
                    hint = "; is the server's certificate signed by a CA in ca_bundle?"
                return f" ({_short(details)}{hint})"
        return ""

    async def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> betterproto2.Message:
        call = self._calls.get(method.grpc_path) or self._multicallable(method)
        metadata = self._metadata
        timeout = self._timeout
        if options:
            extra = options.get("metadata")
            if extra:
                metadata = metadata + tuple(extra)
            timeout = options.get("timeout", timeout)
        if self._channel.get_state() != _READY:
            # Not connected yet: a hung connect (black-holed port, stalled handshake) fails
            # after `connect_timeout` as a ConnectError, so `auto` can still fall back.
            try:
                await self.ensure_connected(timeout)
            except ConnectError as exc:
                if (record := observe.current()) is not None:
                    record.attempt("grpc", "UNAVAILABLE", exc)
                raise
        failure: S3MError | None = None
        status = "OK"
        try:
            data: bytes = await call(message, timeout=timeout, metadata=metadata)
        except grpc.aio.AioRpcError as exc:
            failure = self._error(method, message, exc)
            status = exc.code().name
        if (record := observe.current()) is not None:
            record.attempt("grpc", status, failure)
        if failure is not None:
            raise failure  # outside the except block: no grpc exception as __context__
        reader = options.get("reader") if options else None
        decode = codec.decode if reader is None else reader.from_binary
        return await decode_reply(self._target, method, message, data, decode)  # type: ignore[no-any-return]

    def _error(
        self, method: MethodInfo, message: betterproto2.Message, exc: grpc.aio.AioRpcError
    ) -> S3MError:
        code = exc.code()
        details = exc.details() or ""
        entries = trailer_errors(exc.trailing_metadata())
        if code == grpc.StatusCode.UNAVAILABLE and not entries:
            low = details.lower()
            if any(h in low for h in _NOT_SENT_HINTS):
                cls = CertificateError if "certificate" in low else ConnectError
                return cls(
                    f"cannot connect to {self._target} ({_short(details)}); "
                    "the request was not sent"
                )
        if code == grpc.StatusCode.RESOURCE_EXHAUSTED:
            return _exhausted(details, exc.trailing_metadata(), entries)
        if not method.idempotent and not entries:
            lost = {
                grpc.StatusCode.DEADLINE_EXCEEDED: "deadline exceeded",
                grpc.StatusCode.CANCELLED: "call cancelled",
                grpc.StatusCode.UNAVAILABLE: "connection lost",
                grpc.StatusCode.UNKNOWN: "connection lost",
            }
            if code in lost:
                return outcome_unknown(self._target, method, message, lost[code])
        return error_from_status(code, details, entries)


# RESOURCE_EXHAUSTED means "too big" as well as "slow down"; grpcio's own receive limit says
# "Received message larger than max", a server's size limit says "too large" / "N bytes;".
_REPLY_SIZE_HINTS = ("received message larger than max",)
_SIZE_HINTS = ("too large", "larger than max", " bytes;")


def _exhausted(details: str, trailers: Any, entries: tuple[ErrorEntry, ...]) -> S3MError:
    """RESOURCE_EXHAUSTED: a size limit (never worth repeating) or a rate limit, whose
    `retry-after` trailing metadata (seconds) becomes `RateLimitedError.retry_after`."""
    text = details or "resource exhausted"
    low = text.lower()
    if any(h in low for h in _REPLY_SIZE_HINTS):
        return ReplyTooLargeError(f"the reply is larger than this client accepts ({text})")
    if any(h in low for h in _SIZE_HINTS):
        return RequestTooLargeError(text, errors=entries)
    retry_after = None
    for key, value in trailers or ():
        if key == "retry-after":
            retry_after = retry_after_seconds(value)
    return RateLimitedError(text, retry_after=retry_after, errors=entries)


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def trailer_errors(trailers: Any) -> tuple[ErrorEntry, ...]:
    """SLURM `errors[]` carried in the `s3m-errors-bin` trailing metadata."""
    if not trailers:
        return ()
    out = []
    for key, value in trailers:
        if key == ERRORS_TRAILER and isinstance(value, bytes | bytearray):
            try:
                decoded = codec.decode(newest().module.ErrorResp, bytes(value))
                out.append(ErrorEntry.from_message(decoded))
            except Exception:  # a garbled trailer must not hide the status itself
                continue
    return tuple(out)


# What each status means to the caller; the local server answers with `S3MError.grpc_status`.
_BY_STATUS: dict[grpc.StatusCode, type[S3MError]] = {
    grpc.StatusCode[cls.grpc_status]: cls
    for cls in (
        errors.AuthenticationError,
        errors.PermissionDeniedError,
        errors.NotFoundError,
        errors.InvalidRequestError,
        errors.UnsupportedVersionError,
        errors.RateLimitedError,
        errors.UnavailableError,
        errors.DeadlineExceededError,
        errors.InternalError,
    )
} | {
    grpc.StatusCode.FAILED_PRECONDITION: InvalidRequestError,
    grpc.StatusCode.OUT_OF_RANGE: InvalidRequestError,
    grpc.StatusCode.UNKNOWN: InternalError,
    grpc.StatusCode.DATA_LOSS: errors.ProtocolError,
}


def error_from_status(
    code: grpc.StatusCode, details: str | None, entries: tuple[ErrorEntry, ...] = ()
) -> S3MError:
    """The typed error for a failed gRPC call (SLURM's `errors[]` from the trailer kept)."""
    cls = _BY_STATUS.get(code, InternalError)
    if entries and cls is InternalError:
        cls = SlurmError
    text = details or (str(entries[0]) if entries else code.name.lower().replace("_", " "))
    return cls(text, errors=entries)
