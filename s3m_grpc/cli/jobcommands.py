"""Commands that act on jobs: submit, cancel, wait, watch (reading scripts and showing what
the jobs did: `s3m_grpc.cli.submitting`; several scripts at once: `s3m_grpc.cli.bulksubmit`)."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from s3m_grpc.cli import exitcodes, fail
from s3m_grpc.cli.bulkoutput import error_line, exit_code_of
from s3m_grpc.cli.commands import check_filters, check_job_id, filter_options, listed_jobs
from s3m_grpc.cli.output import jobs_table, render, submit_text
from s3m_grpc.cli.progress import Progress
from s3m_grpc.cli.runner import cli_state, emit, run, settings_of
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
    from s3m_grpc.bulk import CancelOutcome


@click.command()
@click.argument("scripts", nargs=-1, required=True, metavar="SCRIPT...|-")
@click.option("-A", "--account", help="Account (project) to charge.")
@click.option("-p", "--partition", help="Partition.")
@click.option(
    "-t",
    "--time",
    "time_limit",
    metavar="TIME",
    help="M, M:S, H:M:S, D-H, D-H:M, D-H:M:S or UNLIMITED.",
)
@click.option("-N", "--nodes", help="Nodes: a count or a range MIN-MAX.")
@click.option("-n", "--tasks", "--ntasks", "tasks", help="Number of tasks.")
@click.option("-c", "--cpus-per-task", help="CPUs per task.")
@click.option("-D", "--chdir", help="Working directory of the job (on the cluster).")
@click.option("-J", "--name", "--job-name", "name", help="Job name.")
@click.option("-o", "--output", help="stdout file (SLURM patterns like %j work).")
@click.option("-e", "--error", help="stderr file.")
@click.option(
    "--env",
    "env_pairs",
    multiple=True,
    metavar="K=V",
    help="Job environment variable (repeatable).",
)
@click.option("--export-env", is_flag=True, help="Send this shell's whole environment to the job.")
@click.option("--with-storage", is_flag=True, help="Ask S3M to mount storage (x-s3m-withstorage).")
@click.option(
    "--wait",
    "wait_",
    is_flag=True,
    help="Wait for the job; print its output if it is on this machine.",
)
@click.option(
    "--wait-timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="With --wait: give up after this long (exit 124).",
)
@click.option("--dry-run", is_flag=True, help="Print the request that would be sent; send nothing.")
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="With several scripts: at most this many submits at a time.",
)
@click.pass_context
def submit(
    ctx: click.Context,
    /,
    scripts: tuple[str, ...],
    env_pairs: tuple[str, ...],
    export_env: bool,
    with_storage: bool,
    wait_: bool,
    wait_timeout: float | None,
    dry_run: bool,
    concurrency: int,
    **flags: str | None,
) -> None:
    """Submit batch scripts; #SBATCH lines fill each job, flags given here win over them.

    Several scripts are submitted concurrently at a pace the server accepts: one line per
    script in the order given, errors per script; the exit code is non-zero if any failed.

    \b
    Directives read: -A -p -t -N -n -c -J -D -o -e -i -q -L -b, --account --partition
    --time --time-min --nodes --ntasks --cpus-per-task --job-name --chdir --output --error
    --input --qos --reservation --comment --licenses --begin --priority --mem --mem-per-cpu
    --mincpus --sockets-per-node --threads-per-core --ntasks-per-node --ntasks-per-socket
    --ntasks-per-core --ntasks-per-gpu --wait-all-nodes --export.
    Others (--array, --dependency, ...) stay in the script (SLURM's REST API does not read
    them; the S3M job description cannot carry them) and are reported.
    """
    if len(scripts) > 1:
        from s3m_grpc.cli.bulksubmit import submit_scripts

        submit_scripts(
            ctx,
            scripts,
            flags,
            env_pairs,
            export_env=export_env,
            with_storage=with_storage,
            wait_=wait_,
            wait_timeout=wait_timeout,
            dry_run=dry_run,
            concurrency=concurrency,
        )
        return
    script = scripts[0]
    settings = settings_of(ctx)
    spec = job_spec(
        read_script(script),
        flags,
        env_pairs,
        export_env=export_env,
        default_chdir=str(Path.cwd()) if settings.local else None,
    )
    note = spec.unsupported_note()
    if note:
        click.echo(f"s3m: note: {note}", err=True)
    if dry_run:
        from s3m_grpc import versions
        from s3m_grpc.jobspec import submit_request
        from s3m_grpc.jsoncodec import to_dict

        version = choose_version(settings, choose_resource(settings))
        request = submit_request(spec, versions.get(version))
        fmt = "yaml" if settings.output == "yaml" else "json"
        click.echo(render(to_dict(request), fmt, "submit"))
        return

    async def body(session: Session) -> tuple[dict[str, Any], list[Finished]]:
        from s3m_grpc import versions
        from s3m_grpc.jobspec import submit_request
        from s3m_grpc.jsoncodec import to_dict

        request = submit_request(spec, versions.get(session.version))
        reply = to_dict(await session.stub.post_job_submit(request))
        if settings.output == "table":
            click.echo(submit_text(reply))
        else:
            emit(ctx, "submit", reply)
        if not wait_:
            return reply, []
        job_id = str(reply.get("job_id", ""))
        progress = Progress(progress_stream(ctx))
        finished = await wait_for(
            session, [job_id], progress, limit=wait_timeout, just_submitted=True
        )
        if settings.output == "table":
            print_outputs(session, finished[0])
        else:
            emit(ctx, "job", finished[0].reply)
        return reply, finished

    _, finished = run(ctx, body, with_storage=with_storage)
    check_outcome(finished)


@click.command()
@click.argument("job_ids", nargs=-1, required=True, metavar="ID...")
@click.option("-s", "--signal", help="Send this signal (e.g. SIGUSR1) instead of cancelling.")
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="At most this many cancels at a time.",
)
@click.pass_context
def cancel(
    ctx: click.Context, job_ids: tuple[str, ...], signal: str | None, concurrency: int
) -> None:
    """Cancel jobs (or send them a signal); each job's outcome is reported, the exit code is
    non-zero if any could not be cancelled (a job that had already finished is not a failure)."""
    ids = [check_job_id(j) for j in job_ids]
    if signal is not None and not signal.strip():
        raise fail.usage("--signal needs a name like SIGTERM or a number")
    settings = settings_of(ctx)

    async def body(session: Session) -> list[CancelOutcome]:
        return await session.client.cancel_many(ids, signal=signal, concurrency=concurrency)

    outcomes = run(ctx, body)
    if len(outcomes) == 1 and not outcomes[0].ok:
        error = outcomes[0].error
        assert error is not None
        raise error  # one job: reported (and exit code chosen) as any single failure
    codes = show_cancelled(outcomes, signal, settings.output, cli_state(ctx).verbose)
    if settings.output != "table":
        from s3m_grpc.jsoncodec import to_dict

        replies = [to_dict(o.result.raw) for o in outcomes if o.result is not None]
        click.echo(render(replies, settings.output, "cancel"))
    if exit_code_of(codes):
        raise click.exceptions.Exit(exit_code_of(codes))


def show_cancelled(
    outcomes: Sequence[CancelOutcome], signal: str | None, output: str, verbose: bool
) -> list[int]:
    """One line per job (the cancelled ones on stdout for tables, failures on stderr); the exit
    code of each. A job that had already finished is a note, not a failure."""
    from s3m_grpc.bulk import CancelStatus

    codes = []
    for o in outcomes:
        if o.status is CancelStatus.CANCELLED:
            if output == "table":
                verb = f"sent {signal} to" if signal else "cancelled"
                click.echo(f"{verb} job {o.job_id}")
            codes.append(exitcodes.OK)
        elif o.status is CancelStatus.FINISHED:
            click.echo(f"s3m: note: job {o.job_id} had already finished", err=True)
            codes.append(exitcodes.OK)
        else:
            assert o.error is not None
            codes.append(error_line(f"job {o.job_id}", o.error, verbose))
    return codes


@click.command()
@click.argument("job_ids", nargs=-1, required=True, metavar="ID...")
@click.option(
    "--timeout",
    "wait_timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Give up after this long (exit 124).",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=5.0,
    show_default=True,
    help="Longest pause between polls, seconds.",
)
@click.pass_context
def wait(
    ctx: click.Context, job_ids: tuple[str, ...], wait_timeout: float | None, interval: float
) -> None:
    """Wait until the jobs end. Exit 0 if all COMPLETED, 5 if any did not, 124 on timeout."""
    ids = [check_job_id(j) for j in job_ids]
    settings = settings_of(ctx)

    async def body(session: Session) -> list[Finished]:
        progress = Progress(progress_stream(ctx))
        return await wait_for(session, ids, progress, limit=wait_timeout, interval=interval)

    finished = run(ctx, body)
    if settings.output != "table":
        click.echo(render([f.reply for f in finished], settings.output, "job"))
    check_outcome(finished)


@click.command()
@click.argument("job_ids", nargs=-1, metavar="[ID...]")
@filter_options
@click.option(
    "--interval",
    type=click.FloatRange(min=0.2),
    default=2.0,
    show_default=True,
    help="Seconds between refreshes (with IDs: longest pause between polls).",
)
@click.option("--count", type=click.IntRange(min=1), help="Stop after this many refreshes.")
@click.pass_context
def watch(
    ctx: click.Context,
    job_ids: tuple[str, ...],
    states: str | None,
    user: str | None,
    partition: str | None,
    name: str | None,
    interval: float,
    count: int | None,
) -> None:
    """Refreshing view of the queue (Ctrl-C to stop). JSON/YAML: one document per refresh.

    With job IDs: one line per state change of those jobs until they have all finished
    (JSON: one object per change), from the client's shared watcher.
    """
    if job_ids:
        if states or user or partition or name or count:
            raise fail.usage("job IDs and filters (or --count) do not go together")
        watch_jobs(ctx, [check_job_id(j) for j in job_ids], interval)
        return
    check_filters(states, user, partition, name)
    settings = settings_of(ctx)
    out = sys.stdout
    clear = out.isatty() and settings.output == "table"

    async def body(session: Session) -> None:
        from s3m_grpc.waiting import Poller, WaitSettings

        shown = 0

        async def refresh(budget: float | None) -> bool:
            nonlocal shown
            reply = await listed_jobs(session, states, user, partition, name, budget)
            shown += 1
            stamp = time.strftime("%H:%M:%S")
            if settings.output == "table":
                head = f"every {interval:g}s  {session.resource}  {stamp}"
                text = f"{head}\n\n{jobs_table(reply)}"
                click.echo(("\x1b[H\x1b[2J" if clear else "") + text + ("" if clear else "\n"))
            elif settings.output == "json":
                import json

                click.echo(json.dumps(reply, separators=(",", ":"), ensure_ascii=False))
            else:
                click.echo("---\n" + render(reply, "yaml", "jobs"))
            return count is not None and shown >= count

        # The queue view refreshes at a steady pace and rides out outages like `wait` does.
        settings_ = WaitSettings(poll_interval=interval, max_interval=interval)
        poller = Poller(settings_, Progress(sys.stderr, interactive=False), steady=True)
        await poller.run(refresh)

    try:
        run(ctx, body)
    except KeyboardInterrupt:
        return


def watch_jobs(ctx: click.Context, ids: Sequence[str], interval: float) -> None:
    """`s3m watch ID...`: state changes as the client's watcher sees them."""
    from s3m_grpc.cli.waiting import FIRST_POLL

    settings = settings_of(ctx)

    async def body(session: Session) -> None:
        import json

        async for event in session.client.watch(
            ids, poll_interval=FIRST_POLL, max_interval=interval
        ):
            if settings.output == "table":
                stamp = time.strftime("%H:%M:%S")
                old = event.old.value if event.old is not None else "-"
                reason = event.info.reason
                why = f"  ({reason})" if reason and reason != "None" else ""
                click.echo(f"{stamp}  job {event.job_id}  {old} -> {event.new.value}{why}")
                continue
            change = {
                "job_id": event.job_id,
                "old": event.old.value if event.old is not None else None,
                "new": event.new.value,
                "job": event.info.to_dict(),
            }
            if settings.output == "json":
                click.echo(json.dumps(change, separators=(",", ":"), ensure_ascii=False))
            else:
                click.echo("---\n" + render(change, "yaml", "job"))

    try:
        run(ctx, body)
    except KeyboardInterrupt:
        return
