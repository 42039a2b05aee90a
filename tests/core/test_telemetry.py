"""OpenTelemetry (SDK with in-memory exporters) and on_event hooks see every call: a plain call,
a retried one, one that fell back to REST, and a submit; the trace continues in the server;
no exported attribute holds a token, a script or an environment value."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from s3m_grpc import S3MClientFactory
from s3m_grpc.observe import CallEvent
from s3m_grpc.retry import RetryPolicy
from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.slurm import v0044
from tests.reliability.proxies import FORWARD, GrpcProxy, free_port, grpc_status

SECRET_ENV = "SECRET_ENV_VALUE_" + "e" * 12
SCRIPT = f"#!/bin/bash\n# script-body-{'s' * 12}\necho done\n"


class Otel:
    def __init__(self) -> None:
        self.spans = InMemorySpanExporter()
        self.metrics = InMemoryMetricReader()

    def finished(self) -> list[ReadableSpan]:
        return list(self.spans.get_finished_spans())

    def points(self, name: str) -> list[Any]:
        data = self.metrics.get_metrics_data()
        out = []
        for rm in data.resource_metrics if data else ():
            for sm in rm.scope_metrics:
                for m in sm.metrics:
                    if m.name == name:
                        out += list(m.data.data_points)
        return out

    def total(self, name: str, **attrs: str) -> float:
        return sum(  # type: ignore[no-any-return]
            p.value
            for p in self.points(name)
            if all(p.attributes.get(k) == v for k, v in attrs.items())
        )


@pytest.fixture(scope="module")
def otel() -> Iterator[Otel]:
    o = Otel()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(o.spans))
    trace.set_tracer_provider(tracer_provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[o.metrics]))
    yield o
    o.spans.shutdown()  # later tests' spans are not kept


@pytest.fixture
def spans(otel: Otel) -> Otel:
    otel.spans.clear()
    return otel


def client_spans(o: Otel, method: str) -> list[ReadableSpan]:
    return [
        s for s in o.finished() if s.kind == SpanKind.CLIENT and s.name == f"SlurmIndirect/{method}"
    ]


def server_spans(o: Otel, method: str) -> list[ReadableSpan]:
    return [
        s for s in o.finished() if s.kind == SpanKind.SERVER and s.name == f"SlurmIndirect/{method}"
    ]


def assert_no_secrets(o: Otel, *secrets: str) -> None:
    shown = []
    for s in o.finished():
        shown += [str(v) for v in (s.attributes or {}).values()]
        for e in s.events:
            shown += [str(v) for v in (e.attributes or {}).values()]
    data = o.metrics.get_metrics_data()
    shown.append(data.to_json() if data else "")
    text = "\n".join(shown)
    for secret in secrets:
        assert secret not in text


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_a_call_is_one_client_span_continued_by_the_server(
    spans: Otel, transport: str
) -> None:
    events: list[CallEvent] = []
    async with (
        LocalServer(ServerConfig()) as srv,
        S3MClientFactory(
            srv.grpc_target, srv.token, "odo", plaintext=True, rest_url=srv.rest_url,
            transport=transport, on_event=events.append,  # type: ignore[arg-type]
        ) as f,
    ):  # fmt: skip
        stub = f.create_client(v0044.SlurmIndirectStub)
        await stub.ping()
        (client,) = client_spans(spans, "Ping")
        (server,) = server_spans(spans, "Ping")
        assert client.attributes is not None
        assert client.attributes["s3m.resource"] == "odo"
        assert client.attributes["s3m.api_version"] == "v0.0.44"
        assert client.attributes["s3m.transport"] == transport
        assert client.attributes["s3m.attempts"] == 1
        assert list(client.events) == []  # one attempt that worked: the span says it all
        assert server.context.trace_id == client.context.trace_id
        assert server.parent is not None
        assert server.parent.span_id == client.context.span_id
        assert [e.kind for e in events] == ["call_started", "attempt", "call_finished"]
        assert events[-1].outcome == "ok"
        assert events[-1].transport == transport
        assert spans.total("s3m.client.attempts", method="Ping", transport=transport) >= 1
        durations = [
            p for p in spans.points("s3m.client.call.duration") if p.attributes["outcome"] == "ok"
        ]
        assert sum(p.count for p in durations) >= 1
        assert_no_secrets(spans, srv.token)


async def test_a_retried_call_has_an_event_per_attempt_and_retry(spans: Otel) -> None:
    events: list[CallEvent] = []
    async with (
        LocalServer(ServerConfig()) as srv,
        GrpcProxy(srv.grpc_target) as proxy,
        S3MClientFactory(
            proxy.target, srv.token, "odo", transport="grpc", plaintext=True,
            retry=RetryPolicy(initial_backoff=0.01, max_backoff=0.02),
            on_event=events.append,
        ) as f,
    ):  # fmt: skip
        stub = f.create_client(v0044.SlurmIndirectStub)
        before = spans.total("s3m.client.retries", method="GetJobs")
        proxy.plan.set([grpc_status(grpc.StatusCode.UNAVAILABLE), FORWARD])
        await stub.get_jobs()
        (span,) = client_spans(spans, "GetJobs")
        assert [e.name for e in span.events] == ["attempt", "retry", "attempt"]
        first, retry, second = span.events
        assert first.attributes is not None
        assert first.attributes["status"] == "UNAVAILABLE"
        assert first.attributes["error.type"] == "UnavailableError"
        assert retry.attributes is not None
        delay = retry.attributes["delay"]
        assert isinstance(delay, float)
        assert delay > 0
        assert second.attributes is not None
        assert second.attributes["status"] == "OK"
        assert span.attributes is not None
        assert span.attributes["s3m.attempts"] == 2
        assert spans.total("s3m.client.retries", method="GetJobs") == before + 1
        kinds = [e.kind for e in events]
        assert kinds == ["call_started", "attempt", "retry", "attempt", "call_finished"]


async def test_a_fallback_is_an_event_and_a_metric(spans: Otel) -> None:
    async with (
        LocalServer(ServerConfig()) as srv,
        S3MClientFactory(
            f"127.0.0.1:{free_port()}", srv.token, "odo", plaintext=True,
            rest_url=srv.rest_url, retry=False,
        ) as f,
    ):  # fmt: skip
        stub = f.create_client(v0044.SlurmIndirectStub)
        before = spans.total("s3m.client.fallbacks", method="Ping")
        await stub.ping()
        (span,) = client_spans(spans, "Ping")
        assert [e.name for e in span.events] == ["attempt", "fallback", "attempt"]
        assert span.attributes is not None
        assert span.attributes["s3m.transport"] == "rest"
        assert spans.total("s3m.client.fallbacks", method="Ping") == before + 1
        (server,) = server_spans(spans, "Ping")
        assert server.context.trace_id == span.context.trace_id  # over REST too


async def test_a_submit_span_names_the_new_job_and_holds_no_script_or_env(spans: Otel) -> None:
    async with (
        LocalServer(ServerConfig()) as srv,
        S3MClientFactory(
            srv.grpc_target, srv.token, "odo", plaintext=True, rest_url=srv.rest_url
        ) as f,
    ):
        stub = f.create_client(v0044.SlurmIndirectStub)
        reply = await stub.post_job_submit(
            v0044.JobSubmitReq(
                job=v0044.JobSubmitReqJobDescription(
                    script=SCRIPT, name="otel", environment=["PATH=/bin", f"X={SECRET_ENV}"]
                )
            )
        )
        (span,) = client_spans(spans, "PostJobSubmit")
        assert span.attributes is not None
        assert span.attributes["s3m.job_id"] == str(reply.job_id)
        await stub.get_job(v0044.JobIdReq(job_id=str(reply.job_id)))
        (get,) = client_spans(spans, "GetJob")
        assert get.attributes is not None
        assert get.attributes["s3m.job_id"] == str(reply.job_id)
        assert server_spans(spans, "PostJobSubmit")
        assert_no_secrets(spans, srv.token, SECRET_ENV, "script-body-")
