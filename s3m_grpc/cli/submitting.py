"""What `s3m submit` does around the call, for one script and for many: read and check a
batch script, build its job from directives, flags and `--env`, and show what the jobs did
(their output files, the exit code of a failed job)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

import click

from s3m_grpc.cli import exitcodes, fail
from s3m_grpc.cli.output import dig, noval
from s3m_grpc.cli.runner import settings_of
from s3m_grpc.cli.session import Session
from s3m_grpc.cli.waiting import Finished
from s3m_grpc.jobspec import JobSpec, env_assignment, exportable

MAX_SCRIPT_BYTES = 4 << 20


def read_script(source: str) -> str:
    """The batch script from a path or `-` (stdin), checked the way sbatch checks it."""
    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_SCRIPT_BYTES + 1)
        else:
            with Path(source).open("rb") as fh:
                data = fh.read(MAX_SCRIPT_BYTES + 1)
    except OSError as exc:
        raise fail.usage(f"cannot read script {source}: {exc.strerror or exc}") from None
    if len(data) > MAX_SCRIPT_BYTES:
        raise fail.script(f"script {source} is larger than {MAX_SCRIPT_BYTES >> 20} MiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise fail.script(f"script {source} is not UTF-8 text") from None
    if not text.startswith("#!"):
        raise fail.script(
            f"script {source} does not start with #! (e.g. #!/bin/bash): SLURM needs an "
            "interpreter line"
        )
    return text


# `s3m submit` flags (click names) -> the sbatch options they stand for.
SBATCH_FLAGS = {
    "account": "account",
    "partition": "partition",
    "time_limit": "time",
    "nodes": "nodes",
    "tasks": "ntasks",
    "cpus_per_task": "cpus-per-task",
    "chdir": "chdir",
    "name": "job-name",
    "output": "output",
    "error": "error",
}


def job_spec(
    text: str,
    flags: Mapping[str, str | None],
    env_pairs: Sequence[str],
    *,
    export_env: bool,
    default_chdir: str | None,
) -> JobSpec:
    """The job `s3m submit` sends: the script's directives, then flags, then `--env` pairs;
    with `--export-env` this shell's environment (never the token) under all of them."""
    from s3m_grpc.errors import InvalidRequestError

    try:
        spec = JobSpec.from_script(text, environ=os.environ)
        options = {SBATCH_FLAGS[k]: v for k, v in flags.items()}
        spec = spec.merge(JobSpec.from_options(options, environ=os.environ))
        spec = spec.merge(JobSpec(environment=dict(env_assignment(p) for p in env_pairs)))
        if export_env:
            spec = JobSpec(environment=exportable(os.environ)).merge(spec)
        if spec.current_working_directory is None and default_chdir is not None:
            spec = spec.merge(JobSpec(current_working_directory=default_chdir))
    except InvalidRequestError as exc:
        raise fail.script(str(exc)) from None
    return spec


def progress_stream(ctx: click.Context) -> TextIO:
    """Progress goes to stdout for tables, to stderr when stdout carries JSON/YAML."""
    if settings_of(ctx).output == "table":
        return sys.stdout
    return sys.stderr


def print_outputs(session: Session, finished: Finished) -> None:
    """Print the job's stdout (and stderr, if separate) when the files are on this machine."""
    job = finished.job
    started = job.get("time", {}).get("start") or 0
    not_before = float(started) - 5.0 if isinstance(started, int | float) else 0.0
    shown: set[Path] = set()
    for key in ("stdout_expanded", "stdout", "stderr_expanded", "stderr"):
        name = str(job.get(key) or "")
        if not name:
            continue
        path = session.local_path(name, not_before)
        if path is None or path in shown:
            continue
        shown.add(path)
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if not text:
            continue
        click.echo(f"==> {name} <==", err=True)
        click.echo(text, nl=not text.endswith("\n") and bool(text))


def check_outcome(finished: list[Finished]) -> None:
    failed = [f for f in finished if not f.succeeded]
    if failed:
        first = failed[0]
        code = dig(first.job, "exit_code.return_code")
        signal = dig(first.job, "exit_code.signal.name")
        detail = f"signal {signal}" if signal else f"exit code {noval(code) or 0}"
        others = f"; {len(failed) - 1} more job(s) did not complete" if len(failed) > 1 else ""
        raise exitcodes.JobEndedError(first.job_id, f"{first.state} ({detail}){others}")
