"""One command's connection to S3M: the token, an `AsyncClient`, and `--local`'s server.

Everything heavy (grpc, betterproto2, the server) is imported here, inside the command that
needs it, so `s3m --help` stays fast. A session lives for one `asyncio.run` of one command.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any

from s3m_grpc.cli import fail
from s3m_grpc.cli.config import FROM_COMMAND_LINE, Settings, read_token_file

if TYPE_CHECKING:
    from s3m_grpc._async_client import AsyncClient
    from s3m_grpc.server import LocalServer

LOCAL_RESOURCE = "odo"


def choose_version(settings: Settings, resource: str) -> str:
    """The API version to speak (the core's choice; a bad --api-version is a usage error)."""
    from s3m_grpc._async_client import choose_version as core_choose_version
    from s3m_grpc.errors import UnsupportedVersionError

    try:
        return core_choose_version(resource, settings.api_version)
    except UnsupportedVersionError as exc:
        raise fail.usage(f"{exc} (check --api-version)") from None


def choose_resource(settings: Settings) -> str:
    if settings.resource:
        return settings.resource
    if settings.local:
        return LOCAL_RESOURCE
    from s3m_grpc.versions import DEFAULT_RESOURCES

    raise fail.usage(
        "no compute resource: pass --resource NAME or set S3M_RESOURCE "
        f"(S3M serves {', '.join(sorted(DEFAULT_RESOURCES))}), or try --local"
    )


class Session:
    """Opens what one command needs: an `AsyncClient` (and `--local`'s server) for the chosen
    resource and API version."""

    def __init__(
        self, settings: Settings, *, token: str | None = None, with_storage: bool = False
    ) -> None:
        self.settings = settings
        self._token_arg = token
        self.with_storage = with_storage
        self.resource = choose_resource(settings)
        self.version = choose_version(settings, self.resource)
        self.server: LocalServer | None = None
        self._client: AsyncClient | None = None

    @property
    def client(self) -> AsyncClient:
        """The open client (inside `async with`)."""
        if self._client is None:
            raise RuntimeError("the session is not open")
        return self._client

    @property
    def messages(self) -> ModuleType:
        """The generated module of the session's API version."""
        return self.client.messages

    @property
    def stub(self) -> Any:
        """The versioned stub, for calls the client has no method for."""
        return self.client.stub

    def _token(self) -> Any:
        from s3m_grpc.auth import Token

        if self._token_arg:
            return Token(self._token_arg, "--token")
        s = self.settings
        env_token = os.environ.get("S3M_TOKEN")
        from_profile = s.sources.get("token_file") not in (None, FROM_COMMAND_LINE)
        if s.token_file and not (env_token and from_profile):
            return Token(read_token_file(s.token_file), "--token-file")
        if env_token or s.token_command or os.environ.get("S3M_TOKEN_COMMAND"):
            return None  # the factory reads S3M_TOKEN or runs the token command
        if Path(".env").is_file():
            return None  # the factory reads a curl-style ./.env, as the S3M docs use
        from s3m_grpc.errors import AuthenticationError

        raise AuthenticationError(
            "no S3M token: set S3M_TOKEN, pass --token-file FILE, or set token_file in a "
            "profile of ~/.config/s3m/config.toml (or try --local, which needs none)"
        )

    async def __aenter__(self) -> Session:
        from s3m_grpc._async_client import AsyncClient

        s = self.settings
        from s3m_grpc.versions import DEFAULT_RESOURCES

        kwargs: dict[str, Any] = {"transport": s.transport, "with_storage": self.with_storage}
        # A resource newer than the built-in table: let the server say what it serves.
        kwargs["check_versions"] = self.resource in DEFAULT_RESOURCES
        if s.timeout is not None:
            kwargs["timeout"] = s.timeout
        if s.local:
            from s3m_grpc.server import LocalServer, SandboxConfig, ServerConfig
            from s3m_grpc.server.config import default_state_path

            # Jobs outlive the command: `s3m --local submit` then `s3m --local jobs` shows it.
            config = ServerConfig(
                sandbox=SandboxConfig(allowed_roots=(Path.cwd(),)),
                state=default_state_path("local"),
            )
            self.server = await LocalServer(config).start()
            kwargs.update(
                endpoint=self.server.grpc_target,
                rest_url=self.server.rest_url,
                plaintext=True,
                token=self.server.token,
            )
        else:
            if s.endpoint:
                kwargs["endpoint"] = s.endpoint  # any form: the client's settings parse it
            if s.rest_url:
                kwargs["rest_url"] = s.rest_url.rstrip("/")
            kwargs["token"] = self._token()
            kwargs["token_command"] = s.token_command
        from s3m_grpc.errors import UnsupportedVersionError

        try:
            self._client = AsyncClient(self.resource, version=self.version, **kwargs)
        except UnsupportedVersionError as exc:
            await self.close()
            raise fail.usage(f"{exc} (pick one with --api-version)") from None
        except BaseException:
            await self.close()
            raise
        return self

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self.server is not None:
            await self._note_unfinished_local_jobs(self.server)
            await self.server.close()
            self.server = None

    @staticmethod
    async def _note_unfinished_local_jobs(server: LocalServer) -> None:
        """--local's server lives as long as the command: say what that means for jobs that
        have not finished (they end NODE_FAIL; their records stay in the state file)."""
        from s3m_grpc.states import is_finished

        try:
            jobs = await server.backend.jobs()
        except Exception:
            return
        left = [
            str(j.get("job_id")) for j in jobs if not is_finished(tuple(j.get("job_state") or ()))
        ]
        if left:
            import click

            click.echo(
                f"s3m: note: --local runs jobs only while a command runs: job(s) "
                f"{', '.join(left[:10])}{' ...' if len(left) > 10 else ''} stop now and end "
                "NODE_FAIL (their records stay). Use --wait, or `s3m serve` and --endpoint, "
                "to let jobs run on",
                err=True,
            )

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def local_path(self, job_path: str, not_before: float = 0.0) -> Path | None:
        """Where a job's file is on this machine, if it is here.

        With --local the server says where; otherwise an absolute path that exists here and was
        written since the job started counts (a login node sharing the cluster's file systems).
        """
        if not job_path:
            return None
        if self.server is not None:
            try:
                return self.server.host_path(job_path)
            except Exception:
                return None
        path = Path(job_path)
        try:
            fresh = path.is_absolute() and path.is_file() and path.stat().st_mtime >= not_before
        except OSError:
            return None
        return path if fresh else None
