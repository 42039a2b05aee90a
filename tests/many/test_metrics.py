"""The watcher's metrics (OpenTelemetry SDK, in-memory reader): its calls by method and the
number of jobs it follows."""

from __future__ import annotations

from typing import Any

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from s3m_grpc.server import LocalServer
from s3m_grpc.states import JobState
from s3m_grpc.telemetry import WatcherTelemetry
from s3m_grpc.waiting import WaitSettings
from s3m_grpc.watcher import JobWatcher
from tests.many.conftest import Calls, client_on


def points(reader: InMemoryMetricReader, name: str) -> list[Any]:
    data = reader.get_metrics_data()
    out = []
    for rm in data.resource_metrics if data else ():
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                if m.name == name:
                    out += list(m.data.data_points)
    return out


def total(reader: InMemoryMetricReader, name: str, **attrs: str) -> int:
    return sum(
        int(p.value)
        for p in points(reader, name)
        if all(p.attributes.get(k) == v for k, v in attrs.items())
    )


async def test_polls_by_call_and_jobs_watched(ageing_server: LocalServer) -> None:
    reader = InMemoryMetricReader()
    telemetry = WatcherTelemetry(meter_provider=MeterProvider(metric_readers=[reader]))
    calls = Calls()
    async with client_on(ageing_server, calls) as c:
        jobs = [await c.submit("#!/bin/bash\nsleep 0.5\n", name=f"m-{i}") for i in range(3)]
        watcher = JobWatcher(c, telemetry=telemetry)
        sub = watcher.wait(
            [str(j.job_id) for j in jobs], WaitSettings(timeout=30, poll_interval=0.1)
        )
        assert total(reader, "s3m.watcher.jobs") == 3
        finished = [e async for e in sub.events()]
        assert {e.info.state for e in finished} == {JobState.COMPLETED}
        assert total(reader, "s3m.watcher.polls", call="GetJobs") == calls.count("GetJobs") > 0
        # The jobs left the queue as they ended: accounting gave their final states.
        assert total(reader, "s3m.watcher.polls", call="GetJob") == calls.count("GetJob") > 0
        assert total(reader, "s3m.watcher.jobs") == 0
        await watcher.close()
