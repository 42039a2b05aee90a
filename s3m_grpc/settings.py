"""Where a client connects and how: one settings object, environment variables read in one place.

`ClientSettings.resolve(...)` takes the keywords of `S3MClientFactory` (and the clients), fills
what is missing from `S3M_ENDPOINT`, `S3M_REST_URL` and `S3M_RESOURCE`, and checks everything
before anything connects, raising `ConfigurationError` for a bad value. Endpoints mean the same
everywhere (library, CLI, environment):

- `host:port` — TLS gRPC on that port;
- `https://host[:port]` — TLS, port 443 unless given;
- `http://host:port` — plaintext (a local server).
"""

from __future__ import annotations

import ipaddress
import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from s3m_grpc.errors import ConfigurationError
from s3m_grpc.retry import RetryPolicy, retry_policy
from s3m_grpc.transports.base import DEFAULT_TIMEOUT, USER_AGENT

TransportKind = Literal["auto", "grpc", "rest"]

DEFAULT_ENDPOINT = "s3m.olcf.ornl.gov:443"
DEFAULT_REST_URL = "https://s3m.olcf.ornl.gov"
DEFAULT_PATH_TEMPLATE = "/slurm/open/{version}/{resource}/{path}"
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_COOLDOWN = 30.0
ENDPOINT_ENV = "S3M_ENDPOINT"
REST_URL_ENV = "S3M_REST_URL"
RESOURCE_ENV = "S3M_RESOURCE"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A gRPC target and whether it is plaintext, parsed from any accepted form."""

    target: str
    plaintext: bool

    @classmethod
    def parse(cls, text: str, *, plaintext: bool = False) -> Endpoint:
        """`host:port`, `https://host[:port]` or `http://host:port` (see module docstring).

        `plaintext=True` makes a bare `host:port` plaintext; a URL's scheme always decides.
        """
        raw = text.strip().rstrip("/")
        scheme, sep, rest = raw.partition("://")
        if sep:
            if scheme not in ("http", "https"):
                raise ConfigurationError(
                    f"invalid endpoint {text!r}: use host:port, https://host[:port] or "
                    "http://host:port"
                )
            plaintext = scheme == "http"
            raw = rest if ":" in rest.rpartition("]")[2] else f"{rest}:{80 if plaintext else 443}"
        host, colon, port = raw.rpartition(":")
        if not colon or not host or not port.isdigit() or "/" in raw or not 0 < int(port) < 65536:
            raise ConfigurationError(
                f"invalid endpoint {text!r}: use host:port, https://host[:port] or http://host:port"
            )
        return cls(raw, plaintext)

    @property
    def rest_url(self) -> str:
        """The web origin of the same host and port (for servers that serve both there)."""
        host, _, port = self.target.rpartition(":")
        if self.plaintext:
            return f"http://{self.target}"
        return f"https://{host}" if port == "443" else f"https://{self.target}"


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """Everything a client's transports need to know, checked (see `resolve`)."""

    resource: str
    endpoint: Endpoint
    rest_url: str | None
    """The REST base URL; None when none is known (then `auto` means gRPC alone)."""
    transport: TransportKind = "auto"
    rest_path_template: str = DEFAULT_PATH_TEMPLATE
    ca_bundle: Path | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    grpc_cooldown: float = DEFAULT_COOLDOWN
    with_storage: bool = False
    user_agent: str = USER_AGENT
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    resources: Mapping[str, tuple[str, ...]] | None = None
    """The resource/version table to check against (None: the built-in one)."""
    check_versions: bool = True

    @classmethod
    def resolve(
        cls,
        *,
        resource: str | None = None,
        endpoint: str | None = None,
        transport: str = "auto",
        rest_url: str | None = None,
        rest_path_template: str = DEFAULT_PATH_TEMPLATE,
        plaintext: bool = False,
        ca_bundle: str | Path | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        grpc_cooldown: float = DEFAULT_COOLDOWN,
        with_storage: bool = False,
        user_agent: str | None = None,
        retry: RetryPolicy | bool = True,
        resources: Mapping[str, tuple[str, ...]] | None = None,
        check_versions: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> ClientSettings:
        """Settings from keywords, then the environment, then defaults; all checked."""
        env = os.environ if env is None else env
        if transport not in ("auto", "grpc", "rest"):
            raise ConfigurationError(
                f"unknown transport {transport!r}; use 'auto', 'grpc' or 'rest'"
            )
        resource = resource or env.get(RESOURCE_ENV)
        if not resource:
            raise ConfigurationError(
                "no compute resource: pass resource=... (e.g. 'defiant') or set S3M_RESOURCE"
            )
        given = endpoint or env.get(ENDPOINT_ENV)
        parsed = Endpoint.parse(given or DEFAULT_ENDPOINT, plaintext=plaintext)
        rest = rest_url or env.get(REST_URL_ENV)
        if rest is None and (given is None or transport == "rest"):
            # S3M's own endpoint has a known REST URL; `rest` alone means "REST at the endpoint".
            rest = DEFAULT_REST_URL if given is None else parsed.rest_url
        if rest is not None:
            rest = _check_rest_url(rest)
            if (
                transport == "auto"
                and not parsed.plaintext
                and rest.startswith("http://")
                and not _loopback(rest)
            ):
                raise ConfigurationError(
                    f"gRPC uses TLS but the REST fallback {rest} does not: the token would "
                    "travel in clear text on fallback. Use an https:// rest_url, or "
                    "transport='grpc'"
                )
        _check_template(rest_path_template)
        for name, value in (("timeout", timeout), ("connect_timeout", connect_timeout)):
            if value is not None and not (
                isinstance(value, int | float) and not isinstance(value, bool) and value > 0
            ):
                raise ConfigurationError(f"{name} must be a positive number of seconds: {value!r}")
        bundle = Path(ca_bundle).expanduser() if ca_bundle is not None else None
        if bundle is not None:
            try:
                ssl.create_default_context(cafile=str(bundle))
            except (OSError, ssl.SSLError) as exc:
                raise ConfigurationError(
                    f"cannot use the CA bundle {bundle}: {getattr(exc, 'strerror', None) or exc}"
                ) from None
        return cls(
            resource=resource,
            endpoint=parsed,
            rest_url=rest,
            transport=transport,  # type: ignore[arg-type]
            rest_path_template=rest_path_template,
            ca_bundle=bundle,
            timeout=timeout,
            connect_timeout=connect_timeout,
            grpc_cooldown=grpc_cooldown,
            with_storage=with_storage,
            user_agent=f"{user_agent} {USER_AGENT}" if user_agent else USER_AGENT,
            retry=retry_policy(retry),
            resources=dict(resources) if resources is not None else None,
            check_versions=check_versions,
        )


def _check_rest_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")) or len(url.split("://", 1)[1]) == 0:
        raise ConfigurationError(f"rest_url must start with http:// or https://: {url!r}")
    return url


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_template(template: str) -> None:
    try:
        template.format(version="v", resource="r", path="p")
    except (KeyError, IndexError, ValueError):
        raise ConfigurationError(
            f"rest_path_template may use only {{version}}, {{resource}} and {{path}}: {template!r}"
        ) from None
    if "{path}" not in template:
        raise ConfigurationError("rest_path_template must contain {path}")
