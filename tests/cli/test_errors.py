"""Failures: one human line naming cause and fix, the documented exit code, never a traceback,
never the token."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from s3m_grpc.cli import exitcodes
from s3m_grpc.cli.app import TOKEN_ARGUMENT_WARNING, cli
from tests.cli.conftest import Target, clean_env


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("s3m: error:")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_read_only_token_cannot_submit(target: Target) -> None:
    job = target.workdir / "ro.sh"
    job.write_text("#!/bin/bash\ntrue\n")
    result = target.invoke(["submit", str(job)], token_file=target.readonly_file)
    assert result.exit_code == exitcodes.AUTH
    line = one_error_line(result.stderr)
    assert "read-only" in line
    assert "compute-ace" in line
    assert target.server.readonly_token not in result.output
    listing = target.invoke(["jobs"], token_file=target.readonly_file)
    assert listing.exit_code == 0, listing.output


def test_unknown_token_is_an_auth_error_and_never_echoed(target: Target, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    secret = "not-a-real-token-0123456789"
    bad.write_text(secret)
    result = target.invoke(["-v", "ping"], token_file=bad)
    assert result.exit_code == exitcodes.AUTH
    assert "S3M_TOKEN" in one_error_line(result.stderr)
    assert secret not in result.output


def test_token_as_an_argument_warns(target: Target) -> None:
    runner = CliRunner()
    args = ["--endpoint", f"http://{target.server.grpc_target}", "--resource", "odo"]
    warned = runner.invoke(
        cli, [*args, "--token", target.server.token, "ping"], env=clean_env(target.workdir)
    )
    assert warned.exit_code == 0, warned.output
    assert TOKEN_ARGUMENT_WARNING in warned.stderr
    assert target.server.token not in warned.output
    from_stdin = runner.invoke(
        cli,
        [*args, "--token", "-", "ping"],
        input=target.server.token + "\n",
        env=clean_env(target.workdir),
    )
    assert from_stdin.exit_code == 0, from_stdin.output
    assert "warning" not in from_stdin.stderr


def test_unknown_job_is_not_found(target: Target) -> None:
    result = target.invoke(["job", "999999"])
    assert result.exit_code == exitcodes.NOT_FOUND
    one_error_line(result.stderr)
    waited = target.invoke(["wait", "999998"])
    assert waited.exit_code == exitcodes.NOT_FOUND


def test_version_the_resource_does_not_serve_lists_the_ones_it_does(target: Target) -> None:
    result = target.invoke(["--api-version", "v0.0.42", "ping"])
    assert result.exit_code == exitcodes.USAGE
    line = one_error_line(result.stderr)
    assert "v0.0.43" in line
    assert "v0.0.44" in line
    assert "--api-version" in line


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["job", "12x"], "invalid job id"),
        (["jobs", "--state", "SLEEPY"], "unknown job state"),
        (["--api-version", "9.9", "ping"], "unknown API version"),
        (["submit", "/nonexistent/job.sh"], "cannot read script"),
        (["--transport", "carrier-pigeon", "ping"], "carrier-pigeon"),
        (["submit", "-", "--time", "soon"], "time limit"),
        (["submit", "-", "--env", "NOEQUALS"], "--env"),
        (["nosuchcommand"], "No such command"),
    ],
)
def test_usage_errors_exit_2(target: Target, args: list[str], needle: str) -> None:
    result = target.invoke(args, input="#!/bin/bash\ntrue\n")
    assert result.exit_code == exitcodes.USAGE, result.output
    assert needle in result.stderr
    assert "Traceback" not in result.output


def test_script_without_interpreter_line(target: Target) -> None:
    result = target.invoke(["submit", "-"], input="echo no shebang\n")
    assert result.exit_code == exitcodes.USAGE
    assert "#!" in one_error_line(result.stderr)


def test_no_resource_says_how_to_pick_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["ping"], env=clean_env(tmp_path))
    assert result.exit_code == exitcodes.USAGE
    line = one_error_line(result.stderr)
    assert "--resource" in line
    assert "S3M_RESOURCE" in line


def test_unreachable_server_names_the_fix(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = clean_env(tmp_path, {"S3M_TOKEN": "t0ken-value"})
    args = ["--endpoint", f"http://127.0.0.1:{port}", "--resource", "odo", "--timeout", "3"]
    result = CliRunner().invoke(cli, [*args, "--transport", "grpc", "ping"], env=env)
    assert result.exit_code == exitcodes.ERROR, result.output
    assert "--endpoint" in one_error_line(result.stderr)
    assert "t0ken-value" not in result.output


def test_exit_code_table() -> None:
    from s3m_grpc import errors
    from s3m_grpc.cli.errors import ScriptError

    cases = {
        errors.AuthenticationError("x"): 3,
        errors.PermissionDeniedError("x"): 3,
        errors.NotFoundError("x"): 4,
        errors.InvalidRequestError("x"): 1,
        errors.UnavailableError("x"): 1,
        errors.DeadlineExceededError("x"): 124,
        ScriptError("x"): 2,
        exitcodes.JobEndedError("1", "FAILED"): 5,
        errors.WaitTimeoutError("x", job_ids=["1"], states={"1": "RUNNING"}): 124,
        errors.ConfigurationError("x"): 2,
        RuntimeError("x"): 1,
    }
    assert {type(e).__name__: exitcodes.exit_code(e) for e in cases} == {
        type(e).__name__: code for e, code in cases.items()
    }


def test_verbose_adds_slurm_detail() -> None:
    from s3m_grpc.errors import ErrorEntry, SlurmError

    exc = SlurmError("job refused", errors=[ErrorEntry(2017, "Invalid partition", "sbatch", "")])
    assert exitcodes.describe(exc) == "job refused"
    detail = exitcodes.describe(exc, verbose=True)
    assert "Invalid partition" in detail
    assert "SlurmError" in detail


def test_state_repr_hides_the_token() -> None:
    from s3m_grpc.cli.app import CliState

    state = CliState(given={"resource": "odo"}, token="super-secret-value")
    assert "super-secret-value" not in repr(state)
    assert "token=<set>" in repr(state)


def test_slurm_refusal_is_one_line_with_slurm_detail_under_v(target: Target) -> None:
    job = target.workdir / "refused.sh"
    job.write_text("#!/bin/bash\ntrue\n")
    result = target.invoke(["submit", str(job), "-p", "no-such-partition"])
    assert result.exit_code == exitcodes.ERROR
    assert "no-such-partition" in one_error_line(result.stderr)
    verbose = target.invoke(["-v", "submit", str(job), "-p", "no-such-partition"])
    assert "InvalidRequestError" in verbose.stderr
    assert "Traceback" not in verbose.stderr
    assert target.server.token not in verbose.output


def test_resource_outside_the_built_in_table_is_left_to_the_server(target: Target) -> None:
    # Without --api-version the newest known version is spoken; the server decides.
    no_version = target.invoke(["--resource", "frontier2", "ping"])
    assert no_version.exit_code == exitcodes.NOT_FOUND
    assert "known resources: defiant, odo" in one_error_line(no_version.stderr)
    asked = target.invoke(
        ["-v", "--transport", "grpc", "--resource", "frontier2", "--api-version", "44", "ping"]
    )
    assert asked.exit_code == exitcodes.NOT_FOUND
    assert "known resources: defiant, odo" in one_error_line(asked.stderr)
    # The client sent it (no check of its own): the server's NOT_FOUND comes back as exit 4.
    assert asked.exit_code == exitcodes.NOT_FOUND
