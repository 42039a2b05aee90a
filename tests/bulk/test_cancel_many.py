"""`cancel_many` on a mix of running, pending, finished and unknown jobs reports each one."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from s3m_grpc.bulk import CancelStatus, HasJobId
from s3m_grpc.errors import NotFoundError, PermissionDeniedError
from s3m_grpc.server import LocalServer
from s3m_grpc.states import JobState
from tests.bulk.conftest import client_of, later

UNKNOWN = 4_000_000_000


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_cancel_many_reports_each_job_of_a_mix(server: LocalServer, transport: str) -> None:
    tag = uuid.uuid4().hex[:6]
    async with client_of(server, transport) as c:
        finished = await c.submit("#!/bin/bash\ntrue\n", name=f"done-{tag}")
        running = await c.submit("#!/bin/bash\nsleep 60\n", name=f"run-{tag}")
        pending = await c.submit(later(f"pend-{tag}"))
        await c.wait(finished.job_id, timeout=30, poll_interval=0.1)
        for _ in range(200):
            if (await c.get_job(running.job_id)).state is JobState.RUNNING:
                break
            await asyncio.sleep(0.05)
        assert (await c.get_job(pending.job_id)).state is JobState.PENDING

        mix: list[int | str | HasJobId] = [running, pending.job_id, str(finished.job_id), UNKNOWN]
        outcomes = await c.cancel_many(mix, concurrency=2)

        assert [o.index for o in outcomes] == [0, 1, 2, 3]
        assert [o.job_id for o in outcomes] == [
            str(running.job_id),
            str(pending.job_id),
            str(finished.job_id),
            str(UNKNOWN),
        ]
        assert [o.status for o in outcomes] == [
            CancelStatus.CANCELLED,
            CancelStatus.CANCELLED,
            CancelStatus.FINISHED,
            CancelStatus.NOT_FOUND,
        ]
        assert [o.ok for o in outcomes] == [True, True, True, False]
        assert isinstance(outcomes[3].error, NotFoundError)
        assert outcomes[2].error is not None
        assert "already" in str(outcomes[2].error)
        assert outcomes[0].result is not None
        assert outcomes[0].error is None
        for job in (running, pending):
            assert (await c.get_job(job.job_id)).state is JobState.CANCELLED
        assert (await c.get_job(finished.job_id)).state is JobState.COMPLETED


async def test_cancel_many_with_a_read_only_token_is_denied_per_job(server: LocalServer) -> None:
    async with client_of(server) as writer:
        jobs = [await writer.submit(later(f"ro-{i}")) for i in range(3)]
    async with client_of(server, token=server.readonly_token) as reader:
        outcomes = await reader.cancel_many(jobs)
    assert [o.status for o in outcomes] == [CancelStatus.DENIED] * 3
    assert all(isinstance(o.error, PermissionDeniedError) for o in outcomes)
    async with client_of(server) as writer:
        states = [(await writer.get_job(j.job_id)).state for j in jobs]
        assert states == [JobState.PENDING] * 3
        done = await writer.cancel_many(jobs)
    assert [o.status for o in done] == [CancelStatus.CANCELLED] * 3
