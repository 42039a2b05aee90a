"""A real local S3M server (gRPC + REST, simulated SLURM) shared by the CLI tests of a module,
and helpers to run `s3m` against it through click's runner."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from s3m_grpc.cli.app import cli
from s3m_grpc.server import LocalServer, SandboxConfig, ServerConfig


@dataclass
class Target:
    """How to reach the test server: global options and an environment without stray S3M_*."""

    server: LocalServer
    workdir: Path
    token_file: Path
    readonly_file: Path

    def options(self, token_file: Path | None = None) -> list[str]:
        return [
            "--endpoint",
            f"http://{self.server.grpc_target}",
            "--rest-url",
            self.server.rest_url,
            "--resource",
            "odo",
            "--token-file",
            str(token_file or self.token_file),
        ]

    def invoke(
        self,
        args: Sequence[str],
        *,
        token_file: Path | None = None,
        input: str | None = None,
        env: dict[str, str] | None = None,
    ) -> Result:
        runner = CliRunner()
        return runner.invoke(
            cli,
            [*self.options(token_file), *args],
            input=input,
            env=clean_env(self.workdir, env),
            catch_exceptions=False,
        )


def clean_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str | None]:
    """No S3M_* from the developer's shell; a config home with no config file."""
    names = [
        "S3M_TOKEN",
        "S3M_TOKEN_FILE",
        "S3M_TOKEN_COMMAND",
        "S3M_ENDPOINT",
        "S3M_REST_URL",
        "S3M_RESOURCE",
        "S3M_API_VERSION",
        "S3M_TRANSPORT",
        "S3M_PROFILE",
        "S3M_OUTPUT",
        "S3M_TIMEOUT",
        "S3M_LOCAL",
        "S3M_CONFIG",
    ]
    env: dict[str, str | None] = dict.fromkeys(names)
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_STATE_HOME"] = str(home / "state")  # `s3m --local` keeps its jobs here
    env.update(extra or {})
    return env


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    workdir = tmp_path_factory.mktemp("cli")
    config = ServerConfig(sandbox=SandboxConfig(allowed_roots=(workdir,)))
    server = LocalServer(config).start_in_thread()
    token_file = workdir / "token"
    token_file.write_text(server.token + "\n")
    token_file.chmod(0o600)
    readonly_file = workdir / "readonly.env"
    readonly_file.write_text(f"Authorization: {server.readonly_token}\n")
    readonly_file.chmod(0o600)
    try:
        yield Target(server, workdir, token_file, readonly_file)
    finally:
        server.stop()
