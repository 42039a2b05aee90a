"""`S3MClientFactory`: the channel factory the S3M docs use, over gRPC, REST or both.

    factory = S3MClientFactory(token=..., resource="defiant")
    client = factory.create_client(SlurmIndirectStub)   # any version's generated stub
    pong = await client.ping(Empty())

Thin on purpose: its keywords become a checked `ClientSettings` (environment variables read
there), the token a `TokenProvider`, and `s3m_grpc.transports.chain.build_transport` makes the
transport every stub it creates sends through. It checks that the resource serves a stub's API
version, and owns the connections (`close()`, or `async with`).
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import warnings
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from s3m_grpc import versions
from s3m_grpc.auth import Token, TokenProvider
from s3m_grpc.errors import ConfigurationError
from s3m_grpc.observe import EventHook
from s3m_grpc.retry import RetryPolicy
from s3m_grpc.rpc import StubBase
from s3m_grpc.settings import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_COOLDOWN,
    DEFAULT_PATH_TEMPLATE,
    ClientSettings,
    TransportKind,
)
from s3m_grpc.transports.base import DEFAULT_TIMEOUT, Transport
from s3m_grpc.transports.chain import LoopBoundTransport, build_transport, open_connections

S = TypeVar("S", bound=StubBase)
log = logging.getLogger(__name__)

_warned_deprecated: set[tuple[str, str]] = set()
_warned_unknown: set[str] = set()


class DeprecatedVersionWarning(FutureWarning):
    """The API version still works but is deprecated by S3M (v0.0.42)."""


class UnknownResourceWarning(UserWarning):
    """The resource is not in the built-in table; the server decides what it serves."""


class S3MClientFactory:
    """Creates stubs of any API version bound to one S3M endpoint, token and resource."""

    def __init__(
        self,
        endpoint: str | None = None,
        token: str | Token | None = None,
        resource: str | None = None,
        *,
        transport: TransportKind = "auto",
        rest_url: str | None = None,
        rest_path_template: str = DEFAULT_PATH_TEMPLATE,
        plaintext: bool = False,
        ca_bundle: str | Path | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        header_file: str | Path | None = None,
        token_command: str | None = None,
        resources: Mapping[str, tuple[str, ...]] | None = None,
        check_versions: bool = True,
        grpc_cooldown: float = DEFAULT_COOLDOWN,
        with_storage: bool = False,
        user_agent: str | None = None,
        retry: RetryPolicy | bool = True,
        on_event: EventHook | None = None,
    ) -> None:
        """`on_event` is called with a `CallEvent` as each call starts, at each attempt, retry
        and fallback, and when it ends (see `s3m_grpc.observe`)."""
        self.settings = ClientSettings.resolve(
            resource=resource,
            endpoint=endpoint,
            transport=transport,
            rest_url=rest_url,
            rest_path_template=rest_path_template,
            plaintext=plaintext,
            ca_bundle=ca_bundle,
            timeout=timeout,
            connect_timeout=connect_timeout,
            grpc_cooldown=grpc_cooldown,
            with_storage=with_storage,
            user_agent=user_agent,
            retry=retry,
            resources=resources,
            check_versions=check_versions,
        )
        self.tokens = TokenProvider(token, header_file=header_file, token_command=token_command)
        self._hooks: tuple[EventHook, ...] = (on_event,) if on_event is not None else ()
        settings = self.settings
        self._connections = LoopBoundTransport(lambda: open_connections(settings))
        self.transport: Transport = build_transport(
            self.settings, self.tokens, self._hooks, self._connections
        )
        """What every stub created here sends through (retries, S3M headers, connections)."""

    @property
    def resource(self) -> str:
        return self.settings.resource

    @property
    def endpoint(self) -> str:
        return self.settings.endpoint.target

    @property
    def resources(self) -> Mapping[str, tuple[str, ...]] | None:
        """The resource/version table given (None: the built-in one)."""
        return self.settings.resources

    @property
    def retry(self) -> RetryPolicy:
        return self.settings.retry

    def __repr__(self) -> str:
        return (
            f"S3MClientFactory(endpoint={self.endpoint!r}, resource={self.resource!r}, "
            f"transport={self.settings.transport!r}, token=<redacted>)"
        )

    # -- stubs ---------------------------------------------------------------------------

    def check_version(self, version: str | versions.ApiVersion) -> str:
        """Refuse a version the resource does not serve; warn once on a deprecated one; return
        its normalized name.

        A resource missing from the table is a warning: the server decides what it serves.
        """
        api = versions.get(version)
        s = self.settings
        table = s.resources if s.resources is not None else versions.DEFAULT_RESOURCES
        if s.check_versions:
            if s.resource in table:
                versions.check(s.resource, api.name, table)
            elif s.resource not in _warned_unknown:
                _warned_unknown.add(s.resource)
                warnings.warn(
                    f"resource {s.resource!r} is not in the built-in table "
                    f"({', '.join(sorted(table))}); the server decides whether it serves "
                    f"{api.name}",
                    UnknownResourceWarning,
                    stacklevel=3,
                )
        if api.deprecated and (s.resource, api.name) not in _warned_deprecated:
            _warned_deprecated.add((s.resource, api.name))
            warnings.warn(
                f"S3M API {api.name} is deprecated; move to a newer version "
                f"(see s3m_grpc.versions.DEFAULT_RESOURCES for what {s.resource} serves)",
                DeprecatedVersionWarning,
                stacklevel=3,
            )
        return api.name

    def create_client(self, stub_class: type[S]) -> S:
        """A generated `SlurmIndirectStub` (any version) bound to this factory's transport."""
        service = getattr(stub_class, "SERVICE", None)
        if service is None:
            raise ConfigurationError(f"{stub_class!r} is not a generated SlurmIndirect stub")
        self.check_version(service.api_version)
        return stub_class(self.transport)

    def with_resource(self, resource: str) -> S3MClientFactory:
        """A factory for another resource of the same endpoint: same settings, token and
        hooks, and the same connections (one gRPC channel, one HTTP session for all)."""
        other = copy.copy(self)
        other.settings = dataclasses.replace(self.settings, resource=resource)
        other.transport = build_transport(
            other.settings, self.tokens, self._hooks, self._connections
        )
        return other

    def refresh_token(self) -> bool:
        """Look the token up again now; True if it changed (later calls use the new one)."""
        return self.tokens.refresh()

    async def close(self) -> None:
        await self.transport.close()

    async def __aenter__(self) -> S3MClientFactory:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
