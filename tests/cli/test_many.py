"""`s3m submit a.sh b.sh ...` and `s3m cancel ID...` with many jobs, against a real local server:
one line per job in the order given, errors per script or job, the exit code, the progress bar
on a terminal only."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
from pathlib import Path

from s3m_grpc.cli import exitcodes
from s3m_grpc.server.sim.backend import SimBackend
from tests.cli.conftest import Target
from tests.cli.test_entrypoint import process_env, read_pty, s3m_command

SUBMITTED = re.compile(r"^Submitted batch job (\d+)$")


def scripts(workdir: Path, tag: str, count: int, body: str = "true") -> list[Path]:
    out = []
    for i in range(count):
        path = workdir / f"{tag}-{i}.sh"
        path.write_text(f"#!/bin/bash\n#SBATCH -J {tag}-{i}\n{body}\n")
        out.append(path)
    return out


def job_names(target: Target) -> dict[int, str]:
    backend = target.server.backend
    assert isinstance(backend, SimBackend)
    return {job_id: job.name for job_id, job in backend.engine.jobs.items()}


def test_many_scripts_one_line_each_in_order_errors_per_script(target: Target) -> None:
    paths = scripts(target.workdir, "many", 7)
    refused = target.workdir / "refused.sh"
    refused.write_text("#!/bin/bash\n#SBATCH -J refused -p no-such-partition\ntrue\n")
    unreadable = target.workdir / "missing.sh"
    args = [str(p) for p in paths[:3]] + [str(refused), str(unreadable)]
    args += [str(p) for p in paths[3:]]
    result = target.invoke(["submit", *args, "-D", str(target.workdir), "--concurrency", "3"])
    assert result.exit_code == exitcodes.ERROR, result.output
    lines = result.stdout.splitlines()
    ids = [int(SUBMITTED.match(line).group(1)) for line in lines]  # type: ignore[union-attr]
    names = job_names(target)
    assert [names[i] for i in ids] == [f"many-{i}" for i in range(7)]
    errors = [e for e in result.stderr.splitlines() if e.startswith("s3m: error:")]
    assert len(errors) == 2
    assert f"s3m: error: {unreadable}: cannot read script" in errors[0]
    assert f"s3m: error: {refused}: " in errors[1]
    assert "no-such-partition" in errors[1]
    assert "refused" not in names.values()
    assert "\x1b" not in result.output  # no progress bar on a pipe


def test_many_scripts_as_json(target: Target) -> None:
    paths = scripts(target.workdir, "json", 3)
    result = target.invoke(["-o", "json", "submit", *map(str, paths), "-D", str(target.workdir)])
    assert result.exit_code == 0, result.output
    documents = json.loads(result.stdout)
    assert [d["script"] for d in documents] == [str(p) for p in paths]
    names = job_names(target)
    assert [names[d["job_id"]] for d in documents] == ["json-0", "json-1", "json-2"]


def test_many_scripts_with_wait_and_the_exit_code_of_a_failed_job(target: Target) -> None:
    good = scripts(target.workdir, "waitok", 3, body="echo done-$SLURM_JOB_ID")
    ok = target.invoke(["submit", *map(str, good), "-D", str(target.workdir), "--wait"])
    assert ok.exit_code == 0, ok.output
    ids = [m.group(1) for m in map(SUBMITTED.match, ok.stdout.splitlines()) if m]
    assert len(ids) == 3
    for job_id in ids:
        assert f"done-{job_id}" in ok.stdout
    bad = scripts(target.workdir, "waitbad", 2, body="exit 3")
    failed = target.invoke(
        ["submit", *map(str, good[:1] + bad), "-D", str(target.workdir), "--wait"]
    )
    assert failed.exit_code == exitcodes.JOB_FAILED, failed.output


def test_cancel_many_ids_reports_each(target: Target) -> None:
    paths = scripts(target.workdir, "cancel", 2, body="sleep 60")
    submitted = target.invoke(["submit", *map(str, paths), "-D", str(target.workdir)])
    ids = [m.group(1) for m in map(SUBMITTED.match, submitted.stdout.splitlines()) if m]
    finished = scripts(target.workdir, "cancel-done", 1)
    done = target.invoke(["submit", str(finished[0]), "-D", str(target.workdir), "--wait"])
    done_id = SUBMITTED.match(done.stdout.splitlines()[0]).group(1)  # type: ignore[union-attr]

    result = target.invoke(["cancel", *ids, done_id, "3999999999"])
    assert result.exit_code == exitcodes.NOT_FOUND, result.output
    assert result.stdout.splitlines() == [f"cancelled job {i}" for i in ids]
    assert f"s3m: note: job {done_id} had already finished" in result.stderr
    errors = [e for e in result.stderr.splitlines() if e.startswith("s3m: error:")]
    assert len(errors) == 1
    assert errors[0].startswith("s3m: error: job 3999999999: ")
    again = target.invoke(["cancel", done_id])
    assert again.exit_code == 0, again.output


def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    paths = scripts(tmp_path, "bar", 30)
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [*s3m_command(), "--local", "submit", *(p.name for p in paths)],
        cwd=tmp_path,
        env={**process_env(tmp_path), "LANG": "C.UTF-8"},
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
    )
    os.close(terminal)
    try:
        output = read_pty(controller, proc, 60).decode("utf-8", "replace")
        assert proc.wait(30) == 0, output
    finally:
        os.close(controller)
        if proc.poll() is None:
            proc.kill()
    assert re.search(r"\r\x1b\[2K\[#*\.*\] \d+/30 submitted", output), output
    assert len(re.findall(r"Submitted batch job \d+", output)) == 30
    piped = subprocess.run(
        [*s3m_command(), "--local", "submit", *(p.name for p in paths)],
        cwd=tmp_path,
        env=process_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert "\x1b" not in piped.stdout + piped.stderr
    assert len(piped.stdout.splitlines()) == 30
