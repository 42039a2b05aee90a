"""One command's connection to S3M: the token, the versioned stub, and `--local`'s server.

Everything heavy (grpc, betterproto2, the server) is imported here, inside the command that
needs it, so `s3m --help` stays fast. A session lives for one `asyncio.run` of one command.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any

from s3m_grpc.cli import fail
from s3m_grpc.cli.config import FROM_COMMAND_LINE, Settings, read_token_file

if TYPE_CHECKING:
    from s3m_grpc.factory import S3MClientFactory
    from s3m_grpc.server import LocalServer

LOCAL_RESOURCE = "odo"


def stub_module(version: str) -> ModuleType:
    """`s3m_grpc.slurm.v00NN` for a normalized version `v0.0.NN`."""
    return importlib.import_module(f"s3m_grpc.slurm.v00{version.rsplit('.', 1)[-1]}")


def choose_version(settings: Settings, resource: str) -> str:
    """The API version to speak: the one asked for, else the newest the resource serves."""
    from s3m_grpc import versions

    if settings.api_version:
        try:
            return versions.normalize(settings.api_version)
        except Exception as exc:
            raise fail.usage(f"{exc} (check --api-version)") from None
    if resource in versions.DEFAULT_RESOURCES:
        return versions.latest(resource)
    raise fail.usage(
        f"resource {resource!r} is not in the built-in table, so its API version is unknown: "
        "pass --api-version (e.g. v0.0.44)"
    )


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


def split_endpoint(endpoint: str) -> tuple[str, bool]:
    """`http://host:port` → (`host:port`, plaintext); `https://host` → (`host:443`, TLS)."""
    text = endpoint.strip().rstrip("/")
    if text.startswith("http://"):
        host = text.removeprefix("http://")
        return (host if ":" in host else f"{host}:80"), True
    if text.startswith("https://"):
        host = text.removeprefix("https://")
        return (host if ":" in host else f"{host}:443"), False
    if not text or "/" in text:
        raise fail.usage(f"invalid --endpoint {endpoint!r}; use host:port or http(s)://host:port")
    return text, False


class Session:
    """Opens what one command needs; `stub` and `messages` are for the chosen API version."""

    def __init__(
        self, settings: Settings, *, token: str | None = None, with_storage: bool = False
    ) -> None:
        self.settings = settings
        self._token_arg = token
        self.with_storage = with_storage
        self.resource = choose_resource(settings)
        self.version = choose_version(settings, self.resource)
        self.messages: ModuleType = stub_module(self.version)
        self.server: LocalServer | None = None
        self.factory: S3MClientFactory | None = None
        self.stub: Any = None

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
        from s3m_grpc.factory import S3MClientFactory

        s = self.settings
        from s3m_grpc.versions import DEFAULT_RESOURCES

        kwargs: dict[str, Any] = {"transport": s.transport, "with_storage": self.with_storage}
        # A resource newer than the built-in table: let the server say what it serves.
        kwargs["check_versions"] = self.resource in DEFAULT_RESOURCES
        if s.timeout is not None:
            kwargs["timeout"] = s.timeout
        if s.local:
            from s3m_grpc.server import LocalServer, SandboxConfig, ServerConfig

            config = ServerConfig(sandbox=SandboxConfig(allowed_roots=(Path.cwd(),)))
            self.server = await LocalServer(config).start()
            kwargs.update(
                endpoint=self.server.grpc_target,
                rest_url=self.server.rest_url,
                plaintext=True,
                token=self.server.token,
            )
        else:
            if s.endpoint:
                kwargs["endpoint"], kwargs["plaintext"] = split_endpoint(s.endpoint)
            if s.rest_url:
                kwargs["rest_url"] = s.rest_url.rstrip("/")
            kwargs["token"] = self._token()
            kwargs["token_command"] = s.token_command
        from s3m_grpc.errors import UnsupportedVersionError

        try:
            self.factory = S3MClientFactory(resource=self.resource, **kwargs)
            self.stub = self.factory.create_client(self.messages.SlurmIndirectStub)
        except UnsupportedVersionError as exc:
            await self.close()
            raise fail.usage(f"{exc} (pick one with --api-version)") from None
        except BaseException:
            await self.close()
            raise
        return self

    async def close(self) -> None:
        if self.factory is not None:
            await self.factory.close()
            self.factory = None
        if self.server is not None:
            await self.server.close()
            self.server = None

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
