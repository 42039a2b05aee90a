"""One error hierarchy for client and server, mapped alike from gRPC codes and HTTP statuses.

Every failure a user can meet is an `S3MError` subclass with a message that names the cause and
the fix; none carries a token. The local server raises the same classes, so a status code means
the same thing over gRPC and REST. Each class names its gRPC status and HTTP status; the
transports (which alone import grpc or an HTTP library) map statuses to classes. Retry and
fallback decide on these classes, never on message text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

# Trailing-metadata key under which the server sends SLURM's errors[] on a failed gRPC call:
# one value per entry, each an encoded `ErrorResp` (same wire in every API version).
ERRORS_TRAILER = "s3m-errors-bin"


@dataclass(frozen=True, slots=True)
class ErrorEntry:
    """One entry of SLURM's `errors[]` (version-neutral copy of `ErrorResp`)."""

    error_number: int = 0
    error: str = ""
    source: str = ""
    description: str = ""

    def __str__(self) -> str:
        text = self.description or self.error or "unknown error"
        if self.error and self.description and self.error != self.description:
            text = f"{self.error}: {self.description}"
        return f"{text} (error {self.error_number})" if self.error_number else text

    @classmethod
    def from_message(cls, msg: Any) -> ErrorEntry:
        return cls(msg.error_number, msg.error, msg.source, msg.description)

    @classmethod
    def from_json(cls, raw: Any) -> ErrorEntry:
        """One `errors[]` object as any server sent it (S3M, slurmrestd's several shapes, or
        garbage); never raises. A number that is not an int32 becomes 0."""
        if not isinstance(raw, Mapping):
            return cls(error=str(raw))
        number = raw.get(
            "error_number", raw.get("errorNumber", raw.get("errno", raw.get("error_code", 0)))
        )
        if isinstance(number, str) and number.strip().removeprefix("-").isdigit():
            number = int(number)
        in_range = isinstance(number, int) and not isinstance(number, bool)
        return cls(
            error_number=number if in_range and -(2**31) <= number < 2**31 else 0,
            error=str(raw.get("error") or ""),
            source=str(raw.get("source") or ""),
            description=str(raw.get("description") or ""),
        )


@dataclass(frozen=True, slots=True)
class ErrorBody:
    """What a failed HTTP reply's JSON body says: its message and SLURM's error entries."""

    message: str | None = None
    errors: tuple[ErrorEntry, ...] = ()


def read_error_body(body: Any) -> ErrorBody:
    """A JSON error body in either form it comes in; never raises.

    SLURM's form (our server, slurmrestd): `{"errors": [{error_number, error, ...}], ...}`.
    grpc-gateway's form, a `google.rpc.Status`: `{"code": 5, "message": "...", "details":
    [{"@type": "type.googleapis.com/olcf.s3m.slurm.v0044.ErrorResp", "error_number": 2017,
    ...}]}`, where each detail that looks like an `ErrorResp` becomes an entry (protojson may
    spell `errorNumber`)."""
    if not isinstance(body, Mapping):
        return ErrorBody()
    message = next(
        (body[k] for k in ("message", "detail", "error") if isinstance(body.get(k), str)), None
    )
    raw = body.get("errors")
    if not isinstance(raw, list):
        details = body.get("details")
        raw = [
            d
            for d in (details if isinstance(details, list) else [])
            if isinstance(d, Mapping) and str(d.get("@type", "")).endswith(".ErrorResp")
        ]
    entries = tuple(ErrorEntry.from_json(e) for e in raw if isinstance(e, Mapping))
    return ErrorBody(message=message, errors=entries)


class S3MError(Exception):
    """Base of every error this package raises.

    `grpc_status` is the name of a `grpc.StatusCode`, `http_status` an HTTP status: what the
    local server answers with, and what a transport maps back to this class.
    """

    grpc_status: ClassVar[str] = "UNKNOWN"
    http_status: ClassVar[int] = 500

    def __init__(self, message: str, *, errors: Sequence[ErrorEntry] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors: tuple[ErrorEntry, ...] = tuple(errors)

    def __str__(self) -> str:
        return self.message


class AuthenticationError(S3MError):
    """Missing, unknown or expired token."""

    grpc_status = "UNAUTHENTICATED"
    http_status = 401


class PermissionDeniedError(S3MError):
    """The token is valid but may not do this (e.g. a read-only token submitting)."""

    grpc_status = "PERMISSION_DENIED"
    http_status = 403


class NotFoundError(S3MError):
    """No such job, resource or path."""

    grpc_status = "NOT_FOUND"
    http_status = 404


class InvalidRequestError(S3MError):
    """The request is malformed or SLURM refused its contents."""

    grpc_status = "INVALID_ARGUMENT"
    http_status = 400


class ConfigurationError(InvalidRequestError, ValueError):
    """A client-side setting is wrong (an unknown option value, a bad endpoint or CA bundle);
    nothing was sent."""


class UnsupportedVersionError(S3MError):
    """The resource does not serve this API version (or the server does not know the method)."""

    grpc_status = "UNIMPLEMENTED"
    http_status = 404


class RequestTooLargeError(S3MError):
    """The request exceeds the server's size limit."""

    grpc_status = "RESOURCE_EXHAUSTED"
    http_status = 413


class RateLimitedError(S3MError):
    """The server asks the client to slow down (HTTP 429)."""

    grpc_status = "RESOURCE_EXHAUSTED"
    http_status = 429

    def __init__(
        self, message: str, *, retry_after: float | None = None, errors: Sequence[ErrorEntry] = ()
    ) -> None:
        super().__init__(message, errors=errors)
        self.retry_after = retry_after


class UnavailableError(S3MError):
    """The server could not be reached or is not serving."""

    grpc_status = "UNAVAILABLE"
    http_status = 503


class ConnectError(UnavailableError):
    """The server could not be reached (refused, DNS, TLS handshake): nothing was sent."""


class CertificateError(ConnectError):
    """TLS refused the server's certificate: nothing was sent, and waiting will not fix it."""


class ReplyTooLargeError(S3MError):
    """The reply exceeded this client's receive limit; asking again gives the same reply."""

    grpc_status = "RESOURCE_EXHAUSTED"
    http_status = 502


class DeadlineExceededError(S3MError):
    """The call did not finish within its deadline."""

    grpc_status = "DEADLINE_EXCEEDED"
    http_status = 504


class WaitTimeoutError(DeadlineExceededError):
    """`wait` gave up before the jobs finished (the jobs themselves are untouched).

    `job_ids` are the jobs still unfinished, `states` the last state seen of each job waited for.
    """

    def __init__(
        self,
        message: str,
        *,
        job_ids: Sequence[str] = (),
        states: Mapping[str, str] | None = None,
        errors: Sequence[ErrorEntry] = (),
    ) -> None:
        super().__init__(message, errors=errors)
        self.job_ids: tuple[str, ...] = tuple(job_ids)
        self.states: dict[str, str] = dict(states or {})


class OutcomeUnknownError(S3MError):
    """A call that changes something (submit, cancel) may have reached the server but no answer
    came back; it was not re-sent."""

    grpc_status = "UNKNOWN"
    http_status = 504


class SubmitOutcomeUnknownError(OutcomeUnknownError):
    """A submit may have reached the server but no answer came back; it was not re-sent."""


class ProtocolError(S3MError):
    """The server's reply could not be decoded (truncated, garbled or of the wrong shape)."""

    grpc_status = "INTERNAL"
    http_status = 502


class SlurmError(S3MError):
    """SLURM reported `errors[]` (on a failed call, or inside an otherwise OK reply)."""

    grpc_status = "INTERNAL"
    http_status = 500


class InternalError(S3MError):
    """The server failed in a way not covered above."""

    grpc_status = "INTERNAL"
    http_status = 500


class SlurmWarning(UserWarning):
    """One entry of SLURM's `warnings[]` in a reply."""


def retry_after_seconds(value: object) -> float | None:
    """A `Retry-After` header or `retry-after` trailer in seconds (at least 0); None when it is
    missing or not a finite number (`inf`, `1e999`, `nan`; an HTTP date is not honoured).
    Callers cap it (`RetryPolicy.max_retry_after`)."""
    if not isinstance(value, str):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(0.0, seconds) if math.isfinite(seconds) else None
