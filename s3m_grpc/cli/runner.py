"""Running a command body inside a `Session`, and printing its result in the chosen format."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import click

from s3m_grpc.cli.app import CliState
from s3m_grpc.cli.config import Settings
from s3m_grpc.cli.output import render, warnings_of
from s3m_grpc.cli.session import Session

if TYPE_CHECKING:
    from s3m_grpc._async_client import AsyncClient

T = TypeVar("T")


class HasRaw(Protocol):
    """A client result: its reply message is at `.raw`."""

    @property
    def raw(self) -> Any: ...


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


def emit_raw(ctx: click.Context, kind: str, message: Any) -> None:
    """Print a reply message (`.raw` of a client result) in the chosen format."""
    from s3m_grpc.jsoncodec import to_dict

    emit(ctx, kind, to_dict(message))


def call_and_emit(
    ctx: click.Context, kind: str, call: Callable[[AsyncClient], Awaitable[HasRaw]]
) -> None:
    """The whole body of a read-only listing command: one client call, its reply printed."""

    async def body(session: Session) -> Any:
        return (await call(session.client)).raw

    emit_raw(ctx, kind, run(ctx, body))
