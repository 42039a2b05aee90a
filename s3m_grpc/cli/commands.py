"""Read-only commands: ping, partitions, nodes, reservations, diag, jobs, job."""

from __future__ import annotations

from typing import Any

import click

from s3m_grpc.cli import fail
from s3m_grpc.cli.runner import call_and_emit, emit, emit_raw, run
from s3m_grpc.cli.session import Session


def check_job_id(text: str) -> str:
    """The job id as the client checks it (a bad one is a usage error, exit code 2)."""
    from s3m_grpc.jobs import job_id_text

    return job_id_text(text)


@click.command()
@click.pass_context
def ping(ctx: click.Context) -> None:
    """Check the SLURM controllers answer."""
    call_and_emit(ctx, "ping", lambda c: c.ping())


@click.command()
@click.pass_context
def partitions(ctx: click.Context) -> None:
    """List partitions."""
    call_and_emit(ctx, "partitions", lambda c: c.partitions())


@click.command()
@click.pass_context
def nodes(ctx: click.Context) -> None:
    """List nodes."""
    call_and_emit(ctx, "nodes", lambda c: c.nodes())


@click.command()
@click.pass_context
def reservations(ctx: click.Context) -> None:
    """List reservations."""
    call_and_emit(ctx, "reservations", lambda c: c.reservations())


@click.command()
@click.pass_context
def diag(ctx: click.Context) -> None:
    """Show scheduler statistics (sdiag)."""
    call_and_emit(ctx, "diag", lambda c: c.diag())


def check_filters(
    states: str | None, user: str | None, partition: str | None, name: str | None
) -> None:
    """Refuse a bad --state before connecting (the client would refuse it too, later)."""
    from s3m_grpc.errors import ConfigurationError
    from s3m_grpc.jobs import JobFilter

    try:
        JobFilter.of(state=states, user=user, partition=partition, name=name)
    except ConfigurationError as exc:
        raise fail.usage(f"{exc} (in --state)") from None


def filter_options(fn: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--state",
                "-t",
                "states",
                metavar="STATE[,STATE]",
                help="e.g. PENDING,RUNNING (or PD,R).",
            ),
            click.option("--user", "-u", metavar="GLOB", help="User name (glob; comma = any of)."),
            click.option("--partition", "-p", metavar="GLOB", help="Partition (glob)."),
            click.option("--name", "-n", metavar="GLOB", help="Job name (glob)."),
        ]
    ):
        fn = option(fn)
    return fn


async def listed_jobs(
    session: Session,
    states: str | None,
    user: str | None,
    partition: str | None,
    name: str | None,
    timeout: float | None = None,  # noqa: ASYNC109
) -> dict[str, Any]:
    """The client's filtered job listing as the contract-JSON reply (`jobs` kept even when the
    filters leave none)."""
    from s3m_grpc.jsoncodec import to_dict

    listed = await session.client.list_jobs(
        state=states, user=user, partition=partition, name=name, timeout=timeout
    )
    reply = to_dict(listed.raw)
    if any((states, user, partition, name)):
        reply.setdefault("jobs", [])
    return reply


@click.command()
@filter_options
@click.pass_context
def jobs(
    ctx: click.Context,
    states: str | None,
    user: str | None,
    partition: str | None,
    name: str | None,
) -> None:
    """List jobs in the queue, optionally filtered (filters run on this side)."""
    check_filters(states, user, partition, name)

    async def body(session: Session) -> dict[str, Any]:
        return await listed_jobs(session, states, user, partition, name)

    emit(ctx, "jobs", run(ctx, body))


@click.command()
@click.argument("job_id")
@click.pass_context
def job(ctx: click.Context, job_id: str) -> None:
    """Show one job (from accounting: also after it ended)."""
    wanted = check_job_id(job_id)

    async def body(session: Session) -> Any:
        return (await session.client.job_records(wanted)).raw

    emit_raw(ctx, "job", run(ctx, body))
