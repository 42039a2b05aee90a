"""The transport seam: what a transport is, what a call may ask of it, what every one does alike.

A `Transport` carries one unary call; gRPC, REST, the fallback between them, retries and the
S3M headers are all transports, each wrapping the next (see `s3m_grpc.transports.chain`). This
module imports neither grpc nor an HTTP library, so every layer can depend on it.

After a reply arrives, every transport does the same: an OK reply may still carry SLURM's
`errors[]` (raise `SlurmError`) and `warnings[]` (Python warnings).
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

import betterproto2

from s3m_grpc import __version__
from s3m_grpc.errors import (
    ErrorEntry,
    OutcomeUnknownError,
    ProtocolError,
    S3MError,
    SlurmError,
    SlurmWarning,
    SubmitOutcomeUnknownError,
)

if TYPE_CHECKING:
    from s3m_grpc.retry import RetryPolicy
    from s3m_grpc.rpc import MethodInfo

USER_AGENT = f"s3m-grpc/{__version__}"
# Largest reply accepted: a 10,000-job GetJobs is ~7.2 MB; leave room for much larger clusters.
MAX_RECEIVE_BYTES = 512 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0
# Replies larger than this are decoded in a worker thread so the loop keeps serving other calls.
OFFLOAD_DECODE_BYTES = 512 * 1024


class ReplyReader(Protocol):
    """Reads an OK reply instead of the method's response type (`CallOptions.reader`).

    What it returns is the call's result; it needs `errors` and `warnings` (checked as a
    decoded reply's are). The job watcher reads `GetJobs` this way (`s3m_grpc.listing`).
    """

    def from_binary(self, cls: type[betterproto2.Message], data: bytes) -> Any:
        """The reply from binary protobuf (`cls`: the method's response type)."""
        ...

    def from_json(self, cls: type[betterproto2.Message], data: bytes) -> Any:
        """The reply from JSON text (`cls`: the method's response type)."""
        ...


class CallOptions(TypedDict, total=False):
    """Per-call options every stub method accepts.

    `timeout` bounds the whole call, retries included; `metadata` adds gRPC metadata / HTTP
    headers; `retry` replaces the client's retry policy for this call (False: one attempt);
    `reader` reads the reply in place of the method's response type (a transport that does
    not decode replies itself may ignore it and return the decoded message).
    """

    timeout: float | None
    metadata: Sequence[tuple[str, str]]
    retry: RetryPolicy | bool
    reader: ReplyReader


class Transport(Protocol):
    """Carries one unary call; implemented by every layer of the transport chain."""

    async def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> betterproto2.Message: ...

    async def close(self) -> None: ...


async def decode_reply(
    target: str,
    method: MethodInfo,
    message: betterproto2.Message,
    data: bytes,
    decode: Callable[[type[betterproto2.Message], bytes], Any],
) -> Any:
    """An OK reply's message (decoded off the event loop when large), checked by
    `check_reply`. One that cannot be decoded is a `ProtocolError`, except for a submit or
    cancel: that was carried out, so its outcome is unknown (`outcome_unknown`). `decode`
    returns the method's response type, or what a `ReplyReader` makes of the reply."""
    failure: S3MError | None = None
    try:
        if len(data) > OFFLOAD_DECODE_BYTES:
            reply = await asyncio.to_thread(decode, method.response_type, data)
        else:
            reply = decode(method.response_type, data)
    except S3MError as exc:
        failure = exc
    except Exception as exc:
        failure = ProtocolError(f"cannot decode the {method.name} reply: {exc}")
    if failure is not None:
        if not method.idempotent:
            raise outcome_unknown(target, method, message, str(failure))
        raise failure
    if reply.errors or reply.warnings:
        check_reply(reply)
    return reply


def check_reply(reply: Any) -> None:
    """Raise `SlurmError` for `errors[]` in an OK reply; emit `warnings[]` as `SlurmWarning`."""
    errors = getattr(reply, "errors", None)
    if errors:
        entries = tuple(ErrorEntry.from_message(e) for e in errors)
        raise SlurmError(str(entries[0]), errors=entries)
    for w in getattr(reply, "warnings", None) or ():
        text = w.description or w.warning or "warning"
        if w.source:
            text = f"{text} (source: {w.source})"
        warnings.warn(text, SlurmWarning, stacklevel=4)


def submitted_name(message: betterproto2.Message) -> str:
    """The job name inside a submit request, for telling the user what to look for."""
    job: Any = getattr(message, "job", None)
    if job is not None and job.name:
        return str(job.name)
    for j in getattr(message, "jobs", None) or ():
        if j.name:
            return str(j.name)
    return ""


def outcome_unknown(
    target: str, method: MethodInfo, message: betterproto2.Message, reason: str
) -> S3MError:
    """The error for a call that changes something and may have reached `target` with no
    answer back: it is never re-sent, and the message says how to find out what happened."""
    if method.request_type.__name__ == "JobSubmitReq":
        name = submitted_name(message)
        look = f"list_jobs(name={name!r}) / `s3m jobs --name {name}`" if name else "list_jobs()"
        return SubmitOutcomeUnknownError(
            f"the job submit may have reached {target} but no answer came back ({reason}); "
            f"it was NOT re-sent. Check whether the job exists with {look} before submitting "
            "again"
        )
    job_id = getattr(message, "job_id", "")
    return OutcomeUnknownError(
        f"the {method.name} request for job {job_id} may have reached {target} but no answer "
        f"came back ({reason}); it was NOT re-sent. Check the job with get_job({job_id!r}) / "
        f"`s3m job {job_id}` before sending it again"
    )
