"""Traces and metrics of a few S3M calls, printed to the console.

    pip install 's3m-grpc[otel]' opentelemetry-sdk
    python examples/otel_console.py

Runs against a local S3M server started in-process (no token, no network); point the factory at
S3M instead to trace real calls.
"""

from __future__ import annotations

import asyncio

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import ConsoleMetricExporter, PeriodicExportingMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

from s3m_grpc import S3MClientFactory
from s3m_grpc.observe import CallEvent
from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.slurm.v0044 import JobIdReq, SlurmIndirectStub

provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
trace.set_tracer_provider(provider)
reader = PeriodicExportingMetricReader(ConsoleMetricExporter(), export_interval_millis=60_000)
metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))


def on_event(event: CallEvent) -> None:
    """Without OpenTelemetry: the same facts, for any metrics system."""
    if event.kind == "call_finished":
        print(f"{event.method}: {event.outcome} over {event.transport} in {event.duration:.4f} s")


async def main() -> None:
    async with (
        LocalServer(ServerConfig()) as server,
        S3MClientFactory(
            server.grpc_target,
            server.token,
            "odo",
            plaintext=True,
            rest_url=server.rest_url,
            on_event=on_event,
        ) as factory,
    ):
        stub = factory.create_client(SlurmIndirectStub)
        await stub.ping()
        jobs = await stub.get_jobs()
        if jobs.jobs:
            await stub.get_job(JobIdReq(job_id=str(jobs.jobs[0].job_id)))


asyncio.run(main())
provider.shutdown()
metrics.get_meter_provider().shutdown()  # type: ignore[attr-defined]
