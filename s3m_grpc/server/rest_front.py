"""The REST front end (aiohttp): S3M's JSON API over the same `SlurmService` as gRPC.

Every method is served under each prefix of `PREFIXES`, with the tail of its protos'
`google.api.http` rule: `/slurm/open/{version}/{resource}/…` (S3M's public docs),
`/slurm/{version}/…` with the resource in the `olcf-resource` header (the protos' own rules),
`/slurm/{version}/{resource}/…` (S3M's older docs) and `/api/slurm-indirect/{version}/…`
(the service.yaml rules, header again). Replies use the contract's JSON
names; a failed call answers the error's HTTP status with the method's reply JSON, `errors[]`
filled in. Request bodies above the size limit are refused by aiohttp while reading.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any

import betterproto2
import grpc
import orjson
from aiohttp import web
from google.protobuf import json_format

from s3m_grpc import codec, jsoncodec
from s3m_grpc.errors import (
    InternalError,
    NotFoundError,
    RateLimitedError,
    RequestTooLargeError,
    S3MError,
    UnsupportedVersionError,
)
from s3m_grpc.rpc import MethodInfo
from s3m_grpc.server.auth import HEADER as AUTH_HEADER
from s3m_grpc.server.service import (
    ERROR_RESP_TYPE_URL,
    RESOURCE_HEADER,
    SERVICES,
    STORAGE_HEADER,
    Call,
    SlurmService,
    truthy,
)
from s3m_grpc.slurm import v0044
from s3m_grpc.telemetry import TRACE_HEADERS
from s3m_grpc.versions import normalize

log = logging.getLogger(__name__)

JSON_TYPE = "application/json"
# Path prefixes served, in match order: the S3M docs' form, the protos' `google.api.http` form
# (resource in the `olcf-resource` header), S3M's older documented form, and the form of the
# protos' service.yaml rules (header again).
PREFIXES = (
    "/slurm/open/{version}/{resource}",
    "/slurm/{version}",
    "/slurm/{version}/{resource}",
    "/api/slurm-indirect/{version}",
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _tail(method: MethodInfo) -> str:
    """`/slurm/v0.0.44/job/{job_id}` → `/job/{job_id}`."""
    prefix = f"/slurm/{method.http_path.split('/')[2]}"
    return method.http_path[len(prefix) :]


def _dumps(reply: betterproto2.Message) -> bytes:
    """JSON with the contract's JSON names."""
    return jsoncodec.to_json(reply)


def _json(status: int, body: bytes) -> web.Response:
    return web.Response(status=status, body=body, content_type=JSON_TYPE)


def _gateway_json(cls: type[betterproto2.Message], data: dict[str, Any]) -> bytes:
    """A reply as grpc-gateway writes it (protojson, unpopulated fields emitted): every field,
    64-bit integers as strings, the contract's JSON names."""
    message = jsoncodec.upb_class(cls).FromString(codec.encode_dict(cls, data))
    text = json_format.MessageToJson(
        message, always_print_fields_with_no_presence=True, indent=None
    )
    return text.encode()


# grpc-gateway's HTTP status for each gRPC status (runtime.HTTPStatusFromCode).
_GATEWAY_HTTP = {
    "INVALID_ARGUMENT": 400,
    "FAILED_PRECONDITION": 400,
    "OUT_OF_RANGE": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "NOT_FOUND": 404,
    "ALREADY_EXISTS": 409,
    "ABORTED": 409,
    "RESOURCE_EXHAUSTED": 429,
    "CANCELLED": 499,
    "UNIMPLEMENTED": 501,
    "UNAVAILABLE": 503,
    "DEADLINE_EXCEEDED": 504,
}


def _gateway_error(exc: S3MError) -> tuple[int, bytes]:
    """A failed call as grpc-gateway answers it: a `google.rpc.Status` body whose details
    carry SLURM's `errors[]` as `ErrorResp`s."""
    details = [
        {
            "@type": ERROR_RESP_TYPE_URL,
            "error_number": e.error_number,
            "error": e.error,
            "source": e.source,
            "description": e.description,
        }
        for e in exc.errors
    ]
    code = grpc.StatusCode[exc.grpc_status].value[0]
    body = {"code": code, "message": exc.message, "details": details}
    return _GATEWAY_HTTP.get(exc.grpc_status, 500), orjson.dumps(body)


class RestFront:
    """Route table and handlers for one `SlurmService`."""

    def __init__(self, service: SlurmService, max_request_bytes: int, dialect: str = "s3m") -> None:
        self.service = service
        self.gateway = dialect == "gateway"
        self._encode = _gateway_json if self.gateway else jsoncodec.dict_to_json
        self.app = web.Application(client_max_size=max_request_bytes, middlewares=[self._unmatched])
        # In match order. `{resource}` in the path, or else the `olcf-resource` header.
        for prefix in PREFIXES:
            for method in v0044.SERVICE.methods:
                self.app.router.add_route(
                    method.http_method, prefix + _tail(method), self._handler(method.name)
                )

    def _handler(self, name: str) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            method = v0044.SERVICE.method(name)  # until the path's version is known
            try:
                version = normalize(request.match_info["version"])
                method = SERVICES[version].method(name)
                resource = request.match_info.get("resource") or request.headers.get(
                    RESOURCE_HEADER
                )
                call = Call(
                    method=method,
                    version=version,
                    request=await self._request(method, request),
                    token=request.headers.get(AUTH_HEADER),
                    resource=resource,
                    with_storage=truthy(request.headers.get(STORAGE_HEADER)),
                    trace={h: request.headers[h] for h in TRACE_HEADERS if h in request.headers},
                )
                return _json(200, await self.service.handle(call, self._encode))
            except S3MError as exc:
                return await self._error(method, exc)
            except web.HTTPRequestEntityTooLarge as exc:
                return await self._error(
                    method, RequestTooLargeError(f"request body too large: {exc.text}")
                )
            except Exception:
                log.exception("internal error in %s", request.path)
                return await self._error(method, InternalError(f"internal server error in {name}"))

        return handle

    async def _request(self, method: MethodInfo, request: web.Request) -> betterproto2.Message:
        cls = method.request_type
        if method.http_body == "*":
            body = await request.read()
            return jsoncodec.from_json(cls, body or b"{}", request=True)
        fields: dict[str, str] = {}
        if "job_id" in request.match_info:
            fields["job_id"] = request.match_info["job_id"]
        if method.http_method == "DELETE":
            for key in ("signal", "flags"):
                if key in request.query:
                    fields[key] = request.query[key]
        return cls(**fields) if fields else cls()

    async def _error(self, method: MethodInfo, exc: S3MError) -> web.Response:
        if self.gateway:
            response = _json(*_gateway_error(exc))
        else:
            reply = await self.service.error_reply(method, exc)
            response = _json(exc.http_status, _dumps(reply))
        if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
            response.headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
        return response

    @web.middleware
    async def _unmatched(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Unknown paths and verbs answer JSON with `errors[]`, like the matched routes do."""
        try:
            return await handler(request)
        except web.HTTPMethodNotAllowed:
            exc: S3MError = UnsupportedVersionError(
                f"{request.method} is not allowed on {request.path}"
            )
            status = 405
        except web.HTTPNotFound:
            exc = NotFoundError(
                f"no such path {request.path}; paths look like "
                "/slurm/open/{version}/{resource}/ping"
            )
            status = 404
        reply = await self.service.error_reply(v0044.SERVICE.method("Ping"), exc)
        return _json(status, _dumps(reply))


async def start(front: RestFront, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Serve `front.app` on host:port (0: a free port); returns the runner and the port."""
    runner = web.AppRunner(front.app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_address=True)
    await site.start()
    bound = port
    for addr in runner.addresses:
        if isinstance(addr, tuple):
            bound = int(addr[1])
            break
    return runner, bound
