"""The gRPC front end: every version's SlurmIndirect on one `grpc.aio` server, plus
reflection and health.

Handlers come from the generated method tables, so a method added to the protos is served
without edits here. Failures abort with the error's gRPC code, its message, and SLURM's
`errors[]` as encoded `ErrorResp` values under `ERRORS_TRAILER` in the trailing metadata.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import grpc.aio
from google.rpc import status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer as AioHealthServicer
from grpc_reflection.v1alpha import reflection

from s3m_grpc import codec, jsoncodec
from s3m_grpc.errors import (
    ERRORS_TRAILER,
    ErrorEntry,
    InternalError,
    InvalidRequestError,
    RateLimitedError,
    S3MError,
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
from s3m_grpc.slurm.v0044 import ErrorResp
from s3m_grpc.telemetry import TRACE_HEADERS

log = logging.getLogger(__name__)

Behavior = Callable[[bytes, grpc.aio.ServicerContext[Any, Any]], Awaitable[bytes]]


def _first(metadata: Any, key: str) -> str | None:
    for k, v in metadata or ():
        if k == key:
            return v if isinstance(v, str) else None
    return None


def _behavior(service: SlurmService, method: MethodInfo) -> Behavior:
    version = method.http_path.split("/")[2]

    async def behavior(data: bytes, context: grpc.aio.ServicerContext[Any, Any]) -> bytes:
        md = context.invocation_metadata()
        try:
            try:
                request = codec.decode(method.request_type, data)
            except Exception:
                raise InvalidRequestError(
                    f"cannot decode the {method.name} request as "
                    f"{jsoncodec.full_name(method.request_type)}"
                ) from None
            return await service.handle(
                Call(
                    method=method,
                    version=version,
                    request=request,
                    token=_first(md, AUTH_HEADER),
                    resource=_first(md, RESOURCE_HEADER),
                    with_storage=truthy(_first(md, STORAGE_HEADER)),
                    trace={k: v for k, v in md or () if k in TRACE_HEADERS and isinstance(v, str)},
                ),
                codec.encode_dict,
            )
        except S3MError as exc:
            await _abort(context, exc, method)
        except Exception:
            log.exception("internal error in %s", method.grpc_path)
            await _abort(context, InternalError(f"internal server error in {method.name}"), method)
        raise AssertionError("unreachable")  # pragma: no cover  (abort raises)

    return behavior


async def _abort(
    context: grpc.aio.ServicerContext[Any, Any], exc: S3MError, method: MethodInfo
) -> None:
    code = grpc.StatusCode[exc.grpc_status]
    encoded = [_error_bytes(e) for e in exc.errors]
    trailer: tuple[tuple[str, str | bytes], ...] = tuple((ERRORS_TRAILER, b) for b in encoded)
    if encoded:
        # The same entries as a google.rpc.Status's details, the standard place: a
        # grpc-gateway in front of this server passes them on in its JSON error body.
        status = status_pb2.Status(code=code.value[0], message=exc.message)
        for b in encoded:
            status.details.add(type_url=ERROR_RESP_TYPE_URL, value=b)
        trailer += ((STATUS_DETAILS_TRAILER, status.SerializeToString()),)
    if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
        trailer += (("retry-after", f"{exc.retry_after:g}"),)
    await context.abort(code, exc.message, trailing_metadata=trailer)


STATUS_DETAILS_TRAILER = "grpc-status-details-bin"
PENDING_CALLS = 100_000  # calls received, not yet handed to a handler
PENDING_SECONDS = 3600  # how long such a call may wait


def _error_bytes(entry: ErrorEntry) -> bytes:
    """One `ErrorResp`, whose wire is the same in every API version."""
    return codec.encode(
        ErrorResp(
            error_number=entry.error_number,
            error=entry.error,
            source=entry.source,
            description=entry.description,
        )
    )


def handlers(service: SlurmService) -> list[grpc.GenericRpcHandler[Any, Any]]:
    """One generic handler per API version, built from its method table."""
    out: list[grpc.GenericRpcHandler[Any, Any]] = []
    for info in SERVICES.values():
        table = {
            m.name: grpc.unary_unary_rpc_method_handler(
                _behavior(service, m),
                request_deserializer=None,
                response_serializer=None,
            )
            for m in info.methods
        }
        out.append(grpc.method_handlers_generic_handler(info.full_name, table))
    return out


async def build(
    service: SlurmService, host: str, port: int, max_request_bytes: int
) -> tuple[grpc.aio.Server, int]:
    """A started-ready (not yet started) server bound to host:port; returns it and its port."""
    server = grpc.aio.server(
        options=[
            ("grpc.max_receive_message_length", max_request_bytes),
            ("grpc.max_send_message_length", -1),
            ("grpc.so_reuseport", 0),
            # gRPC's core drops calls beyond 1,000 waiting for the application, or waiting
            # over 30 s, as CANCELLED (a submit's outcome unknown to its client). Here they
            # wait, paced by `[limits]` like any call, until served or the caller's deadline.
            ("grpc.server.max_pending_requests", PENDING_CALLS),
            ("grpc.server.max_pending_requests_hard_limit", PENDING_CALLS),
            ("grpc.server_max_unrequested_time_in_server", PENDING_SECONDS),
        ]
    )
    server.add_generic_rpc_handlers(handlers(service))
    health_servicer = AioHealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = [info.full_name for info in SERVICES.values()]
    for info in SERVICES.values():
        # Reflection answers from the default descriptor pool, which holds a version's
        # protos only once its upb module is imported: import each now, not at first call.
        jsoncodec.upb_class(info.methods[0].response_type)
    for name in [*names, ""]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection(
        [*names, reflection.SERVICE_NAME, health.SERVICE_NAME], server
    )
    bound = server.add_insecure_port(f"{host}:{port}")
    if bound == 0:
        from s3m_grpc.errors import UnavailableError

        raise UnavailableError(f"cannot listen for gRPC on {host}:{port}")
    return server, bound
