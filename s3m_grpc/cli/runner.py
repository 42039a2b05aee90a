"""Running a command body inside a `Session`, and printing its result in the chosen format."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from s3m_grpc.cli.app import CliState
from s3m_grpc.cli.config import Settings
from s3m_grpc.cli.output import render, warnings_of
from s3m_grpc.cli.session import Session

T = TypeVar("T")


def cli_state(ctx: click.Context) -> CliState:
    state = ctx.find_object(CliState)
    if state is None:  # a command invoked on its own (tests): default global options
        state = CliState(given={})
        ctx.obj = state
    return state


def settings_of(ctx: click.Context) -> Settings:
    settings: Settings = cli_state(ctx).settings()
    return settings


def run(
    ctx: click.Context, body: Callable[[Session], Awaitable[T]], *, with_storage: bool = False
) -> T:
    """Open a session for this command, run `body` in it, close everything."""
    state = cli_state(ctx)
    settings = settings_of(ctx)

    async def go() -> T:
        async with Session(settings, token=state.token, with_storage=with_storage) as session:
            return await body(session)

    import asyncio

    return asyncio.run(go())


def emit(ctx: click.Context, kind: str, data: dict[str, Any]) -> None:
    """Print a reply (contract-JSON dict); SLURM's warnings go to stderr."""
    for line in warnings_of(data):
        click.echo(line, err=True)
    click.echo(render(data, settings_of(ctx).output, kind))


def call_and_emit(ctx: click.Context, kind: str, method: str, request: str = "Empty") -> None:
    """The whole body of a read-only listing command: one call, one printed reply."""

    async def body(session: Session) -> dict[str, Any]:
        from s3m_grpc.jsoncodec import to_dict

        message = getattr(session.messages, request)()
        return to_dict(await getattr(session.stub, method)(message))

    emit(ctx, kind, run(ctx, body))
