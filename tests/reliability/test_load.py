"""Load: 32 concurrent clients x 200 calls mixing submit, get, list and cancel against the
local server in its own process, bounded in time. No errors but the expected ones (a job id
nobody has is not found), and afterwards every submitted job is listed exactly once.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest

from benchmarks.loadgen import check_jobs, run_load
from s3m_grpc import AsyncClient as Client
from s3m_grpc.states import JobState
from tests.reliability.proxies import free_port
from tests.reliability.served import ServedProcess

if TYPE_CHECKING:
    from s3m_grpc.settings import TransportKind

CLIENTS = 32
CALLS = 200
# Few listings: a GetJobs of N jobs costs the local server ~1 ms per job (docs/reliability.md).
MIX = {"submit": 0.22, "get": 0.45, "list": 0.005, "cancel": 0.22, "get_missing": 0.105}


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


@pytest.mark.timeout(150)
async def test_32_clients_x_200_calls_lose_and_duplicate_nothing(served: ServedProcess) -> None:
    transport = "grpc"  # REST under the same load: benchmarks/bench_load.py

    def client() -> Client:
        return Client(
            "odo",
            version="v0.0.44",
            transport=cast("TransportKind", transport),
            token=served.token,
            endpoint=served.grpc_target,
            rest_url=served.rest_url,
            plaintext=True,
        )

    clients = [client() for _ in range(CLIENTS)]
    try:
        report = await run_load(clients, calls=CALLS, max_seconds=100, mix=MIX)
    finally:
        for c in clients:
            await c.close()
    print(f"\n{transport}: {report.summary()}")
    assert report.errors == []
    assert report.calls == CLIENTS * CALLS
    assert len(report.submitted) > CLIENTS * CALLS // 5
    async with client() as c:
        jobs = await c.list_jobs(timeout=60)
    assert check_jobs(report, [j.job_id for j in jobs]) == []
    states = {j.job_id: j.state for j in jobs}
    assert {states[j] for j in report.cancelled} == {JobState.CANCELLED}
