"""A cluster of several fake nodes (one slurmd each on 127.0.0.1): multi-node jobs and lists."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from s3m_grpc.server.backend import Caller, SubmitRequest
from s3m_grpc.server.slurm import SlurmBackend

from .conftest import Cluster, start_cluster, stop_cluster

pytestmark = pytest.mark.slurm
CALLER = Caller("stf040", "alice", frozenset({"compute-ace"}))


@pytest.fixture(scope="module")
def fake_cluster() -> Iterator[Cluster]:
    cluster = start_cluster(nodes=3, cpus=2)
    try:
        yield cluster
    finally:
        stop_cluster(cluster)


@pytest.fixture
async def slurm(fake_cluster: Cluster) -> AsyncIterator[SlurmBackend]:
    b = SlurmBackend(fake_cluster.options(openapi_version="v0.0.38"))
    yield b
    await b.close()


async def test_nodes_and_partitions_of_a_fake_cluster(slurm: SlurmBackend) -> None:
    nodes = await slurm.nodes()
    assert [n["name"] for n in nodes] == ["node001", "node002", "node003"]
    assert {n["cpus"] for n in nodes} == {2}
    assert all(n["address"] == "127.0.0.1" for n in nodes)
    parts = {p["name"]: p for p in await slurm.partitions()}
    assert sorted(parts) == ["batch", "debug"]
    assert parts["debug"]["nodes"]["configured"] == "node[001-002]"
    assert parts["batch"]["nodes"]["total"] == 3
    assert parts["debug"]["maximums"]["time"]["number"] == 10


async def test_a_two_node_job_runs_across_fake_nodes(
    slurm: SlurmBackend, fake_cluster: Cluster
) -> None:
    script = "#!/bin/bash\nsrun -N2 --ntasks-per-node=1 bash -c 'echo step-on-$SLURMD_NODENAME'\n"
    job = {
        "nodes": "2",
        "partition": "debug",
        "standard_output": "two-%j.out",
        "environment": ["PATH=/usr/bin:/bin"],
    }
    result = await slurm.submit(SubmitRequest(script=script, jobs=[job], caller=CALLER))
    end = time.monotonic() + 60
    while True:
        [rec] = await slurm.job(result.job_id)
        if rec["state"]["current"][0] not in {"PENDING", "RUNNING", "COMPLETING"}:
            break
        assert time.monotonic() < end
        await asyncio.sleep(0.25)
    assert rec["state"]["current"] == ["COMPLETED"]
    assert rec["nodes"] == "node[001-002]"
    assert rec["allocation_nodes"] == 2
    out = (fake_cluster.jobs_dir / f"two-{result.job_id}.out").read_text().split()
    assert sorted(out) == ["step-on-node001", "step-on-node002"]
    [listed] = [j for j in await slurm.jobs() if j["job_id"] == result.job_id]
    assert listed["job_resources"]["nodes"]["count"] == 2
    assert listed["job_resources"]["nodes"]["list"] == "node[001-002]"
