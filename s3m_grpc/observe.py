"""What happens to each call, told to whoever listens: hooks, OpenTelemetry, logs.

The outermost layer of the transport chain (`ObservedTransport`) opens a `CallRecord` for each
logical call and makes it current (a context variable, so it follows the call through every
layer and task). The layers below note what they see on it: each attempt (which transport,
which status), each retry (why, how long, `Retry-After`), each fallback (why). When the call
ends, the record is complete and is reported:

- to `on_event` hooks (`S3MClientFactory(on_event=...)`, the clients' `on_event=`), as
  `CallEvent`s, for services that feed their own metrics system;
- to OpenTelemetry when its API is installed (`s3m_grpc.telemetry`): a span per call with an
  event per attempt, and metrics;
- to the logs (`s3m_grpc.*` loggers) as structured records (`extra={"s3m": {...}}`).

Nothing here ever holds a token, a script or an environment value: only method, resource, API
version, job id, transport names, status codes, error class names and timings.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from s3m_grpc.telemetry import ClientTelemetry

log = logging.getLogger(__name__)

EventKind = Literal["call_started", "attempt", "retry", "fallback", "call_finished"]


@dataclass(frozen=True, slots=True)
class CallEvent:
    """One thing that happened to a call (see `EventKind`); fields not relevant are None."""

    kind: EventKind
    method: str
    """The RPC, e.g. `GetJobs`."""
    resource: str
    api_version: str
    job_id: str | None = None
    transport: str | None = None
    """`grpc` or `rest`: who carried the attempt (for `call_finished`: the last one)."""
    attempt: int = 0
    """1 for the first attempt; for `call_finished`, how many were made."""
    status: str | None = None
    """gRPC status name (`UNAVAILABLE`) or HTTP status (`503`) of the attempt, `OK` if it worked."""
    error: str | None = None
    """The error's class name (`UnavailableError`); None on success."""
    delay: float | None = None
    """`retry`: seconds until the next attempt."""
    retry_after: float | None = None
    """`retry`: what the server asked for, if anything."""
    duration: float | None = None
    """`call_finished`: seconds for the whole call, retries included."""
    time_ns: int = 0
    """When it happened (`time.time_ns()`)."""

    @property
    def outcome(self) -> str:
        """`ok`, or the error's class name."""
        return self.error or "ok"


EventHook = Callable[[CallEvent], None]


@dataclass(slots=True)
class CallRecord:
    """The call in progress: what the layers below have noted so far."""

    method: str
    resource: str
    api_version: str
    job_id: str | None
    hooks: tuple[EventHook, ...]
    telemetry: ClientTelemetry | None = None
    span: Any = None
    """The OpenTelemetry span of the call, when one is recording."""
    measured: bool = False
    """Whether OpenTelemetry metrics are being collected for it."""
    started: float = field(default_factory=time.perf_counter)
    attempts: int = 0
    transport: str | None = None
    events: list[CallEvent] = field(default_factory=list)
    """Attempts, retries and fallbacks, in order (telemetry turns them into span events)."""

    def _event(
        self,
        kind: EventKind,
        *,
        transport: str | None,
        attempt: int,
        error: str | None,
        status: str | None = None,
        delay: float | None = None,
        retry_after: float | None = None,
    ) -> CallEvent:
        event = CallEvent(
            kind,
            self.method,
            self.resource,
            self.api_version,
            self.job_id,
            transport=transport,
            attempt=attempt,
            status=status,
            error=error,
            delay=delay,
            retry_after=retry_after,
            time_ns=time.time_ns(),
        )
        self.events.append(event)
        for hook in self.hooks:
            _safely(hook, event)
        if self.telemetry is not None:
            self.telemetry.event(self, event)
        return event

    def attempt(self, transport: str, status: str, error: BaseException | None = None) -> None:
        """One attempt ended (noted by the gRPC and REST transports)."""
        self.attempts += 1
        self.transport = transport
        self._event(
            "attempt",
            transport=transport,
            attempt=self.attempts,
            status=status,
            error=type(error).__name__ if error is not None else None,
        )

    def retry(self, error: BaseException, delay: float, retry_after: float | None) -> None:
        """The call will be tried again after `delay` seconds (noted by the retry layer)."""
        event = self._event(
            "retry",
            transport=self.transport,
            attempt=self.attempts,
            error=type(error).__name__,
            delay=delay,
            retry_after=retry_after,
        )
        log.info(
            "%s failed (%s); retry after attempt %d in %.2f s",
            self.method,
            event.error,
            self.attempts,
            delay,
            extra={"s3m": _fields(event)},
        )

    def fallback(self, error: BaseException) -> None:
        """gRPC failed at the transport level (or is in its cooldown after failing); REST
        carries this attempt (noted by the fallback layer)."""
        event = self._event(
            "fallback", transport="grpc", attempt=self.attempts, error=type(error).__name__
        )
        log.debug(
            "%s: gRPC unavailable (%s); REST carries it",
            self.method,
            event.error,
            extra={"s3m": _fields(event)},
        )


_CURRENT: ContextVar[CallRecord | None] = ContextVar("s3m_call", default=None)


def current() -> CallRecord | None:
    """The call being made in this context, if an `ObservedTransport` opened one."""
    return _CURRENT.get()


@contextmanager
def recording(record: CallRecord) -> Iterator[CallRecord]:
    """Make `record` current for the duration of the call."""
    token = _CURRENT.set(record)
    try:
        yield record
    finally:
        _CURRENT.reset(token)


def started(record: CallRecord) -> None:
    """Tell the hooks a call started."""
    if record.hooks:
        event = CallEvent(
            "call_started", record.method, record.resource, record.api_version, record.job_id
        )
        for hook in record.hooks:
            _safely(hook, event)


def finished(record: CallRecord, error: BaseException | None) -> CallEvent:
    """The `call_finished` event of a record (given to the hooks)."""
    event = CallEvent(
        "call_finished",
        record.method,
        record.resource,
        record.api_version,
        record.job_id,
        transport=record.transport,
        attempt=record.attempts,
        error=type(error).__name__ if error is not None else None,
        duration=time.perf_counter() - record.started,
    )
    for hook in record.hooks:
        _safely(hook, event)
    if record.telemetry is not None:
        record.telemetry.finish(record, event)
    return event


def _fields(event: CallEvent) -> dict[str, object]:
    return {k: getattr(event, k) for k in event.__slots__ if getattr(event, k) is not None}


def _safely(hook: EventHook, event: CallEvent) -> None:
    """A failing hook is logged, never breaks the call."""
    try:
        hook(event)
    except Exception:
        log.exception("an on_event hook failed on %s", event.kind)
