"""The sim's state file: jobs, their outcome and the next job id survive a restart; a job that
was running when its server went away ends NODE_FAIL with the reason; one server per state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from s3m_grpc.errors import UnavailableError
from s3m_grpc.server.sandbox import Sandbox
from s3m_grpc.server.sim import SimBackend
from tests.server.test_sim import ONE_NODE, req, state, until

TWO_NODES = {**ONE_NODE, "partitions": [{"name": "solo", "nodes": "n[1-2]", "default": True}]}


def backend(tmp_path: Path) -> SimBackend:
    return SimBackend(
        TWO_NODES, sandbox=Sandbox(tmp_path / "sandbox"), state=tmp_path / "state.sqlite"
    )


async def test_jobs_and_ids_survive_a_restart(tmp_path: Path) -> None:
    first = backend(tmp_path)
    await first.start()
    done = await first.submit(req("#!/bin/sh\necho kept\n", name="done"))
    await until(first, done.job_id, "COMPLETED")
    running = await first.submit(req("#!/bin/sh\nsleep 300\n", name="running"))
    blocker = await first.submit(req("#!/bin/sh\nsleep 300\n", name="blocker"))
    pending = await first.submit(req("#!/bin/sh\necho later\n", name="pending"))
    assert (await state(first, pending.job_id))["state"]["current"] == ["PENDING"]
    await first.close()

    second = backend(tmp_path)
    await second.start()
    try:
        listed = {j["job_id"]: j for j in await second.jobs()}
        ids = [done.job_id, running.job_id, blocker.job_id, pending.job_id]
        assert sorted(listed) == ids
        assert listed[done.job_id]["job_state"] == ["COMPLETED"]
        for job_id in (running.job_id, blocker.job_id):
            job = listed[job_id]
            assert job["job_state"] == ["NODE_FAIL"]
            assert job["state_reason"] == "NodeDown"
            assert "server stopped while the job ran" in job["state_description"]
        # The pending job was kept, and runs now that the nodes are free.
        await until(second, pending.job_id, "COMPLETED")
        record = await state(second, done.job_id)
        assert record["script"] == "#!/bin/sh\necho kept\n"
        new = await second.submit(req("#!/bin/sh\ntrue\n"))
        assert new.job_id == max(ids) + 1
    finally:
        await second.close()


async def test_one_server_per_state_file(tmp_path: Path) -> None:
    first = backend(tmp_path)
    await first.start()
    try:
        with pytest.raises(UnavailableError, match="in use by another server"):
            backend(tmp_path)
    finally:
        await first.close()
    again = backend(tmp_path)  # free again once the first one closed
    await again.start()
    await again.close()


async def test_each_submit_is_stored_before_it_answers(tmp_path: Path) -> None:
    """The job and the next id are committed before submit returns the id: what a crash
    (`kill -9`: tests/reliability/test_crash_restart.py) leaves on disk already has them."""
    path = tmp_path / "state.sqlite"
    first = backend(tmp_path)
    await first.start()
    ids = [(await first.submit(req("#!/bin/sh\ntrue\n"))).job_id for _ in range(5)]
    # What another process would read right now, while this server still runs:
    with sqlite3.connect(path) as db:
        (stored_next,) = db.execute("SELECT value FROM meta WHERE key='next_job_id'").fetchone()
        stored = [row[0] for row in db.execute("SELECT job_id FROM jobs ORDER BY job_id")]
    assert int(stored_next) == max(ids) + 1
    assert stored == ids
    await first.close()


def test_local_cli_keeps_jobs_between_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`s3m --local submit` then `s3m --local jobs`: a second command sees the first's job."""
    import json

    from click.testing import CliRunner

    from s3m_grpc.cli.app import cli
    from tests.cli.conftest import clean_env

    monkeypatch.chdir(tmp_path)
    (tmp_path / "hi.sh").write_text("#!/bin/sh\necho hi\n")
    env = clean_env(tmp_path)
    sub = CliRunner().invoke(cli, ["--local", "submit", "hi.sh", "--wait"], env=env)
    assert sub.exit_code == 0, sub.output
    job_id = int(sub.stdout.split("Submitted batch job ")[1].split()[0])
    listing = CliRunner().invoke(cli, ["--local", "-o", "json", "jobs"], env=env)
    assert listing.exit_code == 0, listing.output
    jobs = {j["job_id"]: j for j in json.loads(listing.stdout)["jobs"]}
    assert jobs[job_id]["job_state"] == ["COMPLETED"]
    assert (tmp_path / "state" / "s3m" / "local.sqlite").is_file()
    again = CliRunner().invoke(cli, ["--local", "submit", "hi.sh"], env=env)
    assert int(again.stdout.split("Submitted batch job ")[1].split()[0]) == job_id + 1


def test_serve_state_flags(tmp_path: Path) -> None:
    """`s3m serve` keeps its state in $XDG_STATE_HOME/s3m/server.sqlite unless told otherwise;
    `--ephemeral` keeps nothing; `--state` with `--ephemeral` is a usage error."""
    import subprocess
    import sys

    from tests.server.serve_process import serve

    for name in ("default", "ephemeral"):
        (tmp_path / name).mkdir()
    default = serve(tmp_path / "default")
    try:
        assert any(
            line.strip() == f"state: {tmp_path / 'default' / 'state' / 's3m' / 'server.sqlite'}"
            for line in default.output
        ), default.output
    finally:
        assert default.stop() == 0
    assert (tmp_path / "default" / "state" / "s3m" / "server.sqlite").is_file()

    ephemeral = serve(tmp_path / "ephemeral", "", "--ephemeral")
    try:
        assert any("state: in memory" in line for line in ephemeral.output)
    finally:
        assert ephemeral.stop() == 0
    assert not (tmp_path / "ephemeral" / "state").exists()

    both = subprocess.run(
        [sys.executable, "-m", "s3m_grpc.server", "--state", "x.sqlite", "--ephemeral"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert both.returncode == 2
    assert "--state and --ephemeral exclude each other" in both.stderr


def test_local_cli_says_what_happens_to_a_job_still_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A --local command that ends with a job unfinished says so; the job ends NODE_FAIL and
    is still listed by the next command."""
    import json

    from click.testing import CliRunner

    from s3m_grpc.cli.app import cli
    from tests.cli.conftest import clean_env

    monkeypatch.chdir(tmp_path)
    (tmp_path / "slow.sh").write_text("#!/bin/sh\nsleep 30\n")
    env = clean_env(tmp_path)
    sub = CliRunner().invoke(cli, ["--local", "submit", "slow.sh"], env=env)
    assert sub.exit_code == 0, sub.output
    job_id = int(sub.stdout.split("Submitted batch job ")[1].split()[0])
    assert f"job(s) {job_id} stop now and end NODE_FAIL" in sub.stderr
    listing = CliRunner().invoke(cli, ["--local", "-o", "json", "jobs"], env=env)
    jobs = {j["job_id"]: j for j in json.loads(listing.stdout)["jobs"]}
    assert jobs[job_id]["job_state"] == ["NODE_FAIL"]
    assert "NODE_FAIL" not in listing.stderr  # nothing left running: no note
