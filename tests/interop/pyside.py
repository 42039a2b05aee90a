"""The Python side of the interop runs: our generated stubs, canned replies, message diffs.

Messages are compared after decoding, never as bytes: Go and Python order fields differently.
Diffs are taken on the contract-JSON dicts so a failure names the field that drifted.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Sequence
from functools import cache, partial
from pathlib import Path
from types import ModuleType
from typing import Any

import betterproto2
import grpc
import grpc.aio

from s3m_grpc import codec, jsoncodec
from s3m_grpc.errors import ERRORS_TRAILER
from s3m_grpc.rpc import MethodInfo, ServiceInfo
from s3m_grpc.transports.base import CallOptions

CANNED_DIR = Path(__file__).resolve().parent / "canned"
VERSIONS = ("v0.0.42", "v0.0.43", "v0.0.44")
# A resource that serves each version (S3M's table: defiant v0.0.42/43, odo v0.0.43/44).
RESOURCES = {"v0.0.42": "defiant", "v0.0.43": "odo", "v0.0.44": "odo"}
METHODS = (
    "Ping", "GetDiag", "GetJob", "GetJobs", "PostJobSubmit", "DeleteJob",
    "GetNodes", "GetPartitions", "GetReservations",
)  # fmt: skip
# The job every canned reply describes (the Go server answers NOT_FOUND for any other).
CANNED_JOB_ID = "12345"
# Trailers the Go server adds for the caller to check what it decoded.
REQUEST_ECHO_TRAILER = "interop-request-json"
WITHSTORAGE_ECHO_TRAILER = "interop-withstorage"


def package(version: str) -> ModuleType:
    """`s3m_grpc.slurm.v0043` for "v0.0.43"."""
    return importlib.import_module(f"s3m_grpc.slurm.v00{version.rsplit('.', 1)[-1]}")


def script_in_job(version: str) -> bool:
    """True where `JobSubmitReq` has no top-level `script` (v0.0.42, v0.0.43): it goes in `job`."""
    return "script" not in package(version).JobSubmitReq.__dataclass_fields__


def service(version: str) -> ServiceInfo:
    info: ServiceInfo = package(version).SERVICE
    return info


@cache
def canned_json(version: str) -> dict[str, Any]:
    """The canned replies of one version, keyed by method, in contract JSON."""
    data: dict[str, Any] = json.loads((CANNED_DIR / f"{version}.json").read_text())
    return data


def canned_reply(version: str, method: str) -> betterproto2.Message:
    """The canned reply of `method` as our message class reads it from contract JSON."""
    info = service(version).method(method)
    return jsoncodec.from_dict(info.response_type, canned_json(version)[method])


def sample_request(version: str, method: str) -> betterproto2.Message:
    """A realistic request per method, with the edge cases wire bugs hide in."""
    pkg = package(version)
    info = service(version).method(method)
    request: betterproto2.Message
    if method == "GetJob":
        request = pkg.JobIdReq(job_id=CANNED_JOB_ID)
        return request
    if method == "DeleteJob":
        request = pkg.DeleteJobReq(job_id=CANNED_JOB_ID, signal="SIGTERM", flags="BATCH_JOB")
        return request
    if method == "PostJobSubmit":
        desc = pkg.JobSubmitReqJobDescription(
            name="interop ✓ job",
            account="STF040",
            partition="batch-cpu",
            minimum_nodes=1,
            tasks=0,  # proto3 optional set to zero: presence must survive the trip
            comment="",  # optional string set to empty
            time_limit=pkg.Uint32NoVal(number=60, set=True),
            memory_per_node=pkg.Uint64NoVal(number=2**40 + 7, set=True),
            current_working_directory="/lustre/polis/stf040/scratch/user",
            environment=["PATH=/usr/bin", "LANG=C.UTF-8"],
        )
        script = "#!/bin/bash\necho Hello World\n"
        if script_in_job(version):
            desc.script = script
            request = pkg.JobSubmitReq(job=desc)
        else:
            request = pkg.JobSubmitReq(script=script, jobs=[desc])
        return request
    request = info.request_type()
    return request


def diff(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Readable differences between two JSON-shaped values."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                out.append(f"{path}.{key}: missing (expected {expected[key]!r:.80})")
            elif key not in expected:
                out.append(f"{path}.{key}: unexpected {actual[key]!r:.80}")
            else:
                out.extend(diff(expected[key], actual[key], f"{path}.{key}"))
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(actual)} items, expected {len(expected)}"]
        return [
            d
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for d in diff(e, a, f"{path}[{i}]")
        ]
    if expected != actual:
        return [f"{path}: {actual!r:.80}, expected {expected!r:.80}"]
    return []


def message_diff(expected: betterproto2.Message, actual: betterproto2.Message) -> list[str]:
    """Field-level differences of two decoded messages (plus a final equality check)."""
    out = diff(jsoncodec.to_dict(expected), jsoncodec.to_dict(actual))
    if not out and expected != actual:
        out.append(f"messages differ: {actual!r:.200} vs {expected!r:.200}")
    return out


class RecordingTransport:
    """A gRPC `Transport` (s3m_grpc.rpc) that also keeps each call's trailing metadata.

    The generated stubs call it like the project's GrpcTransport; the tests read the trailers
    the Go server adds (request echo, SLURM errors).
    """

    def __init__(self, channel: grpc.aio.Channel, metadata: Sequence[tuple[str, str]]) -> None:
        self._channel = channel
        self._metadata = tuple(metadata)
        self.trailer: tuple[tuple[str, str | bytes], ...] = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(channel={self._channel!r})"  # metadata holds the token

    async def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> betterproto2.Message:
        multicallable = self._channel.unary_unary(
            method.grpc_path,
            request_serializer=codec.encode,
            response_deserializer=partial(codec.decode, method.response_type),
        )
        metadata = self._metadata + tuple(options.get("metadata", ()))
        call = multicallable(message, metadata=metadata, timeout=options.get("timeout", 10.0))
        try:
            reply: betterproto2.Message = await call
        except grpc.aio.AioRpcError as exc:
            self.trailer = _pairs(exc.trailing_metadata())
            raise
        self.trailer = _pairs(await call.trailing_metadata())
        return reply

    def trailer_values(self, key: str) -> list[str | bytes]:
        return [v for k, v in self.trailer if k == key]


def _pairs(metadata: Any) -> tuple[tuple[str, str | bytes], ...]:
    return tuple((str(k), v) for k, v in (metadata or ()))


def error_entries(version: str, transport: RecordingTransport) -> list[betterproto2.Message]:
    """SLURM's errors[] from the s3m-errors-bin trailer of the last call."""
    cls = package(version).ErrorResp
    out: list[betterproto2.Message] = []
    for raw in transport.trailer_values(ERRORS_TRAILER):
        assert isinstance(raw, bytes), f"{ERRORS_TRAILER} must be binary metadata"
        out.append(codec.decode(cls, raw))
    return out


async def call(stub: Any, version: str, method: str, request: betterproto2.Message) -> Any:
    """Call `method` through the generated stub's Python method."""
    python_name = service(version).method(method).python_name
    return await getattr(stub, python_name)(request)


async def round_trip_problems(
    channel: grpc.aio.Channel, version: str, method: str, token: str, resource: str | None = None
) -> list[str]:
    """Call `method` on a Go server; what differs from the canned reply and from the request.

    Empty when the reply decodes to the canned reply and the server's echo of the request
    decodes to what was sent. `resource` defaults to one that serves `version`.
    """
    resource = resource or RESOURCES[version]
    transport = RecordingTransport(channel, [("authorization", token), ("olcf-resource", resource)])
    stub = package(version).SlurmIndirectStub(transport)
    request = sample_request(version, method)
    where = f"{version} {method}"
    try:
        reply = await call(stub, version, method, request)
    except grpc.aio.AioRpcError as exc:
        return [f"{where}: {exc.code().name}: {exc.details()}"]
    problems = [f"{where} reply {d}" for d in message_diff(canned_reply(version, method), reply)]
    echoes = transport.trailer_values(REQUEST_ECHO_TRAILER)
    if len(echoes) != 1 or not isinstance(echoes[0], str):
        return [*problems, f"{where}: no {REQUEST_ECHO_TRAILER} trailer"]
    seen_by_go = jsoncodec.from_json(type(request), echoes[0])
    problems += [f"{where} request {d}" for d in message_diff(request, seen_by_go)]
    return problems
