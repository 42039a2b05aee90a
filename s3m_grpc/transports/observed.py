"""The outermost layer of the transport chain: each logical call is recorded and reported.

See `s3m_grpc.observe` (what is recorded, hooks, logs) and `s3m_grpc.telemetry`
(OpenTelemetry). With no hooks and no OpenTelemetry API installed, a call costs one context
variable set and reset here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import betterproto2

from s3m_grpc import observe
from s3m_grpc.transports.base import CallOptions, Transport

if TYPE_CHECKING:
    from s3m_grpc.observe import EventHook
    from s3m_grpc.rpc import MethodInfo
    from s3m_grpc.telemetry import ClientTelemetry


class ObservedTransport:
    """Opens a `CallRecord` per call, a span when OpenTelemetry is on, and reports the end."""

    def __init__(
        self,
        inner: Transport,
        resource: str,
        *,
        hooks: tuple[EventHook, ...] = (),
        telemetry: ClientTelemetry | None = None,
    ) -> None:
        self.inner = inner
        self.resource = resource
        self.hooks = hooks
        self.telemetry = telemetry

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.inner!r})"

    async def close(self) -> None:
        await self.inner.close()

    async def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> betterproto2.Message:
        job_id = getattr(message, "job_id", None)
        record = observe.CallRecord(
            method.name,
            self.resource,
            method.api_version,
            str(job_id) if job_id else None,
            self.hooks,
            self.telemetry,
        )
        with observe.recording(record):
            observe.started(record)
            if self.telemetry is not None and (trace_headers := self.telemetry.start(record)):
                metadata = (*options.get("metadata", ()), *trace_headers)
                options = {**options, "metadata": metadata}
            return await self._call(record, method, message, options)

    async def _call(
        self,
        record: observe.CallRecord,
        method: MethodInfo,
        message: betterproto2.Message,
        options: CallOptions,
    ) -> betterproto2.Message:
        try:
            reply = await self.inner.unary(method, message, options)
        except BaseException as exc:
            observe.finished(record, exc)
            raise
        if record.job_id is None and (new_id := getattr(reply, "job_id", None)):
            record.job_id = str(new_id)  # a submit's new job
        observe.finished(record, None)
        return reply
