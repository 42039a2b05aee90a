"""The slurm backend's v0.0.42, v0.0.43 and v0.0.44 dialects against a live slurmrestd.

One Slurm 26.05 cluster from Debian sid (`scripts/slurm-start --release sid`) serves all three
versions from one slurmrestd; for each version a local server is pinned to that dialect, and our
client calls every method over gRPC and over REST: a job that completes (its output file read
back), one that fails with exit code 3, one that is signalled and then cancelled with SIGKILL,
the listings, and the error cases (unknown job for GetJob and DeleteJob, unknown partition,
missing script, both `job` and `jobs`), each with SLURM's error number and nothing queued.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from s3m_grpc import AsyncClient
from s3m_grpc.errors import InvalidRequestError, NotFoundError, S3MError
from s3m_grpc.server.config import SandboxConfig, ServerConfig
from s3m_grpc.server.local import LocalServer
from s3m_grpc.server.slurm.v004x import VERSIONS
from s3m_grpc.settings import TransportKind
from s3m_grpc.states import JobState

from .conftest import NODE_CPUS, Cluster

pytestmark = [
    pytest.mark.slurm,
    pytest.mark.filterwarnings("ignore:S3M API v0.0.42 is deprecated"),
]
# A resource that serves each version (the S3M docs' table).
RESOURCE = {"v0.0.42": "defiant", "v0.0.43": "defiant", "v0.0.44": "odo"}
SCRATCH = "/lustre/orion/stf040/scratch/alice"
TRANSPORTS = ("grpc", "rest")


@pytest.fixture(scope="module", params=VERSIONS)
def live(request: pytest.FixtureRequest, current_cluster: Cluster) -> Iterator[LocalServer]:
    """A local server whose slurm backend speaks one slurmrestd version (pinned, not detected).

    Its sandbox lies under /tmp, which the cluster's chroot shares, so jobs write where the test
    reads."""
    version = str(request.param)
    with tempfile.TemporaryDirectory(prefix="s3m-live-jobs-") as d:
        root = Path(d)
        root.chmod(0o755)
        cfg = ServerConfig(
            backend="slurm",
            backend_options=current_cluster.options(path_root=d, openapi_version=version),
            sandbox=SandboxConfig(root=root),
        )
        srv = LocalServer(cfg).start_in_thread()
        try:
            yield srv
        finally:
            srv.stop()


def version_of(srv: LocalServer) -> str:
    return str(srv.config.backend_options["openapi_version"])


def client(srv: LocalServer, transport: TransportKind) -> AsyncClient:
    version = version_of(srv)
    return AsyncClient(
        RESOURCE[version],
        version=version,
        endpoint=srv.grpc_target,
        rest_url=srv.rest_url,
        token=srv.token,
        transport=transport,
        plaintext=True,
        retry=False,
    )


async def until_state(c: AsyncClient, job_id: int, state: JobState, limit: float = 60) -> None:
    for _ in range(int(limit / 0.1)):
        if (await c.get_job(job_id)).state is state:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} never reached {state}")


def queued(cluster: Cluster) -> set[str]:
    return set(cluster.run("squeue", "-h", "-o", "%A").split())


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_jobs_complete_fail_and_are_cancelled(
    live: LocalServer, current_cluster: Cluster, transport: TransportKind
) -> None:
    async with client(live, transport) as c:
        hello = await c.submit(
            "#!/bin/bash\necho Hello World\n",
            name=f"hello-{transport}",
            cwd=SCRATCH,
            stdout="hello-%j.out",
            env={"PATH": "/usr/bin:/bin"},
        )
        three = await c.submit("#!/bin/bash\nexit 3\n", cwd=SCRATCH, name="three")
        sleeper = await c.submit(
            "#!/bin/bash\ntrap 'echo USR1 >> usr1.txt' USR1\nwhile true; do sleep 0.2; done\n",
            cwd=SCRATCH,
            name="sleeper",
        )

        done = await c.wait(hello.job_id, timeout=60, poll_interval=0.25, max_interval=1)
        assert done.state is JobState.COMPLETED
        assert done.exit_code == 0
        assert done.cwd == SCRATCH
        assert done.nodes == "localhost"
        out = live.host_path(f"{SCRATCH}/hello-{hello.job_id}.out")
        assert out.read_text() == "Hello World\n"

        failed = await c.wait(three.job_id, timeout=60, poll_interval=0.25, max_interval=1)
        assert failed.state is JobState.FAILED
        assert failed.exit_code == 3
        assert failed.reason == "NonZeroExitCode"

        await until_state(c, sleeper.job_id, JobState.RUNNING)
        await c.cancel(sleeper.job_id, signal="SIGUSR1")  # delivered; the script traps it
        trapped = live.host_path(f"{SCRATCH}/usr1.txt")
        for _ in range(100):
            if trapped.exists():
                break
            await asyncio.sleep(0.1)
        assert trapped.read_text() == "USR1\n"
        trapped.unlink()
        assert (await c.get_job(sleeper.job_id)).state is JobState.RUNNING
        await c.cancel(sleeper.job_id, signal="SIGKILL")
        cancelled = await c.wait(sleeper.job_id, timeout=30, poll_interval=0.25, max_interval=1)
        assert cancelled.state is JobState.CANCELLED
        assert str(sleeper.job_id) not in queued(current_cluster)

        listed = {j.job_id: j for j in await c.list_jobs()}
        assert listed[hello.job_id].state is JobState.COMPLETED
        assert listed[three.job_id].state is JobState.FAILED
        assert listed[sleeper.job_id].state is JobState.CANCELLED
        assert listed[hello.job_id].name == f"hello-{transport}"


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_cluster_facts(
    live: LocalServer, current_cluster: Cluster, transport: TransportKind
) -> None:
    name = f"live-{transport}-{version_of(live).replace('.', '')}"
    current_cluster.run(
        "scontrol",
        "create",
        "reservation",
        f"reservationname={name}",
        "starttime=now+1days",
        "duration=30",
        "nodes=ALL",
        "users=root",
    )
    try:
        async with client(live, transport) as c:
            [ping] = (await c.ping()).controllers
            [part] = await c.partitions()
            [node] = await c.nodes()
            resv = [r for r in await c.reservations() if r.name == name]
            diag = await c.diag()
            before = diag.jobs_submitted
            job = await c.submit("#!/bin/sh\ntrue\n", cwd=SCRATCH, name="count")
            after = (await c.diag()).jobs_submitted
            await c.wait(job.job_id, timeout=60, poll_interval=0.25, max_interval=1)
    finally:
        current_cluster.run("scontrol", "delete", f"reservationname={name}")
    assert ping.pinged == "UP"
    assert part.name == current_cluster.run("sinfo", "-h", "-o", "%R").strip()
    assert part.node_list == "localhost"
    assert node.name == "localhost"
    assert node.cpus == NODE_CPUS
    assert [r.node_list for r in resv] == ["localhost"]
    start, end = resv[0].start_time, resv[0].end_time
    assert start is not None
    assert end is not None
    assert (end - start).total_seconds() == 1800
    assert after == before + 1
    assert diag.raw.statistics is not None
    assert diag.raw.statistics.server_thread_count > 0


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_errors_carry_slurms_numbers(
    live: LocalServer, current_cluster: Cluster, transport: TransportKind
) -> None:
    before = queued(current_cluster)
    async with client(live, transport) as c:
        with pytest.raises(NotFoundError) as missing:
            await c.get_job(999999)
        with pytest.raises(NotFoundError) as cancel_missing:
            await c.cancel(999999)
        with pytest.raises(InvalidRequestError) as partition:
            await c.submit("#!/bin/sh\ntrue\n", cwd=SCRATCH, partition="nosuchpartition")
    assert [e.error_number for e in missing.value.errors] == [2017]
    assert [e.error_number for e in cancel_missing.value.errors] == [2017]
    assert [e.error_number for e in partition.value.errors] == [2000]
    assert queued(current_cluster) == before


def raw_submit(srv: LocalServer, body: dict[str, Any]) -> httpx.Response:
    version = version_of(srv)
    url = f"{srv.rest_url}/slurm/open/{version}/{RESOURCE[version]}/job/submit"
    return httpx.post(url, json=body, headers={"Authorization": srv.token}, timeout=30)


async def test_requests_slurm_would_refuse_are_refused_first(
    live: LocalServer, current_cluster: Cluster
) -> None:
    """No script, or both `job` and `jobs`: refused with a typed error, nothing queued."""
    before = queued(current_cluster)
    job = {"name": "x", "current_working_directory": SCRATCH}
    no_script = await asyncio.to_thread(raw_submit, live, {"job": job})
    both = await asyncio.to_thread(
        raw_submit, live, {"script": "#!/bin/sh\ntrue\n", "job": job, "jobs": [job]}
    )
    assert no_script.status_code == 400, no_script.text
    assert both.status_code == 400, both.text
    assert "script" in no_script.text
    assert queued(current_cluster) == before
    async with client(live, "grpc") as c:
        with pytest.raises(S3MError):
            await c.submit("", cwd=SCRATCH)
    assert queued(current_cluster) == before


async def test_backend_reads_slurmrestds_own_refusals(
    live: LocalServer, current_cluster: Cluster
) -> None:
    """What slurmrestd itself answers when a request gets past the server's checks."""
    from s3m_grpc.server.backend import Caller, SubmitRequest
    from s3m_grpc.server.slurm import SlurmBackend

    b = SlurmBackend(current_cluster.options(openapi_version=version_of(live)))
    caller = Caller("stf040", "alice", frozenset({"compute-ace"}))
    try:
        with pytest.raises(InvalidRequestError) as no_script:
            await b.submit(SubmitRequest(script="", jobs=[{"name": "x"}], caller=caller))
        assert [e.error_number for e in no_script.value.errors] == [9000]
        with pytest.raises(NotFoundError) as unknown:
            await b.cancel(999999, "SIGKILL", "")
        assert [e.error_number for e in unknown.value.errors] == [2017]
    finally:
        await b.close()
