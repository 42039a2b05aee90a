"""OpenTelemetry traces and metrics for the client and the local server (extra `[otel]`).

Only the OpenTelemetry API is used; without a configured SDK its tracer and meter do nothing.
When the API is not installed at all, `CLIENT` and `SERVER` are None and nothing here runs.

Client: one span per logical call (`SlurmIndirect/<Method>`, kind CLIENT) with an event per
attempt, retry and fallback (`s3m_grpc.observe`), the W3C `traceparent` sent as gRPC metadata /
an HTTP header, and the metrics below. Server: a span per call (kind SERVER) that continues the
caller's trace. Attributes are method, resource, API version, job id, transport, status codes
and error class names: never a token, a script or an environment value.

| metric | kind | attributes |
| --- | --- | --- |
| `s3m.client.call.duration` (s) | histogram | method, transport, outcome |
| `s3m.client.attempts` | counter | method, transport, outcome |
| `s3m.client.retries` | counter | method, reason |
| `s3m.client.fallbacks` | counter | method, reason |
| `s3m.client.rate_limit_waits` | counter | method |
| `s3m.watcher.polls` | counter | call (`GetJobs`, `GetJob`) |
| `s3m.watcher.jobs` | up-down counter | (jobs the shared watcher follows) |
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from s3m_grpc import __version__

if TYPE_CHECKING:
    from s3m_grpc.observe import CallEvent, CallRecord

try:
    from opentelemetry import metrics, propagate, trace
    from opentelemetry.metrics._internal import _ProxyMeterProvider
    from opentelemetry.trace import ProxyTracerProvider, SpanKind, StatusCode
except ImportError:  # the [otel] extra is not installed
    trace = None  # type: ignore[assignment]

SERVICE = "SlurmIndirect"


class ClientTelemetry:
    """Spans and metrics of client calls (the global providers unless given others).

    Cheap when nobody listens: while the global providers are still OpenTelemetry's
    placeholders (no SDK configured), no span is started and nothing is measured. A call whose
    first attempt succeeds is one span (its attributes say transport, attempts and outcome);
    a call that needed more gets an event per attempt, retry and fallback.
    """

    def __init__(self, tracer_provider: Any = None, meter_provider: Any = None) -> None:
        self._fixed = (tracer_provider is not None, meter_provider is not None)
        self.tracer = trace.get_tracer("s3m_grpc", __version__, tracer_provider=tracer_provider)
        meter = (meter_provider or metrics.get_meter_provider()).get_meter("s3m_grpc", __version__)
        self.duration = meter.create_histogram(
            "s3m.client.call.duration", unit="s", description="S3M calls, retries included"
        )
        self.attempts = meter.create_counter("s3m.client.attempts", description="attempts made")
        self.retries = meter.create_counter("s3m.client.retries", description="retries made")
        self.fallbacks = meter.create_counter(
            "s3m.client.fallbacks", description="attempts moved from gRPC to REST"
        )
        self.rate_limit_waits = meter.create_counter(
            "s3m.client.rate_limit_waits", description="retries that waited out a rate limit"
        )

    def _tracing(self) -> bool:
        return self._fixed[0] or not isinstance(trace.get_tracer_provider(), ProxyTracerProvider)

    def _measuring(self) -> bool:
        return self._fixed[1] or not isinstance(metrics.get_meter_provider(), _ProxyMeterProvider)

    def start(self, record: CallRecord) -> tuple[tuple[str, str], ...]:
        """Start the call's span (if tracing); the trace context headers to send with it."""
        record.measured = self._measuring()
        if not self._tracing():
            return ()
        attributes: dict[str, Any] = {
            "rpc.system": "grpc",
            "rpc.service": SERVICE,
            "rpc.method": record.method,
            "s3m.resource": record.resource,
            "s3m.api_version": record.api_version,
        }
        if record.job_id:
            attributes["s3m.job_id"] = record.job_id
        span = self.tracer.start_span(
            f"{SERVICE}/{record.method}",
            kind=SpanKind.CLIENT,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        )
        if not span.is_recording():
            return ()
        record.span = span
        carrier: dict[str, str] = {}
        propagate.inject(carrier, context=trace.set_span_in_context(span))
        return tuple(carrier.items())

    def event(self, record: CallRecord, event: CallEvent) -> None:
        """A retry or fallback: its metric (span events are added when the call ends)."""
        if not record.measured:
            return
        if event.kind == "retry":
            self.retries.add(1, {"method": event.method, "reason": event.error or ""})
            if event.retry_after is not None:
                self.rate_limit_waits.add(1, {"method": event.method})
        elif event.kind == "fallback":
            self.fallbacks.add(1, {"method": event.method, "reason": event.error or ""})

    def finish(self, record: CallRecord, event: CallEvent) -> None:
        """End the call's span with its outcome (and its events, if it took more than one
        attempt); record its duration and attempts."""
        span = record.span
        if span is not None:
            if event.attempt > 1 or event.error:
                for e in record.events:
                    span.add_event(e.kind, _attributes(e), timestamp=e.time_ns)
            span.set_attributes(
                {"s3m.attempts": event.attempt, "s3m.transport": event.transport or ""}
            )
            if event.job_id:
                span.set_attribute("s3m.job_id", event.job_id)
            if event.error:
                span.set_attribute("error.type", event.error)
                span.set_status(StatusCode.ERROR, event.error)
            span.end()
        if record.measured:
            attributes = {
                "method": event.method,
                "transport": event.transport or "",
                "outcome": event.outcome,
            }
            self.duration.record(event.duration or 0.0, attributes)
            self.attempts.add(event.attempt, attributes)


class WatcherTelemetry:
    """Metrics of the shared job watcher (`s3m_grpc.watcher`): its calls by method, and how
    many jobs it follows. Nothing is measured while no SDK is configured."""

    def __init__(self, meter_provider: Any = None) -> None:
        self._fixed = meter_provider is not None
        meter = (meter_provider or metrics.get_meter_provider()).get_meter("s3m_grpc", __version__)
        self.polls = meter.create_counter(
            "s3m.watcher.polls", description="calls the job watcher made, by call"
        )
        self.jobs = meter.create_up_down_counter(
            "s3m.watcher.jobs", description="jobs the job watcher follows"
        )

    def _measuring(self) -> bool:
        return self._fixed or not isinstance(metrics.get_meter_provider(), _ProxyMeterProvider)

    def poll(self, method: str) -> None:
        """One call of the watcher's poll (`GetJobs` or `GetJob`)."""
        if self._measuring():
            self.polls.add(1, {"call": method})

    def watched(self, delta: int) -> None:
        """Jobs started (`delta > 0`) or stopped (`< 0`) being followed."""
        if self._measuring():
            self.jobs.add(delta)


class ServerTelemetry:
    """Spans of the local server's calls, continuing the caller's trace."""

    def __init__(self) -> None:
        self.tracer = trace.get_tracer("s3m_grpc.server", __version__)

    @contextmanager
    def call(
        self, method: str, resource: str | None, version: str, carrier: Mapping[str, str]
    ) -> Iterator[None]:
        parent = propagate.extract(dict(carrier)) if carrier else None
        attributes = {
            "rpc.system": "grpc",
            "rpc.service": SERVICE,
            "rpc.method": method,
            "s3m.resource": resource or "",
            "s3m.api_version": version,
        }
        with self.tracer.start_as_current_span(
            f"{SERVICE}/{method}", context=parent, kind=SpanKind.SERVER, attributes=attributes
        ) as span:
            try:
                yield
            except Exception as exc:
                span.set_attribute("error.type", type(exc).__name__)
                span.set_status(StatusCode.ERROR, type(exc).__name__)
                raise


def _attributes(event: CallEvent) -> dict[str, Any]:
    out: dict[str, Any] = {"attempt": event.attempt}
    for key in ("transport", "status", "error", "delay", "retry_after"):
        value = getattr(event, key)
        if value is not None:
            out["error.type" if key == "error" else key] = value
    return out


# Trace context headers the server reads (W3C Trace Context).
TRACE_HEADERS = ("traceparent", "tracestate")
CLIENT: ClientTelemetry | None = ClientTelemetry() if trace is not None else None
SERVER: ServerTelemetry | None = ServerTelemetry() if trace is not None else None
WATCHER: WatcherTelemetry | None = WatcherTelemetry() if trace is not None else None
