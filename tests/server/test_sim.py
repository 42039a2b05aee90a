"""The simulated backend on its own: job life cycle, real scripts, signals, clock, sandbox."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from s3m_grpc.errors import InvalidRequestError, NotFoundError
from s3m_grpc.server.backend import Caller, SubmitRequest
from s3m_grpc.server.sandbox import Sandbox
from s3m_grpc.server.sim import ManualClock, SimBackend

CALLER = Caller("stf040", "alice", frozenset({"compute-ace"}))
ONE_NODE = {
    "partitions": [{"name": "solo", "nodes": "n[1]", "default": True, "max_time": 10}],
    "reservations": [],
    "kill_wait": 0.5,
    "tick_interval": 0,
}


@pytest.fixture
async def clock() -> ManualClock:
    return ManualClock(1_700_000_000)


@pytest.fixture
async def sim(clock: ManualClock, tmp_path: Path) -> AsyncIterator[SimBackend]:
    backend = SimBackend(ONE_NODE, clock=clock, sandbox=Sandbox(tmp_path / "sandbox"))
    await backend.start()
    yield backend
    await backend.close()


def req(script: str, **job: Any) -> SubmitRequest:
    job.setdefault("environment", ["PATH=/usr/bin:/bin"])
    job.setdefault("current_working_directory", "/lustre/polis/stf040/scratch/alice")
    return SubmitRequest(script=script, jobs=[job], caller=CALLER)


async def state(sim: SimBackend, job_id: int) -> dict[str, Any]:
    (job,) = await sim.job(job_id)
    return job


async def until(sim: SimBackend, job_id: int, wanted: str) -> dict[str, Any]:
    for _ in range(500):
        job = await state(sim, job_id)
        if job["state"]["current"] == [wanted]:
            return job
        await asyncio.sleep(0.02)
    raise AssertionError(f"job {job_id} is {job['state']} not {wanted}")


async def test_hello_world_output_and_patterns(sim: SimBackend) -> None:
    script = '#!/bin/bash\necho Hello World\necho "$FOO $SLURM_JOB_ID $(pwd)"\necho oops >&2\n'
    res = await sim.submit(
        req(
            script,
            name="greet",
            environment=["PATH=/usr/bin:/bin", "FOO=bar"],
            standard_output="out-%j-%x-%u.txt",
            standard_error="logs/err-%j.txt",
        )
    )
    job = await until(sim, res.job_id, "COMPLETED")
    cwd = "/lustre/polis/stf040/scratch/alice"
    assert job["stdout_expanded"] == f"{cwd}/out-{res.job_id}-greet-alice.txt"
    assert job["stderr_expanded"] == f"{cwd}/logs/err-{res.job_id}.txt"
    out = sim.sandbox.host_path(job["stdout_expanded"]).read_text().splitlines()
    assert out[0] == "Hello World"
    assert out[1].startswith(f"bar {res.job_id} ")
    assert out[1].endswith(cwd)  # ran in the (mapped) working directory
    assert sim.sandbox.host_path(job["stderr_expanded"]).read_text() == "oops\n"
    assert job["exit_code"]["status"] == ["SUCCESS"]
    assert job["steps"][0]["step"] == {"id": f"{res.job_id}.batch", "name": "batch"}


async def test_default_output_file(sim: SimBackend) -> None:
    res = await sim.submit(req("echo plain sh"))
    await until(sim, res.job_id, "COMPLETED")
    path = sim.sandbox.host_path(f"/lustre/polis/stf040/scratch/alice/slurm-{res.job_id}.out")
    assert path.read_text() == "plain sh\n"


async def test_failed_exit_code(sim: SimBackend) -> None:
    res = await sim.submit(req("#!/bin/sh\nexit 3"))
    job = await until(sim, res.job_id, "FAILED")
    assert job["exit_code"]["return_code"] == {"set": True, "infinite": False, "number": 3}
    assert job["exit_code"]["status"] == ["ERROR"]
    assert job["state"]["reason"] == "NonZeroExitCode"


async def test_pending_until_nodes_free_then_cancel(sim: SimBackend) -> None:
    first = await sim.submit(req("#!/bin/sh\nsleep 30"))
    second = await sim.submit(req("#!/bin/sh\necho second"))
    third = await sim.submit(req("#!/bin/sh\necho third"))
    assert (await state(sim, first.job_id))["state"]["current"] == ["RUNNING"]
    pend = await state(sim, second.job_id)
    assert pend["state"] == {"current": ["PENDING"], "reason": "Resources"}
    assert (await state(sim, third.job_id))["state"]["reason"] == "Priority"
    nodes = {n["name"]: n["state"] for n in await sim.nodes()}
    assert nodes == {"n1": ["ALLOCATED"]}
    status = await sim.cancel(first.job_id, "", "")
    assert status["error"]["code"] == 0
    assert (await state(sim, first.job_id))["state"]["current"] == ["CANCELLED"]
    await until(sim, second.job_id, "COMPLETED")
    await until(sim, third.job_id, "COMPLETED")
    diag = await sim.diag()
    assert (diag["jobs_submitted"], diag["jobs_started"], diag["jobs_completed"]) == (3, 3, 2)
    assert diag["jobs_canceled"] == 1
    assert diag["jobs_pending"] == diag["jobs_running"] == 0
    counts = {r["message_type"]: r["count"] for r in diag["rpcs_by_message_type"]}
    assert counts["REQUEST_SUBMIT_BATCH_JOB"] == 3
    assert counts["REQUEST_KILL_JOB"] == 1


async def test_cancel_pending_job(sim: SimBackend) -> None:
    await sim.submit(req("#!/bin/sh\nsleep 30"))
    waiting = await sim.submit(req("#!/bin/sh\necho never"))
    status = await sim.cancel(waiting.job_id, "SIGUSR1", "")  # nothing runs to signal
    assert status["error"]["code"] == 2024
    assert (await state(sim, waiting.job_id))["state"]["current"] == ["PENDING"]
    await sim.cancel(waiting.job_id, "SIGKILL", "")
    job = await state(sim, waiting.job_id)
    assert job["state"]["current"] == ["CANCELLED"]
    assert job["steps"] == []  # never started


async def test_timeout_kills_the_script(sim: SimBackend, clock: ManualClock) -> None:
    res = await sim.submit(req("#!/bin/sh\nsleep 60", time_limit={"set": True, "number": 1}))
    await until(sim, res.job_id, "RUNNING")
    clock.advance(59)
    assert (await state(sim, res.job_id))["state"]["current"] == ["RUNNING"]
    clock.advance(2)
    job = await state(sim, res.job_id)
    assert job["state"] == {"current": ["TIMEOUT"], "reason": "TimeLimit"}
    assert job["time"]["elapsed"] == 61
    for _ in range(200):  # the script is signalled and exits
        job = await state(sim, res.job_id)
        if job["exit_code"]["signal"]["name"]:
            break
        await asyncio.sleep(0.02)
    assert job["exit_code"]["signal"]["name"] == "TERM"


async def test_signal_reaches_the_script(sim: SimBackend) -> None:
    script = (
        "#!/bin/bash\ntrap 'echo got usr1; exit 0' USR1\necho ready\n"
        "for i in $(seq 200); do sleep 0.05; done\n"
    )
    res = await sim.submit(req(script))
    await until(sim, res.job_id, "RUNNING")
    out = sim.sandbox.host_path(f"/lustre/polis/stf040/scratch/alice/slurm-{res.job_id}.out")
    for _ in range(200):
        if out.exists() and "ready" in out.read_text():
            break
        await asyncio.sleep(0.02)
    await sim.cancel(res.job_id, "SIGUSR1", "BATCH_JOB")
    assert (await state(sim, res.job_id))["state"]["current"] == ["RUNNING"]  # signal, not cancel
    await until(sim, res.job_id, "COMPLETED")
    assert "got usr1" in out.read_text()


async def test_begin_time_holds_the_job(sim: SimBackend, clock: ManualClock) -> None:
    later = clock.now() + 300
    res = await sim.submit(req("echo later", begin_time={"set": True, "number": int(later)}))
    assert (await state(sim, res.job_id))["state"]["reason"] == "BeginTime"
    clock.advance(301)
    await until(sim, res.job_id, "COMPLETED")


async def test_ids_increase_and_unknown_ids(clock: ManualClock, tmp_path: Path) -> None:
    backend = SimBackend({**ONE_NODE, "first_job_id": 500}, clock=clock, sandbox=Sandbox(tmp_path))
    ids = [(await backend.submit(req("true"))).job_id for _ in range(3)]
    assert ids == [500, 501, 502]
    with pytest.raises(NotFoundError):
        await backend.job(499)
    await backend.close()


async def test_close_kills_running_scripts(clock: ManualClock, tmp_path: Path) -> None:
    backend = SimBackend(ONE_NODE, clock=clock, sandbox=Sandbox(tmp_path))
    res = await backend.submit(req("#!/bin/sh\necho $$ > pid; sleep 60"))
    pidfile = tmp_path / "lustre/polis/stf040/scratch/alice/pid"
    for _ in range(200):
        if pidfile.exists() and pidfile.read_text().strip():
            break
        await asyncio.sleep(0.02)
    pid = int(pidfile.read_text())
    await backend.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert res.job_id == 1


async def test_host_mode_sandbox(clock: ManualClock, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    backend = SimBackend(ONE_NODE, clock=clock, sandbox=Sandbox(allowed_roots=[work]))
    res = await backend.submit(req("echo here", current_working_directory=str(work / "run")))
    await until(backend, res.job_id, "COMPLETED")
    assert (work / "run" / f"slurm-{res.job_id}.out").read_text() == "here\n"
    default = await backend.submit(SubmitRequest(script="echo cwd", jobs=[{}], caller=CALLER))
    await until(backend, default.job_id, "COMPLETED")
    assert (work / f"slurm-{default.job_id}.out").read_text() == "cwd\n"
    for bad in (
        {"current_working_directory": str(tmp_path)},
        {"current_working_directory": str(work), "standard_output": "../escape.txt"},
        {"current_working_directory": "/etc"},
    ):
        with pytest.raises(InvalidRequestError):
            await backend.submit(req("true", **bad))
    (work / "link").symlink_to(tmp_path)
    with pytest.raises(InvalidRequestError):
        await backend.submit(req("true", current_working_directory=str(work / "link")))
    await backend.close()


async def test_replies_fill_the_slurm_shapes(sim: SimBackend) -> None:
    """Every field of the v0.0.44 messages is present in what the sim answers."""
    from s3m_grpc import jsoncodec
    from s3m_grpc.slurm import v0044

    res = await sim.submit(req("echo hi"))
    await until(sim, res.job_id, "COMPLETED")
    pairs: list[tuple[Any, dict[str, Any]]] = [
        (v0044.SlurmJobDescription, (await sim.jobs())[0]),
        (v0044.SlurmDbJobDescription, (await sim.job(res.job_id))[0]),
        (v0044.SlurmNodeDescription, (await sim.nodes())[0]),
        (v0044.SlurmPartitionDescription, (await sim.partitions())[0]),
        (v0044.DiagStatistics, await sim.diag()),
        (v0044.ControllerPingResp, (await sim.ping())[0]),
    ]
    for cls, reply in pairs:
        desc = jsoncodec.upb_class(cls).DESCRIPTOR
        missing = [f.json_name for f in desc.fields if f.json_name not in reply]
        assert missing == [], f"{cls.__name__} lacks {missing}"


async def test_het_job(clock: ManualClock, tmp_path: Path) -> None:
    two = {**ONE_NODE, "partitions": [{"name": "duo", "nodes": "n[1-2]", "default": True}]}
    sim = SimBackend(two, clock=clock, sandbox=Sandbox(tmp_path))
    cwd = "/lustre/polis/stf040/scratch/alice"
    het = SubmitRequest(
        script="#!/bin/sh\necho het $SLURM_JOB_ID\nsleep 0.3",
        jobs=[
            {"name": "a", "current_working_directory": cwd},
            {"name": "b", "current_working_directory": cwd},
        ],
        caller=CALLER,
    )
    res = await sim.submit(het)
    jobs = {j["job_id"]: j for j in await sim.jobs()}
    assert sorted(jobs) == [res.job_id, res.job_id + 1]
    for offset, job_id in enumerate(sorted(jobs)):
        job = jobs[job_id]
        assert job["job_state"] == ["RUNNING"]
        assert job["het_job_id"]["number"] == res.job_id
        assert job["het_job_offset"] == {"set": True, "infinite": False, "number": offset}
        assert job["het_job_id_set"] == f"{res.job_id}-{res.job_id + 1}"
    assert {n["name"]: n["state"] for n in await sim.nodes()} == {
        "n1": ["ALLOCATED"],
        "n2": ["ALLOCATED"],
    }
    await until(sim, res.job_id, "COMPLETED")
    assert (await state(sim, res.job_id + 1))["state"]["current"] == ["COMPLETED"]
    out = tmp_path / cwd.lstrip("/")
    assert (out / f"slurm-{res.job_id}.out").read_text() == f"het {res.job_id}\n"
    assert not (out / f"slurm-{res.job_id + 1}.out").exists()  # the script ran once

    # Cancelling any component cancels the whole het job.
    again = await sim.submit(SubmitRequest("sleep 30", [{}, {}], CALLER))
    await sim.cancel(again.job_id + 1, "", "")
    assert [j["job_state"] for j in await sim.jobs()][-2:] == [["CANCELLED"], ["CANCELLED"]]
    diag = await sim.diag()
    assert (diag["jobs_submitted"], diag["jobs_completed"], diag["jobs_canceled"]) == (4, 2, 2)

    # A refused component queues nothing.
    with pytest.raises(InvalidRequestError):
        await sim.submit(SubmitRequest("true", [{}, {"partition": "nope"}], CALLER))
    assert len(sim.engine.jobs) == 4
    await sim.close()


async def test_finished_jobs_leave_the_queue_not_accounting(
    clock: ManualClock, tmp_path: Path
) -> None:
    sim = SimBackend({**ONE_NODE, "min_job_age": 300}, clock=clock, sandbox=Sandbox(tmp_path))
    res = await sim.submit(req("true"))
    await until(sim, res.job_id, "COMPLETED")
    clock.advance(299)
    assert [j["job_id"] for j in await sim.jobs()] == [res.job_id]
    clock.advance(2)
    assert await sim.jobs() == []
    assert (await state(sim, res.job_id))["state"]["current"] == ["COMPLETED"]
    await sim.close()


async def test_accounting_delay(clock: ManualClock, tmp_path: Path) -> None:
    sim = SimBackend({**ONE_NODE, "accounting_delay": 2}, clock=clock, sandbox=Sandbox(tmp_path))
    res = await sim.submit(req("sleep 5"))
    with pytest.raises(NotFoundError):
        await sim.job(res.job_id)  # slurmdbd has not heard of it yet
    assert [j["job_id"] for j in await sim.jobs()] == [res.job_id]  # slurmctld has
    clock.advance(2)
    assert (await state(sim, res.job_id))["job_id"] == res.job_id
    await sim.close()


async def test_reservations(clock: ManualClock, tmp_path: Path) -> None:
    now = clock.now()
    opts = {
        **ONE_NODE,
        "partitions": [{"name": "duo", "nodes": "n[1-2]", "default": True}],
        "reservations": [
            {"name": "maint", "nodes": "n1", "partition": "duo", "start": now, "end": now + 600},
            {"name": "later", "nodes": "n2", "start": now + 3600, "duration": 60},
        ],
    }
    sim = SimBackend(opts, clock=clock, sandbox=Sandbox(tmp_path))
    nodes = {n["name"]: n["state"] for n in await sim.nodes()}
    assert nodes == {"n1": ["IDLE", "RESERVED", "MAINTENANCE"], "n2": ["IDLE"]}
    inside = await sim.submit(req("sleep 30", reservation="maint"))
    assert (await state(sim, inside.job_id))["nodes"] == "n1"  # only the reservation's nodes
    outside = await sim.submit(req("sleep 30"))
    assert (await state(sim, outside.job_id))["nodes"] == "n2"  # not the reserved n1
    two = await sim.submit(req("true", minimum_nodes=2))
    assert (await state(sim, two.job_id))["state"] == {
        "current": ["PENDING"],
        "reason": "ReqNodeNotAvail, Reserved for maintenance",
    }
    early = await sim.submit(req("true", reservation="later"))
    assert (await state(sim, early.job_id))["state"]["reason"] == "Reservation"
    with pytest.raises(InvalidRequestError) as info:
        await sim.submit(req("true", reservation="nope"))
    assert info.value.errors[0].error_number == 2053
    resv = {r["name"]: r for r in await sim.reservations()}
    assert resv["maint"]["node_list"] == "n1"
    assert resv["maint"]["end_time"]["number"] == int(now + 600)
    await sim.close()


async def test_stdin_and_node_pattern(sim: SimBackend, tmp_path: Path) -> None:
    cwd = tmp_path / "sandbox/lustre/polis/stf040/scratch/alice"
    cwd.mkdir(parents=True)
    (cwd / "in.txt").write_text("from stdin\n")
    res = await sim.submit(
        req("#!/bin/sh\ncat", standard_input="in.txt", standard_output="%N-%j-%%.log")
    )
    await until(sim, res.job_id, "COMPLETED")
    assert (cwd / f"n1-{res.job_id}-%.log").read_text() == "from stdin\n"


async def test_bad_options_are_typed_errors(tmp_path: Path) -> None:
    bads: list[dict[str, Any]] = [
        {"slurm_version": "new"},
        {"partitions": []},
        {"partitions": [{"name": "x"}]},
        {"reservations": [{"name": "r"}]},
    ]
    for bad in bads:
        with pytest.raises(InvalidRequestError, match="invalid sim backend options"):
            SimBackend(bad, sandbox=Sandbox(tmp_path))
    sim = SimBackend({"slurm_version": "24.05.1"}, sandbox=Sandbox(tmp_path))
    assert (await sim.meta())["slurm"]["release"] == "24.05.1"
    assert (await sim.nodes())[0]["version"] == "24.05.1"
    await sim.close()
