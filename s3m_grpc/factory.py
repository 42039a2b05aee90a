"""`S3MClientFactory`: the channel factory the S3M docs use, over gRPC, REST or both.

    factory = S3MClientFactory(token=..., resource="defiant")
    client = factory.create_client(SlurmIndirectStub)   # any version's generated stub
    pong = await client.ping(Empty())

The factory owns the connection (a `grpc.aio` channel and/or a pooled HTTP client), adds
`authorization` and `olcf-resource` to every call, checks the resource serves the stub's API
version, and opens its transport lazily inside the running event loop (again if the loop
changes, so a factory survives repeated `asyncio.run()`).
"""

from __future__ import annotations

import asyncio
import os
import ssl
import warnings
from collections.abc import Coroutine, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TypeVar

import betterproto2

from s3m_grpc import versions
from s3m_grpc.auth import Token, resolve_token
from s3m_grpc.errors import AuthenticationError, InvalidRequestError
from s3m_grpc.rpc import CallOptions, MethodInfo, StubBase, Transport
from s3m_grpc.transports.base import DEFAULT_TIMEOUT, USER_AGENT
from s3m_grpc.transports.fallback import DEFAULT_COOLDOWN, FallbackTransport
from s3m_grpc.transports.grpc import CONNECT_TIMEOUT, GrpcTransport, create_channel
from s3m_grpc.transports.rest import DEFAULT_PATH_TEMPLATE, RestTransport, ssl_context
from s3m_grpc.transports.retrying import DEFAULT_POLICY, RetryingTransport, RetryPolicy

S = TypeVar("S", bound=StubBase)
TransportKind = Literal["auto", "grpc", "rest"]

DEFAULT_ENDPOINT = "s3m.olcf.ornl.gov:443"
DEFAULT_REST_URL = "https://s3m.olcf.ornl.gov"
ENDPOINT_ENV = "S3M_ENDPOINT"
REST_URL_ENV = "S3M_REST_URL"
RESOURCE_ENV = "S3M_RESOURCE"
WITH_STORAGE_HEADER = "x-s3m-withstorage"

_warned_deprecated: set[tuple[str, str]] = set()


class DeprecatedVersionWarning(FutureWarning):
    """The API version still works but is deprecated by S3M (v0.0.42)."""


def rest_url_for(endpoint: str, plaintext: bool) -> str:
    """The REST base URL served beside a gRPC endpoint (same host and port)."""
    if endpoint == DEFAULT_ENDPOINT:
        return DEFAULT_REST_URL
    host, _, port = endpoint.rpartition(":")
    if plaintext:
        return f"http://{endpoint}"
    return f"https://{host}" if port == "443" else f"https://{endpoint}"


def _validate(f: S3MClientFactory) -> None:
    """Refuse bad settings now, with a clear error, rather than at the first call."""
    if not f.rest_url.startswith(("http://", "https://")):
        raise InvalidRequestError(f"rest_url must start with http:// or https://: {f.rest_url!r}")
    try:
        f.rest_path_template.format(version="v", resource="r", path="p")
    except (KeyError, IndexError, ValueError):
        raise InvalidRequestError(
            "rest_path_template may use only {version}, {resource} and {path}: "
            f"{f.rest_path_template!r}"
        ) from None
    if "{path}" not in f.rest_path_template:
        raise InvalidRequestError("rest_path_template must contain {path}")
    for name in ("timeout", "connect_timeout"):
        value = getattr(f, name)
        if value is not None and not (isinstance(value, int | float) and value > 0):
            raise InvalidRequestError(f"{name} must be a positive number of seconds: {value!r}")
    if f.ca_bundle is not None:
        try:
            ssl_context(f.ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise InvalidRequestError(
                f"cannot use the CA bundle {f.ca_bundle}: {exc.strerror or exc}"
            ) from None


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
        connect_timeout: float = CONNECT_TIMEOUT,
        header_file: str | Path | None = None,
        token_command: str | None = None,
        resources: Mapping[str, tuple[str, ...]] | None = None,
        check_versions: bool = True,
        grpc_cooldown: float = DEFAULT_COOLDOWN,
        with_storage: bool = False,
        user_agent: str | None = None,
        retry: RetryPolicy | bool = True,
    ) -> None:
        if transport not in ("auto", "grpc", "rest"):
            raise InvalidRequestError(
                f"unknown transport {transport!r}; use 'auto', 'grpc' or 'rest'"
            )
        resource = resource or os.environ.get(RESOURCE_ENV)
        if not resource:
            raise InvalidRequestError(
                "no compute resource: pass resource=... (e.g. 'defiant') or set S3M_RESOURCE"
            )
        self.endpoint = endpoint or os.environ.get(ENDPOINT_ENV) or DEFAULT_ENDPOINT
        self.resource = resource
        self.transport_kind: TransportKind = transport
        self.plaintext = plaintext
        self.rest_url = (
            rest_url or os.environ.get(REST_URL_ENV) or rest_url_for(self.endpoint, plaintext)
        )
        self.rest_path_template = rest_path_template
        self.ca_bundle = ca_bundle
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        _validate(self)
        self.resources = dict(resources) if resources is not None else None
        self.check_versions = check_versions
        self.grpc_cooldown = grpc_cooldown
        self.with_storage = with_storage
        self.user_agent = f"{user_agent} {USER_AGENT}" if user_agent else USER_AGENT
        self._token = resolve_token(token, header_file=header_file, token_command=token_command)
        # A token found in the environment, a header file or by a command may be renewed there
        # while we run: on an authentication error it is looked up again (see `_refreshing`).
        self._token_lookup = None if token else (header_file, token_command)
        self._transport: GrpcTransport | RestTransport | FallbackTransport | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closing: set[asyncio.Task[None]] = set()
        # Retries of calls that are safe to repeat (see s3m_grpc.transports.retrying).
        self.retry = retry_policy(retry)
        self._retrying = (
            RetryingTransport(_SingleAttempt(self), self.retry)
            if self.retry.max_attempts > 1
            else None
        )

    def __repr__(self) -> str:
        return (
            f"S3MClientFactory(endpoint={self.endpoint!r}, resource={self.resource!r}, "
            f"transport={self.transport_kind!r}, token=<redacted>)"
        )

    # -- stubs ---------------------------------------------------------------------------

    def check_version(self, version: str) -> str:
        """Refuse a version the resource does not serve; warn once on a deprecated one."""
        v = versions.normalize(version)
        if self.check_versions:
            table = self.resources if self.resources is not None else versions.DEFAULT_RESOURCES
            v = versions.check(self.resource, v, table)
        if v in versions.DEPRECATED and (self.resource, v) not in _warned_deprecated:
            _warned_deprecated.add((self.resource, v))
            warnings.warn(
                f"S3M API {v} is deprecated; move to a newer version "
                f"(see s3m_grpc.versions.DEFAULT_RESOURCES for what {self.resource} serves)",
                DeprecatedVersionWarning,
                stacklevel=3,
            )
        return v

    def create_client(self, stub_class: type[S]) -> S:
        """A generated `SlurmIndirectStub` (any version) bound to this factory's transport."""
        service = getattr(stub_class, "SERVICE", None)
        if service is None:
            raise InvalidRequestError(f"{stub_class!r} is not a generated SlurmIndirect stub")
        self.check_version(service.api_version)
        return stub_class(self)

    # -- transport -----------------------------------------------------------------------

    def _metadata(self) -> tuple[tuple[str, str], ...]:
        return (("authorization", self._token.reveal()), ("olcf-resource", self.resource))

    def _open(self) -> GrpcTransport | RestTransport | FallbackTransport:
        grpc_t: GrpcTransport | None = None
        rest_t: RestTransport | None = None
        if self.transport_kind in ("grpc", "auto"):
            channel = create_channel(
                self.endpoint,
                plaintext=self.plaintext,
                ca_bundle=self.ca_bundle,
                user_agent=self.user_agent,
            )
            grpc_t = GrpcTransport(
                channel,
                self._metadata(),
                self.timeout,
                target=self.endpoint,
                connect_timeout=self.connect_timeout,
            )
        if self.transport_kind in ("rest", "auto"):
            verify = True if self.rest_url.startswith("http://") else ssl_context(self.ca_bundle)
            rest_t = RestTransport(
                self.rest_url,
                resource=self.resource,
                headers={"authorization": self._token.reveal()},
                timeout=self.timeout,
                path_template=self.rest_path_template,
                verify=verify,
                user_agent=self.user_agent,
            )
        if grpc_t is not None and rest_t is not None:
            return FallbackTransport(grpc_t, rest_t, cooldown=self.grpc_cooldown)
        transport = grpc_t or rest_t
        assert transport is not None
        return transport

    @property
    def transport(self) -> Transport:
        """The open transport (opened in the running loop if needed)."""
        return self._current()

    def _current(self) -> GrpcTransport | RestTransport | FallbackTransport:
        loop = asyncio.get_running_loop()
        t = self._transport
        if t is None or self._loop is not loop:
            t = self._transport = self._open()
            self._loop = loop
        return t

    def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> Coroutine[Any, Any, betterproto2.Message]:
        """Transport protocol: every stub created here calls through this.

        With retries on, the call's timeout (or the factory's) bounds all attempts together.
        """
        if self._retrying is None:
            return self.unary_once(method, message, options)
        if self.timeout is not None and "timeout" not in options:
            options = {**options, "timeout": self.timeout}
        return self._retrying.unary(method, message, options)

    def unary_once(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> Coroutine[Any, Any, betterproto2.Message]:
        """One attempt of a call (no retries), on the open transport."""
        t = self._transport
        if t is None or self._loop is not asyncio.get_running_loop():
            t = self._current()
        if self.with_storage and any(h.header == WITH_STORAGE_HEADER for h in method.header_params):
            extra = (*options.get("metadata", ()), (WITH_STORAGE_HEADER, "true"))
            options = {**options, "metadata": extra}
        if self._token_lookup is not None:
            return self._refreshing(t, method, message, options)
        return t.unary(method, message, options)

    async def _refreshing(
        self,
        t: GrpcTransport | RestTransport | FallbackTransport,
        method: MethodInfo,
        message: betterproto2.Message,
        options: CallOptions,
    ) -> betterproto2.Message:
        """One call; on an authentication error, once more if the token source has a new one.

        Safe for submits too: a call refused as unauthenticated was not carried out.
        """
        try:
            return await t.unary(method, message, options)
        except AuthenticationError:
            if not self.refresh_token():
                raise
            return await self._current().unary(method, message, options)

    def refresh_token(self) -> bool:
        """Look the token up again; True (and reconnect on next call) if it changed."""
        if self._token_lookup is None:
            return False
        try:
            header_file, token_command = self._token_lookup
            token = resolve_token(None, header_file=header_file, token_command=token_command)
        except AuthenticationError:
            return False
        if token == self._token:
            return False
        self._token = token
        old, self._transport = self._transport, None
        if old is not None and self._loop is not None and not self._loop.is_closed():
            task = self._loop.create_task(old.close())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)
        return True

    async def close(self) -> None:
        t, self._transport = self._transport, None
        if t is not None and self._loop is asyncio.get_running_loop():
            await t.close()
        self._loop = None

    async def __aenter__(self) -> S3MClientFactory:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


def retry_policy(retry: RetryPolicy | bool | None) -> RetryPolicy:
    """`retry=` of the factory: True (default policy), False/None (no retries) or a policy."""
    if isinstance(retry, RetryPolicy):
        return retry
    if retry is True:
        return DEFAULT_POLICY
    if retry is False or retry is None:
        return RetryPolicy(max_attempts=1)
    raise InvalidRequestError(f"retry must be True, False or a RetryPolicy, not {retry!r}")


class _SingleAttempt:
    """The factory's single-attempt call as a Transport, for `RetryingTransport` to wrap."""

    def __init__(self, factory: S3MClientFactory) -> None:
        self._factory = factory

    def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> Coroutine[Any, Any, betterproto2.Message]:
        return self._factory.unary_once(method, message, options)
