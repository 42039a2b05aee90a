"""The one request path both front ends share: auth, routing, permission, backend, reply.

gRPC and REST differ only in how a call arrives and how an answer or error leaves; everything
in between is here, so both transports give the same answers and the same errors.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import betterproto2

from s3m_grpc import jsoncodec, telemetry, versions
from s3m_grpc.errors import (
    ErrorEntry,
    InvalidRequestError,
    PermissionDeniedError,
    RequestTooLargeError,
    S3MError,
)
from s3m_grpc.rpc import MethodInfo, ServiceInfo
from s3m_grpc.server import shapes
from s3m_grpc.server.auth import TokenStore, require_write
from s3m_grpc.server.backend import JSON, Backend, Caller, SubmitRequest
from s3m_grpc.server.config import Limits
from s3m_grpc.server.ratelimit import RateLimiter
from s3m_grpc.server.salvage import build_reporting_bad_records
from s3m_grpc.versions import REGISTRY, check

SERVICES: dict[str, ServiceInfo] = {name: api.service for name, api in REGISTRY.items()}
# The type URL of SLURM's `ErrorResp` as a google.rpc.Status detail (same wire in every version).
ERROR_RESP_TYPE_URL = (
    f"type.googleapis.com/{jsoncodec.full_name(versions.newest().module.ErrorResp)}"
)
RESOURCE_HEADER = "olcf-resource"
STORAGE_HEADER = "x-s3m-withstorage"
# Replies with at least this many list entries are built and encoded off the event loop.
OFF_LOOP_ENTRIES = 200
# The transport's writer of a reply given as a dict with the contract's JSON names.
Encoder = Callable[[type[betterproto2.Message], JSON], bytes]
WRITE_METHODS = {"PostJobSubmit": "submitting a job", "DeleteJob": "cancelling a job"}

# SLURM's error numbers for what the front end itself checks (slurm_errno.h).
ESLURM_ACCESS_DENIED = 2002
ESLURM_INVALID_JOB_ID = 2017
ESLURM_JOB_SCRIPT_MISSING = 2009
ESLURM_REST_FAIL_PARSING = 9001


@dataclass(frozen=True, slots=True)
class Call:
    """One incoming call, transport-neutral."""

    method: MethodInfo
    version: str  # as the caller named it (normalized during routing)
    request: betterproto2.Message
    token: str | None
    resource: str | None
    with_storage: bool = False
    trace: Mapping[str, str] = field(default_factory=dict)
    """W3C trace context headers (`traceparent`, `tracestate`) the caller sent."""


class SlurmService:
    """Serves the nine SlurmIndirect methods of every API version over one backend."""

    def __init__(
        self,
        backend: Backend,
        tokens: TokenStore,
        resources: Mapping[str, tuple[str, ...]],
        limits: Limits,
    ) -> None:
        self.backend = backend
        self.tokens = tokens
        self.resources = dict(resources)
        self.limits = limits
        self.limiter = RateLimiter(limits.requests_per_second, limits.burst)

    async def handle(self, call: Call, encode: Encoder) -> bytes:
        """The encoded reply for `call` (`encode`: the transport's codec); `S3MError` if it
        failed. The backend's dicts go straight to bytes (no betterproto2 message on the way);
        large replies are encoded on a worker thread, so one 10,000-job listing does not stall
        every other call on the event loop. With OpenTelemetry, the call is a SERVER span
        continuing the caller's trace."""
        if telemetry.SERVER is None:
            return await self._handle(call, encode)
        with telemetry.SERVER.call(call.method.name, call.resource, call.version, call.trace):
            return await self._handle(call, encode)

    async def _handle(self, call: Call, encode: Encoder) -> bytes:
        # A call without a resource cannot be routed at all: say so first (S3M's gateway
        # routes on the header before the resource checks the token).
        if not call.resource:
            raise InvalidRequestError(
                f"missing '{RESOURCE_HEADER}' header: name the compute resource to target "
                f"(one of {', '.join(sorted(self.resources))})"
            )
        caller = self.tokens.authenticate(call.token)
        self.limiter.check((caller.project, caller.user))
        version = check(call.resource, call.version, self.resources)
        action = WRITE_METHODS.get(call.method.name)
        if action is not None:
            require_write(caller, action)
        reply = await self._dispatch(call, caller)
        reply.setdefault("meta", await self.backend.meta())
        reply.setdefault("errors", [])
        reply.setdefault("warnings", [])
        cls = call.method.response_type

        def build(r: JSON) -> bytes:
            return encode(cls, shapes.adapt(version, call.method.name, r))

        if _entries(reply) < OFF_LOOP_ENTRIES:
            return build_reporting_bad_records(build, reply)
        return await asyncio.to_thread(build_reporting_bad_records, build, reply)

    async def error_reply(self, method: MethodInfo, exc: S3MError) -> betterproto2.Message:
        """The reply message a REST client gets with a failed call: `errors[]` filled in."""
        entries = exc.errors or (ErrorEntry(error=exc.message, description=exc.message),)
        reply: JSON = {
            "errors": [
                {
                    "error_number": e.error_number,
                    "error": e.error,
                    "source": e.source,
                    "description": e.description,
                }
                for e in entries
            ]
        }
        try:
            reply["meta"] = await self.backend.meta()
        except Exception:
            reply["meta"] = {}
        return _build(method, method.http_path.split("/")[2], reply)

    async def _dispatch(self, call: Call, caller: Caller) -> JSON:
        b = self.backend
        name = call.method.name
        req: Any = call.request
        if name == "Ping":
            return {"pings": await b.ping()}
        if name == "GetDiag":
            return {"statistics": await b.diag()}
        if name == "GetJobs":
            return {
                "jobs": await b.jobs(),
                "last_backfill": _now_noval(),
                "last_update": _now_noval(),
            }
        if name == "GetJob":
            job_id = parse_job_id(req.job_id, "slurm_load_job")
            records = await b.job(job_id)
            if not owns(caller, await b.owner(job_id)):
                # SLURM shows another user's job, but never its batch script.
                records = [{**r, "script": ""} for r in records]
            return {"jobs": records}
        if name == "GetNodes":
            return {"nodes": await b.nodes(), "last_update": _now_noval()}
        if name == "GetPartitions":
            return {"partitions": await b.partitions(), "last_update": _now_noval()}
        if name == "GetReservations":
            return {"reservations": await b.reservations(), "last_update": _now_noval()}
        if name == "DeleteJob":
            job_id = parse_job_id(req.job_id, "slurm_kill_job")
            if not owns(caller, await b.owner(job_id)):
                raise access_denied(job_id)
            status = await b.cancel(job_id, req.signal, req.flags)
            return {"status": [status]}
        if name == "PostJobSubmit":
            submit = submit_request(call, caller, self.limits)
            result = await b.submit(submit)
            return {
                "job_id": result.job_id,
                "step_id": result.step_id,
                "job_submit_user_msg": result.job_submit_user_msg,
                "warnings": list(result.warnings),
            }
        raise InvalidRequestError(f"unknown method {name}")  # pragma: no cover


def _entries(reply: JSON) -> int:
    """How many list entries a reply carries (jobs, nodes, ...): a measure of its cost."""
    return sum(len(v) for v in reply.values() if isinstance(v, list))


def _build(method: MethodInfo, version: str, reply: JSON) -> betterproto2.Message:
    return shapes.to_message(method.response_type, version, method.name, reply)


def _now_noval() -> JSON:
    return {"set": True, "infinite": False, "number": int(time.time())}


def parse_job_id(raw: str, source: str) -> int:
    """A positive job id from the path/request string; slurmrestd's error otherwise."""
    text = (raw or "").strip()
    # ASCII digits only, and few of them: `str.isdigit` also takes "²" (which int() refuses)
    # and Arabic-Indic digits (which int() reads as a different job's id).
    if text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) < 2**32:
        return int(text)
    shown = text if len(text) <= 40 else text[:40] + "…"
    raise InvalidRequestError(
        f"invalid job id {shown!r}: a job id is a positive integer",
        errors=[
            ErrorEntry(
                ESLURM_INVALID_JOB_ID,
                "Invalid job id specified",
                source,
                f"Unable to parse JobId={shown}",
            )
        ],
    )


def owns(caller: Caller, owner: tuple[str, str] | None) -> bool:
    """Whether `caller` may see the script of, cancel and signal a job owned by `owner`."""
    return owner is None or owner == (caller.project, caller.user)


def access_denied(job_id: int) -> PermissionDeniedError:
    """What slurmctld answers a cancel or signal of another user's job."""
    text = "Access/permission denied"
    return PermissionDeniedError(
        f"job {job_id} belongs to another project or user: {text}",
        errors=[
            ErrorEntry(ESLURM_ACCESS_DENIED, text, "slurm_kill_job", f"JobId={job_id}: {text}")
        ],
    )


def submit_request(call: Call, caller: Caller, limits: Limits) -> SubmitRequest:
    """The version-neutral submit: one script and the job description(s), checked."""
    req: Any = call.request
    if versions.get(call.version).heterogeneous_submit:
        single = req.job is not None
        if single and req.jobs:
            raise _parse_error("job and jobs are both set: send either one job or a jobs list")
        descs = [req.job] if single else list(req.jobs)
        script = req.script
    else:
        descs = [req.job] if req.job is not None else []
        script = ""
    if not descs:
        raise _parse_error("no job description: set 'job' (or 'jobs' in v0.0.44)")
    jobs = [jsoncodec.to_dict(d) for d in descs]
    if not script:
        script = str(jobs[0].get("script", ""))
    for j in jobs:
        j.pop("script", None)
    if not script.strip():
        raise InvalidRequestError(
            "batch script missing: set 'script'",
            errors=[
                ErrorEntry(
                    ESLURM_JOB_SCRIPT_MISSING,
                    "Job script not specified",
                    "slurm_submit_batch_job()",
                    "Batch job script empty or missing",
                )
            ],
        )
    if len(script.encode()) > limits.max_script_bytes:
        raise RequestTooLargeError(
            f"batch script is {len(script.encode())} bytes; this server accepts at most "
            f"{limits.max_script_bytes}"
        )
    return SubmitRequest(script=script, jobs=jobs, caller=caller, with_storage=call.with_storage)


def _parse_error(text: str) -> InvalidRequestError:
    return InvalidRequestError(
        text,
        errors=[ErrorEntry(ESLURM_REST_FAIL_PARSING, "Failure during parsing", "_parse_job", text)],
    )


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}
