"""Read-only commands: ping, partitions, nodes, reservations, diag, jobs, job."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from typing import Any

import click

from s3m_grpc.cli import fail
from s3m_grpc.cli.output import job_state
from s3m_grpc.cli.runner import call_and_emit, emit, run
from s3m_grpc.cli.session import Session

JOB_ID = re.compile(r"[0-9]{1,10}([_+][0-9]{1,10})?")


def check_job_id(text: str) -> str:
    if not JOB_ID.fullmatch(text.strip()):
        raise fail.usage(f"invalid job id {text!r}; use a number like 12345 (or 12345_7)")
    return text.strip()


@click.command()
@click.pass_context
def ping(ctx: click.Context) -> None:
    """Check the SLURM controllers answer."""
    call_and_emit(ctx, "ping", "ping")


@click.command()
@click.pass_context
def partitions(ctx: click.Context) -> None:
    """List partitions."""
    call_and_emit(ctx, "partitions", "get_partitions")


@click.command()
@click.pass_context
def nodes(ctx: click.Context) -> None:
    """List nodes."""
    call_and_emit(ctx, "nodes", "get_nodes")


@click.command()
@click.pass_context
def reservations(ctx: click.Context) -> None:
    """List reservations."""
    call_and_emit(ctx, "reservations", "get_reservations")


@click.command()
@click.pass_context
def diag(ctx: click.Context) -> None:
    """Show scheduler statistics (sdiag)."""
    call_and_emit(ctx, "diag", "get_diag")


def job_filters(
    states: str | None, user: str | None, partition: str | None, name: str | None
) -> list[tuple[str, set[str] | str]]:
    """Normalized filters: states as base-state names, the rest as glob patterns."""
    out: list[tuple[str, set[str] | str]] = []
    if states:
        from s3m_grpc.states import JobState, base_state

        wanted = set()
        for word in states.split(","):
            state = base_state(word)
            if state is JobState.UNKNOWN and word.strip().upper() != "UNKNOWN":
                known = ", ".join(s.value for s in JobState)
                raise fail.usage(f"unknown job state {word!r} in --state; use {known}")
            wanted.add(state.value)
        out.append(("state", wanted))
    for key, value in (("user", user), ("partition", partition), ("name", name)):
        if value:
            out.append((key, value))
    return out


def keep_job(job: Mapping[str, Any], filters: Iterable[tuple[str, set[str] | str]]) -> bool:
    from s3m_grpc.states import base_state

    for key, wanted in filters:
        if key == "state":
            if base_state(job_state(job).split(",")).value not in wanted:
                return False
            continue
        field = {"user": "user_name", "partition": "partition", "name": "name"}[key]
        value = str(job.get(field) or job.get("user" if key == "user" else field) or "")
        assert isinstance(wanted, str)
        if not any(fnmatch.fnmatchcase(value, pattern) for pattern in wanted.split(",")):
            return False
    return True


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


async def fetch_jobs(session: Session, filters: list[tuple[str, set[str] | str]]) -> dict[str, Any]:
    """GetJobs as a contract-JSON dict with only the jobs the filters keep."""
    from s3m_grpc.jsoncodec import to_dict

    reply = to_dict(await session.stub.get_jobs(session.messages.Empty()))
    if filters:
        reply["jobs"] = [j for j in reply.get("jobs") or [] if keep_job(j, filters)]
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
    filters = job_filters(states, user, partition, name)

    async def body(session: Session) -> dict[str, Any]:
        return await fetch_jobs(session, filters)

    emit(ctx, "jobs", run(ctx, body))


@click.command()
@click.argument("job_id")
@click.pass_context
def job(ctx: click.Context, job_id: str) -> None:
    """Show one job (from accounting: also after it ended)."""
    wanted = check_job_id(job_id)

    async def body(session: Session) -> dict[str, Any]:
        from s3m_grpc.jsoncodec import to_dict

        return to_dict(await session.stub.get_job(session.messages.JobIdReq(job_id=wanted)))

    emit(ctx, "job", run(ctx, body))
