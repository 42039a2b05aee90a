"""A watcher rides out a server restart: the server process is killed mid-wait and started
again on the same ports; the wait goes on and ends with the job's final state."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from s3m_grpc import AsyncClient
from s3m_grpc.states import JobState
from tests.many.conftest import Calls
from tests.reliability.proxies import free_port
from tests.reliability.served import ServedProcess


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedProcess]:
    served = ServedProcess(
        free_port(), free_port(), tmp_path / "sandbox", secrets.token_urlsafe(24)
    )
    served.start()
    try:
        yield served
    finally:
        served.kill()


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_a_wait_survives_a_server_restart(served: ServedProcess, transport: str) -> None:
    calls = Calls()
    async with AsyncClient(
        "odo",
        version="v0.0.44",
        token=served.token,
        endpoint=served.grpc_target,
        rest_url=served.rest_url,
        plaintext=True,
        transport=transport,  # type: ignore[arg-type]
        connect_timeout=1.0,
        retry=False,  # the watcher alone rides the outage
        on_event=calls,
    ) as c:
        held = await c.submit("#!/bin/bash\nsleep 300\n", name="before-restart")
        waiting = asyncio.create_task(
            c.wait(held, timeout=60, poll_interval=0.1, max_interval=0.3, outage_grace=30)
        )
        await asyncio.sleep(0.5)
        assert held.state is None
        assert c.watcher.states([str(held.job_id)]) == {str(held.job_id): "RUNNING"}
        await asyncio.to_thread(served.kill)
        await asyncio.sleep(1.0)
        assert not waiting.done()
        assert "GetJobs" in calls.failed  # polls failed while it was down
        await asyncio.to_thread(served.start)
        # A fresh simulator numbers jobs from 1 again: the job waited for is this one now
        # (submitted by another client over REST: the gRPC connection, which gRPC shares
        # between channels to one address, is the watcher's to restore in its own time).
        async with AsyncClient(
            "odo",
            version="v0.0.44",
            token=served.token,
            endpoint=served.grpc_target,
            rest_url=served.rest_url,
            plaintext=True,
            transport="rest",
        ) as other:
            again = await other.submit("#!/bin/bash\ntrue\n", name="after-restart")
        assert again.job_id == held.job_id
        info = await asyncio.wait_for(waiting, 30)
        assert info.state is JobState.COMPLETED
        assert info.name == "after-restart"
        assert not c.watcher.running
