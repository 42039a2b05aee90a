"""The `s3m` click group: global options, lazy commands, and the one place errors become exit codes.

Only click and the small pure modules of this package are imported at startup; each command
imports grpc, the messages and the server when it runs (`s3m --help` stays well under 0.3 s).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from s3m_grpc import __version__
from s3m_grpc.cli import exitcodes

TOKEN_ARGUMENT_WARNING = (
    "warning: a token given on the command line is kept in shell history and visible to "
    "other users in `ps`; prefer S3M_TOKEN, --token-file FILE or `--token -` (reads stdin)"
)

# name -> (module, attribute, short help): imported only when the command runs.
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "ping": ("s3m_grpc.cli.commands", "ping", "Check the SLURM controllers answer."),
    "partitions": ("s3m_grpc.cli.commands", "partitions", "List partitions."),
    "nodes": ("s3m_grpc.cli.commands", "nodes", "List nodes."),
    "reservations": ("s3m_grpc.cli.commands", "reservations", "List reservations."),
    "diag": ("s3m_grpc.cli.commands", "diag", "Show scheduler statistics (sdiag)."),
    "jobs": ("s3m_grpc.cli.commands", "jobs", "List jobs in the queue (filters client-side)."),
    "job": ("s3m_grpc.cli.commands", "job", "Show one job (from accounting)."),
    "submit": ("s3m_grpc.cli.jobcommands", "submit", "Submit a batch script (#SBATCH honoured)."),
    "cancel": ("s3m_grpc.cli.jobcommands", "cancel", "Cancel (or signal) jobs."),
    "wait": ("s3m_grpc.cli.jobcommands", "wait", "Wait for jobs to end."),
    "watch": ("s3m_grpc.cli.jobcommands", "watch", "Refreshing view of the queue."),
    "serve": ("s3m_grpc.server.cli", "serve", "Run the local S3M server (gRPC and REST)."),
    "completion": ("s3m_grpc.cli.app", "completion", "Print a shell completion script."),
}


class CliState:
    """The global options as given (resolved into `Settings` only when a command needs them).

    A plain class, not a dataclass: importing `dataclasses` would slow `s3m --help` down.
    """

    __slots__ = ("_settings", "given", "token", "verbose")

    def __init__(
        self, given: dict[str, Any], token: str | None = None, verbose: bool = False
    ) -> None:
        self.given = given
        self.token = token
        self.verbose = verbose
        self._settings: Any = None

    def __repr__(self) -> str:
        return f"CliState(given={self.given!r}, token=<{'set' if self.token else 'unset'}>)"

    def settings(self) -> Any:
        if self._settings is None:
            from s3m_grpc.cli.config import current_environment, resolve

            self._settings = resolve(
                self.given, current_environment(), profile=self.given.get("profile")
            )
        return self._settings


class S3MGroup(click.Group):
    """Loads commands on demand and turns every failure into one line and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(LAZY_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = LAZY_COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module, attr, _ = spec
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, spec[2]) for name, spec in LAZY_COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("s3m: interrupted", err=True)
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:
            # The reader went away (`s3m jobs | head`): stop quietly, as other tools do.
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise click.exceptions.Exit(141) from None
        except Exception as exc:
            state = ctx.find_object(CliState)
            verbose = bool(state and state.verbose)
            raise click.exceptions.Exit(report(exc, verbose)) from None


def report(exc: BaseException, verbose: bool) -> int:
    """Print `exc` as `s3m: error: ...` on stderr; return its exit code."""
    from s3m_grpc.errors import S3MError

    known = isinstance(exc, S3MError | exitcodes.JobEndedError)
    if known:
        text = exitcodes.describe(exc, verbose)
    else:
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        text = (
            f"internal error ({type(exc).__name__}: {first_line}); please report it with the "
            "command you ran (add -v for detail)"
        )
        if verbose:
            text = exitcodes.describe(exc, True)
    click.echo(f"s3m: error: {text}", err=True)
    return exitcodes.exit_code(exc)


@click.group(cls=S3MGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--endpoint",
    envvar="S3M_ENDPOINT",
    show_envvar=True,
    help="host:port or http(s)://host:port [default s3m.olcf.ornl.gov:443]",
)
@click.option(
    "--rest-url",
    envvar="S3M_REST_URL",
    show_envvar=True,
    help="REST base URL, when not beside the endpoint.",
)
@click.option(
    "--resource",
    envvar="S3M_RESOURCE",
    show_envvar=True,
    help="Compute resource, e.g. odo or defiant.",
)
@click.option(
    "--api-version",
    envvar="S3M_API_VERSION",
    show_envvar=True,
    help="v0.0.42, v0.0.43 or v0.0.44 [default: newest the resource serves]",
)
@click.option(
    "--transport",
    type=click.Choice(["auto", "grpc", "rest"]),
    envvar="S3M_TRANSPORT",
    show_envvar=True,
    help="grpc, rest, or auto: gRPC with REST fallback [default auto]",
)
@click.option(
    "--token-file",
    envvar="S3M_TOKEN_FILE",
    show_envvar=True,
    metavar="FILE",
    help="The token alone, or 'Authorization: TOKEN' (curl -H @file). Or set S3M_TOKEN.",
)
@click.option(
    "--token",
    "token_arg",
    metavar="TOKEN|-",
    help="The token (warns: shell history); '-' reads it from stdin.",
)
@click.option(
    "--profile",
    envvar="S3M_PROFILE",
    show_envvar=True,
    help="Profile in ~/.config/s3m/config.toml.",
)
@click.option(
    "--local",
    is_flag=True,
    default=None,
    envvar="S3M_LOCAL",
    show_envvar=True,
    help="Use an in-process local server (simulated SLURM): works offline.",
)
@click.option(
    "-o",
    "--output",
    type=click.Choice(["table", "json", "yaml"]),
    envvar="S3M_OUTPUT",
    show_envvar=True,
    help="table for people; json/yaml: the exact reply messages.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    envvar="S3M_TIMEOUT",
    show_envvar=True,
    help="Seconds allowed per call.",
)
@click.option("-v", "--verbose", is_flag=True, help="Detail on errors.")
@click.version_option(__version__, "-V", "--version", prog_name="s3m")
@click.pass_context
def cli(ctx: click.Context, /, token_arg: str | None, verbose: bool, **given: Any) -> None:
    """s3m: OLCF S3M's Compute API (SLURM over gRPC and REST) from the command line.

    \b
    Try it offline:  s3m --local submit examples/hello.sh --wait
    Exit codes: 0 ok, 1 error, 2 usage, 3 auth/permission, 4 not found,
                5 waited job ended unsuccessfully, 124 timeout.
    """
    token = None
    if token_arg == "-":
        token = sys.stdin.readline().strip()
    elif token_arg:
        click.echo(TOKEN_ARGUMENT_WARNING, err=True)
        token = token_arg
    ctx.obj = CliState(given=given, token=token, verbose=verbose)


@click.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the completion script for SHELL, e.g. `eval "$(s3m completion bash)"`."""
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None
    click.echo(cls(cli, {}, "s3m", "_S3M_COMPLETE").source())


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `s3m` console script."""
    _route_warnings()
    cli.main(args=list(argv) if argv is not None else None, prog_name="s3m")


def _route_warnings() -> None:
    """Show Python warnings (deprecated API version, readable token file) as one stderr line."""
    import warnings

    def show(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
        sys.stderr.write(f"s3m: warning: {message}\n")

    warnings.showwarning = show
