"""The slurm backend against a real SLURM 22.05 cluster (slurmctld, slurmd, slurmrestd).

Jobs really run: `echo Hello World` writes its output file and completes with exit code 0, a
`sleep 300` is cancelled, `exit 3` fails with exit code 3; partitions, nodes, a reservation made
with `scontrol create reservation`, diag and ping show what the cluster itself reports.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from s3m_grpc.errors import InvalidRequestError, NotFoundError
from s3m_grpc.server.backend import Caller, SubmitRequest
from s3m_grpc.server.slurm import SlurmBackend

from .conftest import NODE_CPUS, Cluster

pytestmark = pytest.mark.slurm
CALLER = Caller("stf040", "alice", frozenset({"compute-ace"}))
DONE = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY"}


@pytest.fixture
async def slurm(slurm_cluster: Cluster) -> AsyncIterator[SlurmBackend]:
    b = SlurmBackend(slurm_cluster.options())  # version detected from slurmrestd
    await b.start()
    yield b
    await b.close()


async def submit(b: SlurmBackend, script: str, **job: Any) -> int:
    job.setdefault("environment", ["PATH=/usr/bin:/bin"])
    result = await b.submit(SubmitRequest(script=script, jobs=[job], caller=CALLER))
    assert result.job_id > 0
    return result.job_id


async def wait_state(b: SlurmBackend, job_id: int, states: set[str], limit: float = 60) -> Any:
    end = time.monotonic() + limit
    while True:
        try:
            [job] = await b.job(job_id)
        except NotFoundError:  # slurmdbd learns of a job a moment after slurmctld
            job = {"state": {"current": ["not in accounting yet"]}}
        else:
            if set(job["state"]["current"]) & states:
                return job
        assert time.monotonic() < end, f"job {job_id} still {job['state']} after {limit}s"
        await asyncio.sleep(0.25)


async def test_hello_world_runs_and_completes(slurm: SlurmBackend, slurm_cluster: Cluster) -> None:
    job_id = await submit(
        slurm, "#!/bin/bash\necho Hello World\n", name="hello", standard_output="hello-%j.out"
    )
    job = await wait_state(slurm, job_id, DONE)
    out = slurm_cluster.jobs_dir / f"hello-{job_id}.out"
    assert job["state"]["current"] == ["COMPLETED"]
    assert job["exit_code"]["status"] == ["SUCCESS"]
    assert job["exit_code"]["return_code"]["number"] == 0
    assert job["stdout_expanded"] == str(out)
    assert out.read_text() == "Hello World\n"
    assert job["nodes"] == "localhost"
    [listed] = [j for j in await slurm.jobs() if j["job_id"] == job_id]
    assert listed["job_state"] == ["COMPLETED"]
    assert listed["name"] == "hello"


async def test_exit_3_fails_with_exit_code_3(slurm: SlurmBackend) -> None:
    job_id = await submit(slurm, "#!/bin/bash\nexit 3\n", name="three")
    job = await wait_state(slurm, job_id, DONE)
    assert job["state"]["current"] == ["FAILED"]
    assert job["exit_code"]["status"] == ["ERROR"]
    assert job["exit_code"]["return_code"]["number"] == 3


async def test_sleep_is_cancelled(slurm: SlurmBackend, slurm_cluster: Cluster) -> None:
    script = "#!/bin/bash\ntouch sleeper-$SLURM_JOB_ID.started\nsleep 300\n"
    job_id = await submit(slurm, script, name="sleeper", standard_output="sleeper-%j.out")
    await wait_state(slurm, job_id, {"RUNNING"})
    started = slurm_cluster.jobs_dir / f"sleeper-{job_id}.started"
    end = time.monotonic() + 30
    while not started.exists():  # the script itself runs: its cancel is a signal
        assert time.monotonic() < end, f"job {job_id}'s script did not start"
        await asyncio.sleep(0.1)
    status = await slurm.cancel(job_id, "", "")
    assert status["job_id"]["number"] == job_id
    job = await wait_state(slurm, job_id, DONE, limit=30)
    assert job["state"]["current"] == ["CANCELLED"]
    assert job["exit_code"]["status"] == ["SIGNALED"]


async def test_partitions_nodes_ping_diag_reflect_the_cluster(
    slurm: SlurmBackend, slurm_cluster: Cluster
) -> None:
    [ping] = await slurm.ping()
    assert ping["pinged"] == "UP"
    assert ping["mode"] == "primary"
    meta = await slurm.meta()
    assert meta["plugin"]["type"] == "openapi/v0.0.38"
    assert meta["slurm"]["release"] == slurm_cluster.run("sinfo", "--version").split()[-1]
    [part] = await slurm.partitions()
    assert part["name"] == slurm_cluster.run("sinfo", "-h", "-o", "%R").strip()
    assert part["nodes"]["configured"] == "localhost"
    assert part["maximums"]["time"]["number"] == 60
    [node] = await slurm.nodes()
    assert node["name"] == "localhost"
    assert node["cpus"] == NODE_CPUS
    assert node["state"][0] in {"IDLE", "MIXED", "ALLOCATED"}
    before = (await slurm.diag())["jobs_submitted"]
    job_id = await submit(slurm, "#!/bin/sh\ntrue\n", name="count")
    assert (await slurm.diag())["jobs_submitted"] == before + 1
    await wait_state(slurm, job_id, DONE)


async def test_reservation_made_with_scontrol_is_listed(
    slurm: SlurmBackend, slurm_cluster: Cluster
) -> None:
    slurm_cluster.run(
        "scontrol",
        "create",
        "reservation",
        "reservationname=maint",
        "starttime=now+1days",
        "duration=60",
        "nodes=ALL",
        f"users={slurm_cluster.user}",
        "flags=maint",
    )
    try:
        [resv] = [r for r in await slurm.reservations() if r["name"] == "maint"]
        assert resv["node_list"] == "localhost"
        assert "MAINT" in resv["flags"]
        assert resv["end_time"]["number"] - resv["start_time"]["number"] == 3600
    finally:
        slurm_cluster.run("scontrol", "delete", "reservationname=maint")
    assert [r for r in await slurm.reservations() if r["name"] == "maint"] == []


async def test_unknown_job_and_bad_partition_are_typed_errors(slurm: SlurmBackend) -> None:
    with pytest.raises(NotFoundError) as missing:
        await slurm.job(987654)
    assert missing.value.errors[0].error_number == 2017
    with pytest.raises(NotFoundError):
        await slurm.cancel(987654, "", "")
    with pytest.raises(InvalidRequestError) as refused:
        await submit(slurm, "#!/bin/sh\ntrue\n", partition="nosuchpartition")
    assert refused.value.errors[0].error_number == 2000
