"""Issue 7 end to end: our client, over gRPC and over REST, against the local server with the
slurm backend on a real cluster. Job paths are S3M-style cluster paths (`/lustre/...`), mapped
under the backend's `path_root`, where the test then reads the output file.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import httpx
import pytest

from s3m_grpc import AsyncClient as Client
from s3m_grpc.errors import NotFoundError
from s3m_grpc.server.config import SandboxConfig, ServerConfig
from s3m_grpc.server.local import LocalServer
from s3m_grpc.states import JobState

from .conftest import Cluster

if TYPE_CHECKING:
    from s3m_grpc.settings import TransportKind

pytestmark = pytest.mark.slurm
RESOURCE = "odo"  # serves v0.0.43 and v0.0.44
SCRATCH = "/lustre/orion/stf040/scratch/alice"


@pytest.fixture(scope="module")
def job_root() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="s3m-slurm-jobs-") as d:
        root = Path(d)
        root.chmod(0o755)
        yield root


@pytest.fixture
async def server(slurm_cluster: Cluster, job_root: Path) -> AsyncIterator[LocalServer]:
    cfg = ServerConfig(
        backend="slurm",
        backend_options=slurm_cluster.options(path_root=str(job_root)),
        sandbox=SandboxConfig(root=job_root),
    )
    async with LocalServer(cfg) as srv:
        yield srv


def client(srv: LocalServer, transport: str, version: str | None = None) -> Client:
    return Client(
        RESOURCE,
        version=version,
        endpoint=srv.grpc_target,
        rest_url=srv.rest_url,
        token=srv.token,
        transport=cast("TransportKind", transport),
        plaintext=True,
    )


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_jobs_really_run(server: LocalServer, job_root: Path, transport: str) -> None:
    async with client(server, transport) as c:
        hello = await c.submit(
            "#!/bin/bash\necho Hello World\n",
            name=f"hello-{transport}",
            cwd=SCRATCH,
            stdout="hello-%j.out",
            env={"PATH": "/usr/bin:/bin"},
        )
        three = await c.submit("#!/bin/bash\nexit 3\n", cwd=SCRATCH, name="three")
        sleeper = await c.submit("#!/bin/bash\nsleep 300\n", cwd=SCRATCH, name="sleeper")

        done = await c.wait(hello.job_id, timeout=60, poll_interval=0.25, max_interval=1)
        assert done.state is JobState.COMPLETED
        assert done.exit_code == 0
        assert done.cwd == SCRATCH
        out = job_root / SCRATCH.lstrip("/") / f"hello-{hello.job_id}.out"
        assert out.read_text() == "Hello World\n"
        assert server.host_path(f"{SCRATCH}/hello-{hello.job_id}.out") == out

        failed = await c.wait(three.job_id, timeout=60, poll_interval=0.25, max_interval=1)
        assert failed.state is JobState.FAILED
        assert failed.exit_code == 3

        for _ in range(240):
            if (await c.get_job(sleeper.job_id)).state is JobState.RUNNING:
                break
            await asyncio.sleep(0.1)
        await c.cancel(sleeper.job_id)
        cancelled = await c.wait(sleeper.job_id, timeout=30, poll_interval=0.25, max_interval=1)
        assert cancelled.state is JobState.CANCELLED

        listed = {j.job_id: j for j in await c.list_jobs()}
        assert listed[hello.job_id].state is JobState.COMPLETED
        with pytest.raises(NotFoundError):
            await c.get_job(987654)


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_cluster_facts_over_the_wire(
    server: LocalServer, slurm_cluster: Cluster, transport: str
) -> None:
    slurm_cluster.run(
        "scontrol",
        "create",
        "reservation",
        "reservationname=wire",
        "starttime=now+1days",
        "duration=30",
        "nodes=ALL",
        f"users={slurm_cluster.user}",
    )
    try:
        async with client(server, transport, version="v0.0.43") as c:
            [ping] = (await c.ping()).controllers
            [part] = await c.partitions()
            [node] = await c.nodes()
            resv = [r for r in await c.reservations() if r.name == "wire"]
            diag = await c.diag()
    finally:
        slurm_cluster.run("scontrol", "delete", "reservationname=wire")
    assert ping.pinged == "UP"
    assert part.name == slurm_cluster.run("sinfo", "-h", "-o", "%R").strip()
    assert node.name == "localhost"
    assert node.cpus == int(slurm_cluster.run("sinfo", "-h", "-N", "-o", "%c").strip())
    assert [r.node_list for r in resv] == ["localhost"]
    assert diag.raw.statistics is not None
    assert diag.jobs_submitted == diag.raw.statistics.jobs_submitted >= 0
    assert diag.raw.statistics.server_thread_count > 0


async def test_rest_json_carries_slurm_errors_and_exit_codes(server: LocalServer) -> None:
    base = f"{server.rest_url}/slurm/open/v0.0.44/{RESOURCE}"
    headers = {"Authorization": server.token}
    async with httpx.AsyncClient(headers=headers, timeout=30) as http:
        missing = await http.get(f"{base}/job/987654")
        assert missing.status_code == 404
        body: Any = missing.json()
        assert body["errors"][0]["error_number"] == 2017
        bad = await http.post(
            f"{base}/job/submit",
            json={"script": "#!/bin/sh\ntrue\n", "job": {"partition": "nosuch"}},
        )
        assert bad.status_code == 400
        assert bad.json()["errors"][0]["error_number"] == 2000
        pong = await http.get(f"{base}/ping")
        assert pong.status_code == 200
        assert pong.json()["meta"]["slurm"]["release"].startswith(("2", "3"))
