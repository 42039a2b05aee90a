"""GetJob from slurmdbd's accounting record, as S3M answers it, on Slurm 26.05 with slurmdbd.

With `openapi/slurmdbd` served, the backend reads `/slurmdb/vX/job/{id}`: the record has the
job's steps (`batch` with its own exit code and state), `state.current` and exit codes, for a
job that completes, one that fails and one cancelled while running; each version over gRPC and
REST. A job not yet recorded (slurmctld reports it a moment after submit) is answered from the
controller's record, so GetJob never says "not found" for a job just submitted.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from s3m_grpc import AsyncClient
from s3m_grpc.errors import NotFoundError, PermissionDeniedError
from s3m_grpc.server.config import SandboxConfig, ServerConfig
from s3m_grpc.server.local import LocalServer
from s3m_grpc.server.slurm.v004x import VERSIONS
from s3m_grpc.settings import TransportKind
from s3m_grpc.states import JobState

from .conftest import Cluster

pytestmark = [
    pytest.mark.slurm,
    pytest.mark.filterwarnings("ignore:S3M API v0.0.42 is deprecated"),
]
RESOURCE = {"v0.0.42": "defiant", "v0.0.43": "defiant", "v0.0.44": "odo"}
SCRATCH = "/lustre/orion/stf040/scratch/alice"


@pytest.fixture(scope="module", params=VERSIONS)
def accounted(request: pytest.FixtureRequest, accounting_cluster: Cluster) -> Iterator[LocalServer]:
    version = str(request.param)
    with tempfile.TemporaryDirectory(prefix="s3m-acct-jobs-") as d:
        root = Path(d)
        root.chmod(0o755)
        cfg = ServerConfig(
            backend="slurm",
            backend_options=accounting_cluster.options(path_root=d, openapi_version=version),
            sandbox=SandboxConfig(root=root),
        )
        srv = LocalServer(cfg).start_in_thread()
        try:
            yield srv
        finally:
            srv.stop()


def client(srv: LocalServer, transport: TransportKind) -> AsyncClient:
    version = str(srv.config.backend_options["openapi_version"])
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


async def accounted_record(c: AsyncClient, job_id: int, limit: float = 60) -> Any:
    """The job's record once slurmdbd has its steps (the batch step ends after the job)."""
    for _ in range(int(limit / 0.25)):
        job = await c.get_job(job_id)
        record: Any = job.raw  # an accounting record here: SlurmDBJobDescription
        if job.finished and record.steps:
            return job
        await asyncio.sleep(0.25)
    raise AssertionError(f"job {job_id} has no accounting record with steps after {limit}s")


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_get_job_returns_the_accounting_record(
    accounted: LocalServer, transport: TransportKind
) -> None:
    async with client(accounted, transport) as c:
        ok = await c.submit("#!/bin/bash\necho hi\n", cwd=SCRATCH, name="acct-ok")
        # at once: answered (from the controller's record if slurmdbd has none yet)
        assert (await c.get_job(ok.job_id)).job_id == ok.job_id
        bad = await c.submit("#!/bin/bash\nexit 3\n", cwd=SCRATCH, name="acct-bad")
        slow = await c.submit("#!/bin/bash\nsleep 300\n", cwd=SCRATCH, name="acct-slow")
        for _ in range(200):
            if (await c.get_job(slow.job_id)).state is JobState.RUNNING:
                break
            await asyncio.sleep(0.1)
        await c.cancel(slow.job_id, signal="SIGKILL")

        done = await accounted_record(c, ok.job_id)
        failed = await accounted_record(c, bad.job_id)
        cancelled = await accounted_record(c, slow.job_id)
        with pytest.raises(NotFoundError):
            await c.get_job(999999)

    assert done.state is JobState.COMPLETED
    assert done.exit_code == 0
    [step] = [s for s in done.raw.steps if s.step.name == "batch"]
    assert list(step.state) == ["COMPLETED"]
    assert step.exit_code.return_code.number == 0
    assert step.nodes.list == ["localhost"]
    assert done.raw.account == "root", done.raw.association
    assert done.raw.qos == "normal"

    assert failed.state is JobState.FAILED
    assert failed.exit_code == 3
    [step] = [s for s in failed.raw.steps if s.step.name == "batch"]
    assert list(step.state) == ["FAILED"]
    assert step.exit_code.return_code.number == 3
    assert list(failed.raw.state.current) == ["FAILED"]

    assert cancelled.state is JobState.CANCELLED
    assert list(cancelled.raw.state.current) == ["CANCELLED"]
    assert cancelled.raw.time.elapsed >= 0


@pytest.fixture(scope="module")
def as_alice(accounted: LocalServer, accounting_cluster: Cluster) -> Iterator[LocalServer]:
    """A server whose backend acts as `alice`, an ordinary user, with her own JWT (the same
    slurmrestd version as `accounted`)."""
    version = accounted.config.backend_options["openapi_version"]
    accounting_cluster.run("sh", "-c", "id alice >/dev/null 2>&1 || useradd -M alice")
    token = accounting_cluster.run("scontrol", "token", "username=alice", "lifespan=3600")
    with tempfile.TemporaryDirectory(prefix="s3m-alice-") as d:
        jwt = Path(d) / "alice.jwt"
        jwt.write_text(token.strip().removeprefix("SLURM_JWT=") + "\n")
        jwt.chmod(0o600)
        cfg = ServerConfig(
            backend="slurm",
            backend_options=accounting_cluster.options(
                user="alice", jwt_file=str(jwt), openapi_version=version
            ),
        )
        srv = LocalServer(cfg).start_in_thread()
        try:
            yield srv
        finally:
            srv.stop()


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_another_users_job_cannot_be_cancelled(
    accounted: LocalServer, as_alice: LocalServer, transport: TransportKind
) -> None:
    """root's job, cancelled through a server acting as alice: SLURM's 2002, nothing cancelled.
    (Without slurmdbd, 26.05.5's slurmctld deadlocks on this request: docs/slurm-backend.md.)"""
    async with client(accounted, transport) as mine:
        job = await mine.submit("#!/bin/bash\nsleep 300\n", cwd=SCRATCH, name="not-alices")
        try:
            async with client(as_alice, transport) as theirs:
                seen = await theirs.get_job(job.job_id)  # reading it is allowed
                with pytest.raises(PermissionDeniedError) as denied:
                    await theirs.cancel(job.job_id)
            assert seen.job_id == job.job_id
            assert [e.error_number for e in denied.value.errors] == [2002]
            assert (await mine.get_job(job.job_id)).state in {JobState.PENDING, JobState.RUNNING}
        finally:
            await mine.cancel(job.job_id, signal="SIGKILL")
