"""`s3m submit a.sh b.sh ...`: several scripts through the client's `submit_many`.

Each script is read and checked first; one that cannot be read or has a bad directive is
reported and the others still go. They are then submitted concurrently at a pace the server
accepts (`s3m_grpc.bulk`), printed one line per script in the order given (`bulkoutput`), and
with `--wait` waited for together (the client's `wait_all`). The exit code is non-zero if any
script failed to submit (or, with `--wait`, if any job did not complete).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from s3m_grpc.cli import exitcodes, fail
from s3m_grpc.cli.bulkoutput import Bar, InOrder, error_line, exit_code_of
from s3m_grpc.cli.output import render, submit_text
from s3m_grpc.cli.progress import Progress
from s3m_grpc.cli.runner import cli_state, run, settings_of
from s3m_grpc.cli.session import Session, choose_resource, choose_version
from s3m_grpc.cli.submitting import (
    check_outcome,
    job_spec,
    print_outputs,
    progress_stream,
    read_script,
)
from s3m_grpc.cli.waiting import Finished, wait_for

if TYPE_CHECKING:
    from s3m_grpc.bulk import SubmitOutcome
    from s3m_grpc.handles import AsyncJob
    from s3m_grpc.jobspec import JobSpec


def submit_scripts(
    ctx: click.Context,
    scripts: Sequence[str],
    flags: Mapping[str, str | None],
    env_pairs: Sequence[str],
    *,
    export_env: bool,
    with_storage: bool,
    wait_: bool,
    wait_timeout: float | None,
    dry_run: bool,
    concurrency: int,
) -> None:
    """The body of `s3m submit` for more than one script (see the module docstring)."""
    from s3m_grpc.errors import S3MError

    if "-" in scripts:
        raise fail.usage("`-` (a script on stdin) cannot be combined with other scripts")
    settings = settings_of(ctx)
    verbose = cli_state(ctx).verbose
    codes: list[int] = []
    ready: list[tuple[str, JobSpec]] = []
    for name in scripts:
        try:
            spec = job_spec(
                read_script(name),
                flags,
                env_pairs,
                export_env=export_env,
                default_chdir=str(Path.cwd()) if settings.local else None,
            )
        except S3MError as exc:
            codes.append(error_line(name, exc, verbose))
            continue
        note = spec.unsupported_note()
        if note:
            click.echo(f"s3m: note: {name}: {note}", err=True)
        ready.append((name, spec))
    if dry_run:
        show_requests(ctx, ready)
    elif ready:
        codes.extend(send(ctx, ready, with_storage, wait_, wait_timeout, concurrency, verbose))
    if exit_code_of(codes):
        raise click.exceptions.Exit(exit_code_of(codes))


def show_requests(ctx: click.Context, ready: Sequence[tuple[str, JobSpec]]) -> None:
    """`--dry-run`: the request of every script, as a list."""
    from s3m_grpc import versions
    from s3m_grpc.jobspec import submit_request
    from s3m_grpc.jsoncodec import to_dict

    settings = settings_of(ctx)
    version = versions.get(choose_version(settings, choose_resource(settings)))
    requests = [{"script": n, "request": to_dict(submit_request(s, version))} for n, s in ready]
    click.echo(render(requests, "yaml" if settings.output == "yaml" else "json", "submit"))


def send(
    ctx: click.Context,
    ready: Sequence[tuple[str, JobSpec]],
    with_storage: bool,
    wait_: bool,
    wait_timeout: float | None,
    concurrency: int,
    verbose: bool,
) -> list[int]:
    """Submit the checked scripts (and wait, with --wait); the exit code of each script."""
    settings = settings_of(ctx)
    table = settings.output == "table"
    names = [n for n, _ in ready]
    codes: list[int] = []
    documents: list[dict[str, Any]] = []

    def show(outcome: SubmitOutcome[AsyncJob]) -> None:
        from s3m_grpc.jsoncodec import to_dict

        name = names[outcome.index]
        if outcome.error is not None:
            codes.append(error_line(name, outcome.error, verbose))
            documents.append({"script": name, "error": type(outcome.error).__name__})
            return
        job = outcome.unwrap()
        reply = to_dict(job.raw) if job.raw is not None else {"job_id": job.job_id}
        codes.append(exitcodes.OK)
        if table:
            click.echo(submit_text(reply))
        else:
            documents.append({"script": name, **reply})

    bar = Bar(sys.stderr, len(ready), "submitted") if sys.stderr.isatty() else None
    printer = InOrder(len(ready), show, bar)

    async def body(session: Session) -> list[Finished]:
        outcomes = await session.client.submit_many(
            [s for _, s in ready], concurrency=concurrency, progress=printer
        )
        if bar is not None:
            bar.clear()
        if not table:
            click.echo(render(documents, settings.output, "submit"))
        submitted = [str(o.unwrap().job_id) for o in outcomes if o.ok]
        if not (wait_ and submitted):
            return []
        progress = Progress(progress_stream(ctx))
        finished = await wait_for(
            session, submitted, progress, limit=wait_timeout, just_submitted=True
        )
        for done in finished:
            if table:
                print_outputs(session, done)
        if not table:
            click.echo(render([f.reply for f in finished], settings.output, "job"))
        return finished

    finished = run(ctx, body, with_storage=with_storage)
    if exit_code_of(codes) == exitcodes.OK:
        check_outcome(finished)
    return codes
