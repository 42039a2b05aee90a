"""Every command through click's runner against a real local server (gRPC with REST fallback)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli.conftest import Target


def script(tmp: Path, body: str, name: str = "job.sh", directives: str = "") -> Path:
    path = tmp / name
    path.write_text(f"#!/bin/bash\n{directives}{body}\n")
    return path


def json_stream(text: str) -> list[Any]:
    """Every JSON document in `text` (what `jq` reads from a stream)."""
    decoder = json.JSONDecoder()
    out, index = [], 0
    while index < len(text.rstrip()):
        value, end = decoder.raw_decode(text, index)
        out.append(value)
        index = end + 1
    return out


def submit(target: Target, body: str, *extra: str) -> str:
    path = script(target.workdir, body, name=f"job-{abs(hash(body))}.sh")
    result = target.invoke(["submit", str(path), "--chdir", str(target.workdir), *extra])
    assert result.exit_code == 0, result.output
    match = re.search(r"Submitted batch job (\d+)", result.stdout)
    assert match, result.stdout
    return match.group(1)


def test_ping_table_and_json(target: Target) -> None:
    table = target.invoke(["ping"])
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[1].split()[:3] == ["CONTROLLER", "PINGED", "MODE"]
    assert "UP" in table.stdout
    as_json = target.invoke(["-o", "json", "ping"])
    data = json.loads(as_json.stdout)
    assert data["pings"][0]["pinged"] == "UP"
    assert data["meta"]["plugin"]["data_parser"] == "data_parser/v0.0.44"


@pytest.mark.parametrize(
    ("command", "key", "header"),
    [
        ("partitions", "partitions", "PARTITION"),
        ("nodes", "nodes", "NODE"),
        ("reservations", "reservations", "RESERVATION"),
    ],
)
def test_listings_in_every_format(target: Target, command: str, key: str, header: str) -> None:
    table = target.invoke([command])
    assert table.exit_code == 0, table.output
    as_json = json.loads(target.invoke(["-o", "json", command]).stdout)
    as_yaml = yaml.safe_load(target.invoke(["-o", "yaml", command]).stdout)
    names = [item["name"] for item in as_json[key]]
    assert [item["name"] for item in as_yaml[key]] == names  # times may tick between calls
    assert as_json["meta"] == as_yaml["meta"]
    if names:
        lines = table.stdout.splitlines()
        assert lines[0].startswith(header)
        assert [line.split()[0] for line in lines[1:]] == names
    else:
        assert table.stdout.startswith("no ")


def test_diag_shows_statistics(target: Target) -> None:
    result = target.invoke(["diag"])
    assert result.exit_code == 0, result.output
    data = json.loads(target.invoke(["-o", "json", "diag"]).stdout)
    assert "statistics" in data
    first = next(iter(k for k, v in data["statistics"].items() if isinstance(v, int)))
    assert first.replace("_", " ") in result.stdout


def test_job_lifecycle_submit_jobs_job_cancel_wait(target: Target) -> None:
    job_id = submit(target, "sleep 60", "--name", "sleeper", "--time", "5")
    listing = target.invoke(["jobs", "--name", "sleep*"])
    assert listing.exit_code == 0, listing.output
    rows = [line.split() for line in listing.stdout.splitlines()[1:]]
    assert [r[0] for r in rows] == [job_id]
    assert rows[0][2] == "sleeper"
    assert rows[0][6] == "5:00"  # LIMIT column
    filtered = json.loads(target.invoke(["-o", "json", "jobs", "--state", "CD"]).stdout)
    assert job_id not in [str(j["job_id"]) for j in filtered["jobs"]]

    detail = target.invoke(["job", job_id])
    assert detail.exit_code == 0, detail.output
    assert re.search(rf"^job id:\s+{job_id}$", detail.stdout, re.M)
    assert re.search(r"^name:\s+sleeper$", detail.stdout, re.M)

    timed_out = target.invoke(["wait", job_id, "--timeout", "0.5"])
    assert timed_out.exit_code == 124
    assert "timed out" in timed_out.stderr

    cancelled = target.invoke(["cancel", job_id])
    assert cancelled.exit_code == 0, cancelled.output
    assert cancelled.stdout.strip() == f"cancelled job {job_id}"

    waited = target.invoke(["wait", job_id, "--interval", "0.2", "--timeout", "30"])
    assert waited.exit_code == 5, waited.output
    assert "CANCELLED" in waited.stdout
    assert f"job {job_id} ended CANCELLED" in waited.stderr


def test_submit_wait_prints_the_output_and_exit_code_follows_the_job(target: Target) -> None:
    path = script(target.workdir, 'echo "hi from $SLURM_JOB_NAME"', name="ok.sh",
                  directives="#SBATCH -J greeter\n#SBATCH -o greet-%j.out\n")  # fmt: skip
    ok = target.invoke(["submit", str(path), "-D", str(target.workdir), "--wait"])
    assert ok.exit_code == 0, ok.output
    assert "hi from greeter" in ok.stdout
    bad = script(target.workdir, "exit 3", name="bad.sh")
    failed = target.invoke(["submit", str(bad), "-D", str(target.workdir), "--wait"])
    assert failed.exit_code == 5, failed.output
    assert "FAILED" in failed.stderr


def test_submit_from_stdin_with_flags_over_directives(target: Target) -> None:
    text = "#!/bin/bash\n#SBATCH -J from-script\n#SBATCH --array=1-2\necho $GREETING\n"
    result = target.invoke(
        ["-o", "json", "submit", "-", "-J", "from-flag", "--env", "GREETING=hello",
         "-D", str(target.workdir), "--wait", "--wait-timeout", "60"],
        input=text,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    submitted, finished = json_stream(result.stdout)
    assert submitted["job_id"] == finished["jobs"][0]["job_id"]
    assert finished["jobs"][0]["name"] == "from-flag"
    assert result.stderr.count("--array") == 1
    assert "stay in the script" in result.stderr


def test_dry_run_shows_the_versioned_request(target: Target) -> None:
    path = script(target.workdir, "true", directives="#SBATCH -t 1-0\n#SBATCH -N 2\n")
    for version in ("v0.0.44", "43"):
        args = ["--api-version", version, "submit", str(path), "--dry-run", "-p", "debug"]
        request = json.loads(target.invoke(args).stdout)
        assert set(request) == {"job"}  # one job is `job` on every version (ADR 0003)
        assert request["job"]["script"].startswith("#!/bin/bash")
        assert request["job"]["time_limit"] == {"set": True, "number": 1440}
        assert request["job"]["partition"] == "debug"
        assert request["job"]["nodes"] == "2"


def test_rest_transport_gives_the_same_json(target: Target) -> None:
    over_grpc = json.loads(
        target.invoke(["--transport", "grpc", "-o", "json", "partitions"]).stdout
    )
    over_rest = json.loads(
        target.invoke(["--transport", "rest", "-o", "json", "partitions"]).stdout
    )
    assert over_grpc["partitions"] == over_rest["partitions"]


def test_older_api_version(target: Target) -> None:
    result = target.invoke(["--api-version", "v0.0.43", "-o", "json", "ping"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["meta"]["slurm"]["version"]["major"]


def test_watch_refreshes_a_fixed_number_of_times(target: Target) -> None:
    job_id = submit(target, "sleep 30", "--name", "watched")
    try:
        result = target.invoke(["watch", "--count", "2", "--interval", "0.2", "--name", "watched"])
        assert result.exit_code == 0, result.output
        frames = result.stdout.split("every 0.2s")
        assert len(frames) == 3  # text before the first frame, then two frames
        for frame in frames[1:]:
            assert re.search(rf"^{job_id}\s", frame, re.M), frame
        as_json = target.invoke(["-o", "json", "watch", "--count", "2", "--interval", "0.2"])
        documents = [json.loads(line) for line in as_json.stdout.splitlines()]
        assert len(documents) == 2
        assert all("jobs" in d for d in documents)
    finally:
        target.invoke(["cancel", job_id])


def test_cancel_with_a_signal(target: Target) -> None:
    ready = target.workdir / "trap-ready"
    ready.unlink(missing_ok=True)
    job_id = submit(target, f"trap 'echo got-usr1; exit 0' USR1\ntouch {ready}\nsleep 30 & wait")
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        result = target.invoke(["cancel", "--signal", "SIGUSR1", job_id])
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == f"sent SIGUSR1 to job {job_id}"
        waited = target.invoke(["wait", job_id, "--timeout", "30", "--interval", "0.2"])
        assert waited.exit_code == 0, waited.output  # the trap ended the job normally
        assert "got-usr1" in (target.workdir / f"slurm-{job_id}.out").read_text()
        as_json = target.invoke(["-o", "json", "cancel", "999997"])
        assert as_json.exit_code == 4, as_json.output
    finally:
        target.invoke(["cancel", job_id])


def test_environment_flags_reach_the_job(target: Target) -> None:
    path = script(
        target.workdir,
        'echo "exported=$FROM_SHELL set=$FROM_FLAG named=$NAMED"',
        name="env.sh",
        directives="#SBATCH --export=NAMED\n",
    )
    env = {"FROM_SHELL": "shell-value", "NAMED": "named-value"}
    args = ["submit", str(path), "-D", str(target.workdir), "--env", "FROM_FLAG=flag-value"]
    everything = target.invoke([*args, "--export-env", "--wait"], env=env)
    assert everything.exit_code == 0, everything.output
    assert "exported=shell-value set=flag-value named=named-value" in everything.stdout
    chosen = target.invoke([*args, "--wait"], env=env)
    assert "exported= set=flag-value named=named-value" in chosen.stdout


def test_with_storage_is_accepted(target: Target) -> None:
    path = script(target.workdir, "echo stored", name="storage.sh")
    result = target.invoke(["submit", str(path), "-D", str(target.workdir), "--with-storage"])
    assert result.exit_code == 0, result.output
    assert "Submitted batch job" in result.stdout


def test_completion_through_the_runner(target: Target) -> None:
    result = target.invoke(["completion", "zsh"])
    assert result.exit_code == 0, result.output
    assert "#compdef s3m" in result.stdout


def test_local_mode_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from s3m_grpc.cli.app import cli
    from tests.cli.conftest import clean_env

    monkeypatch.chdir(tmp_path)
    hello = Path(__file__).resolve().parents[2] / "examples" / "hello.sh"
    result = CliRunner().invoke(
        cli, ["--local", "submit", str(hello), "--wait"], env=clean_env(tmp_path)
    )
    assert result.exit_code == 0, result.output
    job_id = re.search(r"Submitted batch job (\d+)", result.stdout)
    assert job_id
    assert f"Hello from job {job_id.group(1)}" in result.stdout
    assert (tmp_path / f"hello-{job_id.group(1)}.out").is_file()


def test_the_directives_example_runs(target: Target) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "directives.sh"
    result = target.invoke(["submit", str(example), "-D", str(target.workdir), "--wait"])
    assert result.exit_code == 0, result.output
    job_id = re.search(r"Submitted batch job (\d+)", result.stdout)
    assert job_id
    assert f"job {job_id.group(1)}: directives-demo, OMP_NUM_THREADS=2" in result.stdout
    assert result.stderr.count("note: #SBATCH --mail-type:") == 1
    detail = json.loads(target.invoke(["-o", "json", "job", job_id.group(1)]).stdout)["jobs"][0]
    assert detail["account"] == "stf040"
    assert detail["partition"] == "batch-cpu"


def test_watch_job_ids_prints_each_state_change_until_they_finish(target: Target) -> None:
    quick = submit(target, "sleep 0.5", "--name", "watch-quick")
    failing = submit(target, "sleep 0.2; exit 4", "--name", "watch-failing")
    result = target.invoke(["watch", quick, failing, "--interval", "0.3"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert re.search(rf"job {quick}  \S+ -> COMPLETED", result.stdout), lines
    assert re.search(rf"job {failing}  \S+ -> FAILED", result.stdout), lines
    assert len([line for line in lines if f"job {quick} " in line]) >= 1
    as_json = target.invoke(["-o", "json", "watch", quick])
    changes = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert changes == [{"job_id": quick, "old": None, "new": "COMPLETED", "job": changes[0]["job"]}]
    assert changes[0]["job"]["job_id"] == int(quick)
    refused = target.invoke(["watch", quick, "--name", "x"])
    assert refused.exit_code != 0
    assert "do not go together" in refused.output
