"""`s3m serve` (and `python -m s3m_grpc.server`): run the local S3M server in the foreground.

The generated tokens are written to a file readable only by you (never to the log or the
terminal): pass `--token-file PATH` to choose where; `--print-token` shows them on stdout for
throwaway use. The simulated jobs and job ids are kept in a SQLite state file
(`--state PATH`, default `$XDG_STATE_HOME/s3m/server.sqlite`), so a restart, even after
`kill -9`, loses no job and reuses no id; `--ephemeral` keeps them in memory only.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import sys
from pathlib import Path

import click

from s3m_grpc.errors import S3MError
from s3m_grpc.server.config import ServerConfig, default_state_path, load_tokens
from s3m_grpc.server.local import LocalServer


@click.command("serve")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML server config (resources, backend, sandbox, limits, tokens_file).",
)
@click.option(
    "--grpc-port", type=int, default=None, help="gRPC port (default: config or 0 = free)."
)
@click.option(
    "--http-port", type=int, default=None, help="REST port (default: config or 0 = free)."
)
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option(
    "--backend",
    type=click.Choice(["sim", "slurm"]),
    default=None,
    help="SLURM backend (default: config or sim).",
)
@click.option(
    "--tokens",
    "tokens_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tokens file (TOML or JSON): token -> project, user, permissions, expires_at.",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the generated tokens (mode 0600) when no tokens file is given.",
)
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite file keeping the simulated jobs and job ids across restarts (default: the "
    "config's `state`, else $XDG_STATE_HOME/s3m/server.sqlite).",
)
@click.option(
    "--ephemeral",
    is_flag=True,
    help="Keep jobs in memory only: a restart starts with no jobs and reuses job ids.",
)
@click.option(
    "--rest-dialect",
    type=click.Choice(["s3m", "gateway"]),
    default=None,
    help="REST replies as this server writes them (s3m, default) or as a grpc-gateway in "
    "front of S3M's gRPC service does (every field, 64-bit integers as strings, "
    "google.rpc.Status errors).",
)
@click.option("--print-token", is_flag=True, help="Also print the generated tokens on stdout.")
def serve(
    config_path: Path | None,
    grpc_port: int | None,
    http_port: int | None,
    host: str | None,
    backend: str | None,
    tokens_path: Path | None,
    token_file: Path | None,
    state_path: Path | None,
    ephemeral: bool,
    rest_dialect: str | None,
    print_token: bool,
) -> None:
    """Run a local S3M Compute server (gRPC + REST) until interrupted."""
    if ephemeral and state_path is not None:
        raise click.UsageError("--state and --ephemeral exclude each other")
    try:
        cfg = ServerConfig.from_toml(config_path) if config_path else ServerConfig()
        if grpc_port is not None:
            cfg.grpc_port = grpc_port
        if http_port is not None:
            cfg.http_port = http_port
        if host is not None:
            cfg.host = host
        if backend is not None and backend != cfg.backend:
            cfg.backend, cfg.backend_options = backend, {}
        if tokens_path is not None:
            cfg.tokens = load_tokens(tokens_path)
        if rest_dialect is not None:
            cfg.rest_dialect = "gateway" if rest_dialect == "gateway" else "s3m"
        if ephemeral:
            cfg.state = None
        elif state_path is not None:
            cfg.state = state_path
        elif cfg.state is None and cfg.backend == "sim":  # a real SLURM keeps its own
            cfg.state = default_state_path("server")
        asyncio.run(_run(cfg, token_file, print_token))
    except S3MError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot start the server: {exc}") from None


async def _run(cfg: ServerConfig, token_file: Path | None, print_token: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with LocalServer(cfg) as srv:
        click.echo(f"s3m local server ({cfg.backend} backend)")
        click.echo(f"  gRPC: {srv.grpc_target}")
        click.echo(f"  REST: {srv.rest_url}/slurm/open/{{version}}/{{resource}}/ping")
        if cfg.backend == "sim":
            click.echo(f"  state: {cfg.state or 'in memory (--ephemeral): lost when stopped'}")
        click.echo(
            "  resources: "
            + ", ".join(f"{name} ({', '.join(v)})" for name, v in sorted(cfg.resources.items()))
        )
        if srv.token:
            path = token_file or Path(os.environ.get("XDG_RUNTIME_DIR") or Path.home()) / (
                ".s3m-local-token"
            )
            write_tokens(path, srv.token, srv.readonly_token)
            click.echo(
                f"  token (compute-ace) in {path}; read it with: export S3M_TOKEN=$(head -1 {path})"
            )
            if print_token:
                click.echo(f"  token: {srv.token}")
                click.echo(f"  read-only token: {srv.readonly_token}")
        else:
            click.echo("  tokens: from the tokens file")
        sys.stdout.flush()
        await stop.wait()
    click.echo("stopped")


def write_tokens(path: Path, token: str, readonly: str) -> None:
    """Line 1: the compute-ace token; line 2: the read-only one. Mode 0600.

    Written to a new file beside `path` and renamed over it: an existing file is never
    rewritten in place (another hard link to it, or a reader holding it open, never sees the
    new tokens), and a symlink at `path` is refused rather than followed.
    """
    if path.is_symlink():
        raise click.ClickException(
            f"token file {path} is a symbolic link; refusing to write tokens through it "
            "(pass --token-file with a plain path)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"{token}\n{readonly}\n")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def main() -> None:
    serve()
