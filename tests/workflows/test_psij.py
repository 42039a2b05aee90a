"""The `s3m` PSI/J executor, found the way PSI/J finds plugins (`psij-descriptors`) and used
through `JobExecutor.get_instance("s3m", ...)` against a local server whose simulator runs the
jobs for real."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from s3m_grpc import Client
from s3m_grpc.server import LocalServer
from s3m_grpc.states import JobState
from tests.workflows.conftest import job_environment, sim_config

psij = pytest.importorskip("psij")

from psij import Job, JobAttributes, JobExecutor, JobSpec, JobStatus, ResourceSpecV1  # noqa: E402
from psij import JobState as PsijState  # noqa: E402

from s3m_grpc.psij.executor import S3MExecutorConfig  # noqa: E402

WAIT = timedelta(seconds=60)


def executor_on(server: LocalServer, tmp_path: Path, **options: Any) -> JobExecutor:
    config = S3MExecutorConfig(
        token=server.token,
        transport="grpc",
        work_directory=tmp_path / "psij-work",
        poll_interval=0.2,
        max_poll_interval=0.5,
        **options,
    )
    return JobExecutor.get_instance("s3m", url=f"http://{server.grpc_target}/odo", config=config)


@pytest.fixture
def ex(server: LocalServer, tmp_path: Path) -> Iterator[JobExecutor]:
    executor = executor_on(server, tmp_path)
    try:
        yield executor
    finally:
        executor.close()  # type: ignore[attr-defined]


def spec(executable: str, *arguments: str, tmp_path: Path, **options: object) -> JobSpec:
    return JobSpec(
        executable=executable,
        arguments=list(arguments),
        directory=tmp_path,
        environment=dict[str, str | int](job_environment()),
        inherit_environment=False,
        **options,  # type: ignore[arg-type]
    )


def finished(job: Job) -> JobStatus:
    status = job.wait(timeout=WAIT)
    assert status is not None, f"job {job.native_id} did not finish: {job.status}"
    return status


def test_the_plugin_is_found_by_name() -> None:
    assert "s3m" in JobExecutor.get_executor_names()


def test_simple_job(ex: JobExecutor, tmp_path: Path) -> None:
    job = Job(spec("/bin/true", tmp_path=tmp_path))
    ex.submit(job)
    assert job.native_id is not None
    assert job.native_id.isdigit()
    status = finished(job)
    assert status.state == PsijState.COMPLETED, status
    assert status.exit_code == 0


def test_stdout_and_stderr_redirects(ex: JobExecutor, tmp_path: Path) -> None:
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    job = Job(
        spec(
            "/bin/sh",
            "-c",
            "echo to-stdout; echo to-stderr >&2",
            tmp_path=tmp_path,
            stdout_path=out,
            stderr_path=err,
        )
    )
    ex.submit(job)
    assert finished(job).state == PsijState.COMPLETED
    assert out.read_text() == "to-stdout\n"
    assert err.read_text() == "to-stderr\n"


def test_environment_and_directory(ex: JobExecutor, tmp_path: Path) -> None:
    out = tmp_path / "env.txt"
    s = spec("/bin/sh", "-c", 'echo "$GREETING $(pwd)"', tmp_path=tmp_path, stdout_path=out)
    s.environment = {**(s.environment or {}), "GREETING": "hello-psij"}
    job = Job(s)
    ex.submit(job)
    assert finished(job).state == PsijState.COMPLETED
    assert out.read_text() == f"hello-psij {tmp_path}\n"


def test_a_failing_job(ex: JobExecutor, tmp_path: Path, server: LocalServer) -> None:
    job = Job(spec("/bin/sh", "-c", "exit 3", tmp_path=tmp_path))
    ex.submit(job)
    status = finished(job)
    assert status.state == PsijState.FAILED
    assert status.exit_code == 3
    with Client("odo", endpoint=server.grpc_target, token=server.token, plaintext=True) as c:
        assert c.get_job(str(job.native_id)).exit_code == 3  # SLURM has it too


def test_a_missing_executable(ex: JobExecutor, tmp_path: Path) -> None:
    job = Job(spec(str(tmp_path / "no-such-program"), tmp_path=tmp_path))
    ex.submit(job)
    status = finished(job)
    assert status.state == PsijState.FAILED
    assert status.exit_code == 127  # the shell's "command not found"


def test_cancel(ex: JobExecutor, tmp_path: Path, server: LocalServer) -> None:
    job = Job(spec("/bin/sleep", "60", tmp_path=tmp_path))
    ex.submit(job)
    assert job.wait(timeout=WAIT, target_states=[PsijState.ACTIVE]) is not None
    job.cancel()
    status = finished(job)
    assert status.state == PsijState.CANCELED
    with Client("odo", endpoint=server.grpc_target, token=server.token, plaintext=True) as c:
        assert c.get_job(str(job.native_id)).state is JobState.CANCELLED
    job.cancel()  # over: nothing is sent


def test_a_job_the_watcher_loses_fails_with_the_reason(tmp_path: Path) -> None:
    """S3M gone for longer than `outage_grace`: the job is FAILED with why (as PSI/J's batch
    executors fail jobs whose status polls keep failing), so `wait()` does not hang."""
    srv = LocalServer(sim_config(tmp_path)).start_in_thread()
    running = True
    try:
        executor = executor_on(srv, tmp_path, outage_grace=1.0)
        try:
            job = Job(spec("/bin/sleep", "60", tmp_path=tmp_path))
            executor.submit(job)
            assert job.wait(timeout=WAIT, target_states=[PsijState.ACTIVE]) is not None
            srv.stop()
            running = False
            status = finished(job)
            assert status.state == PsijState.FAILED
            assert status.message is not None
            assert f"lost track of job {job.native_id}" in status.message
        finally:
            executor.close()  # type: ignore[attr-defined]
    finally:
        if running:
            srv.stop()


def test_attach(ex: JobExecutor, tmp_path: Path, server: LocalServer) -> None:
    with Client("odo", endpoint=server.grpc_target, token=server.token, plaintext=True) as c:
        submitted = c.submit("#!/bin/sh\nsleep 1\n", cwd=str(tmp_path), env=job_environment())
    job = Job()
    ex.attach(job, str(submitted.job_id))
    assert job.native_id == str(submitted.job_id)
    assert finished(job).state == PsijState.COMPLETED
    with pytest.raises(psij.SubmitException):
        ex.attach(Job(), "999999")


def test_parallel_jobs_and_list(ex: JobExecutor, tmp_path: Path) -> None:
    jobs = [
        Job(
            spec(
                "/bin/sh",
                "-c",
                f"sleep 1; echo {i}",
                tmp_path=tmp_path,
                stdout_path=tmp_path / f"p{i}.out",
                attributes=JobAttributes(duration=timedelta(minutes=5)),
                resources=ResourceSpecV1(node_count=1, processes_per_node=1),
            )
        )
        for i in range(8)
    ]
    for job in jobs:
        ex.submit(job)
    listed = set(ex.list())
    assert {j.native_id for j in jobs} <= listed
    for i, job in enumerate(jobs):
        assert finished(job).state == PsijState.COMPLETED
        assert (tmp_path / f"p{i}.out").read_text() == f"{i}\n"


def test_status_callbacks(ex: JobExecutor, tmp_path: Path) -> None:
    seen_by_executor: list[PsijState] = []
    seen_by_job: list[PsijState] = []
    done = threading.Event()

    def on_executor(job: Job, status: JobStatus) -> None:
        seen_by_executor.append(status.state)

    def on_job(job: Job, status: JobStatus) -> None:
        seen_by_job.append(status.state)
        if status.state.final:
            done.set()

    ex.set_job_status_callback(on_executor)
    job = Job(spec("/bin/sleep", "1", tmp_path=tmp_path))
    job.set_job_status_callback(on_job)
    ex.submit(job)
    assert done.wait(60)
    assert seen_by_job == [PsijState.QUEUED, PsijState.ACTIVE, PsijState.COMPLETED]
    assert seen_by_executor == seen_by_job


def test_environment_variables_give_the_connection(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S3M_ENDPOINT", f"http://{server.grpc_target}")
    monkeypatch.setenv("S3M_TOKEN", server.token)
    monkeypatch.setenv("S3M_RESOURCE", "odo")
    executor = JobExecutor.get_instance("s3m")
    try:
        job = Job(spec("/bin/true", tmp_path=tmp_path))
        executor.config.work_directory = tmp_path / "env-work"
        executor.work_directory = tmp_path / "env-work" / "s3m"  # type: ignore[attr-defined]
        executor.submit(job)
        assert finished(job).state == PsijState.COMPLETED
    finally:
        executor.close()  # type: ignore[attr-defined]


def test_attributes_resources_and_launcher_reach_slurm(
    ex: JobExecutor, tmp_path: Path, server: LocalServer
) -> None:
    out = tmp_path / "multi.out"
    job = Job(
        spec(
            "/bin/sh",
            "-c",
            'echo "rank of $SLURM_JOB_NAME"',
            tmp_path=tmp_path,
            stdout_path=out,
            launcher="multiple",
            resources=ResourceSpecV1(process_count=2),
            attributes=JobAttributes(
                queue_name="batch-gpu",
                account="stf040",
                duration=timedelta(minutes=7),
                custom_attributes={"slurm.job-name": "psij-attrs"},
            ),
        )
    )
    ex.submit(job)
    assert finished(job).state == PsijState.COMPLETED
    assert out.read_text() == "rank of psij-attrs\n" * 2  # two processes, one launcher
    with Client("odo", endpoint=server.grpc_target, token=server.token, plaintext=True) as c:
        info = c.get_job(str(job.native_id))
    assert (info.partition, info.account, info.name) == ("batch-gpu", "stf040", "psij-attrs")
