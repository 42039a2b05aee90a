"""Configuration of the local server: resources, tokens, backend, sandbox and limits.

Everything has a default that makes `ServerConfig()` a working server (the S3M docs' resource
table, the simulated backend, two generated tokens). `ServerConfig.from_toml` reads the same
settings from a file, so `s3m serve --config` and tests share one format:

```toml
[resources]                 # resource -> API versions it serves
defiant = ["v0.0.42", "v0.0.43"]

[backend]                   # name + that backend's own options
name = "sim"

[sandbox]                   # where job paths land on this host
root = "/tmp/s3m-sandbox"   # request paths are mapped under it (default: a temp dir)
# allowed_roots = ["/home/me/work"]   # or: paths used as-is, confined to these roots

[limits]
max_request_bytes = 1048576
max_script_bytes = 262144
requests_per_second = 0     # per caller, 0 = unlimited; over it: 429 / RESOURCE_EXHAUSTED
burst = 20

tokens_file = "tokens.toml"   # see `load_tokens`
state = "state.sqlite"      # jobs survive a restart (default: in memory; `s3m serve` keeps
                            # them in `default_state_path("server")` unless --ephemeral)
```
"""

from __future__ import annotations

import json
import os
import secrets
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from s3m_grpc.errors import InvalidRequestError
from s3m_grpc.versions import DEFAULT_RESOURCES, normalize

WRITE = "compute-ace"
READONLY = "compute-ace-readonly"
PERMISSIONS = frozenset({WRITE, READONLY})
TOP_LEVEL_KEYS = frozenset(
    {
        "resources",
        "backend",
        "sandbox",
        "limits",
        "tokens_file",
        "tokens",
        "host",
        "project",
        "user",
        "grpc_port",
        "http_port",
        "state",
        "rest_dialect",
    }
)


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What a token grants (the token itself is the key of the tokens table, never stored here)."""

    project: str
    user: str
    permissions: frozenset[str] = frozenset({WRITE})
    expires_at: float | None = None  # Unix time; None never expires

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    @property
    def can_write(self) -> bool:
        return WRITE in self.permissions


@dataclass(frozen=True, slots=True)
class Limits:
    """Size limits; larger requests are refused before they are buffered whole."""

    max_request_bytes: int = 1 << 20
    max_script_bytes: int = 256 << 10
    requests_per_second: float = 0.0  # per caller; 0 = no rate limit
    burst: int = 20


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    """Where job paths land: mapped under `root` (None: a temp dir), or as-is in `allowed_roots`."""

    root: Path | None = None
    allowed_roots: tuple[Path, ...] = ()


@dataclass(slots=True)
class ServerConfig:
    """Everything a `LocalServer` needs; the defaults give a working server."""

    resources: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_RESOURCES)
    )
    tokens: Mapping[str, TokenInfo] = field(default_factory=dict)
    backend: str = "sim"
    backend_options: Mapping[str, Any] = field(default_factory=dict)
    sandbox: SandboxConfig = field(default_factory=SandboxConfig)
    limits: Limits = field(default_factory=Limits)
    host: str = "127.0.0.1"
    grpc_port: int = 0
    http_port: int = 0
    project: str = "stf040"  # project of the generated tokens
    user: str = ""  # user of the generated tokens ("" = the login name running the server)
    state: Path | None = None  # SQLite file keeping the sim's jobs across restarts; None: memory
    # How REST answers: "s3m" (canonical protobuf JSON, errors[] bodies) or "gateway" (as a
    # grpc-gateway in front of the gRPC service answers: every field, 64-bit integers as
    # strings, google.rpc.Status error bodies; docs/server.md).
    rest_dialect: Literal["s3m", "gateway"] = "s3m"

    def __repr__(self) -> str:
        # The tokens table is keyed by secrets: show only how many there are.
        return (
            f"ServerConfig(resources={dict(self.resources)!r}, tokens=<{len(self.tokens)}>, "
            f"backend={self.backend!r}, sandbox={self.sandbox!r}, limits={self.limits!r}, "
            f"state={self.state!r})"
        )

    @classmethod
    def from_toml(cls, path: str | Path) -> ServerConfig:
        """Read a config file (see the module docstring); relative paths are relative to it."""
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InvalidRequestError(f"cannot read server config {p}: {exc}") from None
        return cls.from_dict(data, base=p.parent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, base: Path = Path()) -> ServerConfig:
        unknown = sorted(set(data) - TOP_LEVEL_KEYS)
        if unknown:
            raise InvalidRequestError(
                f"unknown server config keys {unknown}; known: {sorted(TOP_LEVEL_KEYS)}"
            )
        cfg = cls()
        if "resources" in data:
            cfg.resources = parse_resources(data["resources"])
        backend = dict(data.get("backend", {}))
        if backend:
            cfg.backend = str(backend.pop("name", "sim"))
            cfg.backend_options = backend
        sandbox = data.get("sandbox", {})
        root = sandbox.get("root")
        cfg.sandbox = SandboxConfig(
            root=(base / root) if root else None,
            allowed_roots=tuple(base / r for r in sandbox.get("allowed_roots", ())),
        )
        limits = data.get("limits", {})
        try:
            cfg.limits = Limits(**limits)
        except TypeError as exc:
            raise InvalidRequestError(f"invalid [limits]: {exc}") from None
        if "tokens_file" in data:
            cfg.tokens = load_tokens(base / data["tokens_file"])
        if "tokens" in data:
            cfg.tokens = parse_tokens(data["tokens"])
        for key in ("host", "project", "user"):
            if key in data:
                setattr(cfg, key, str(data[key]))
        if data.get("state"):
            cfg.state = base / str(data["state"])
        if "rest_dialect" in data:
            dialect = str(data["rest_dialect"])
            if dialect not in ("s3m", "gateway"):
                raise InvalidRequestError(f"rest_dialect must be 's3m' or 'gateway': {dialect!r}")
            cfg.rest_dialect = dialect  # type: ignore[assignment]
        for key in ("grpc_port", "http_port"):
            if key in data:
                setattr(cfg, key, int(data[key]))
        return cfg


def parse_resources(raw: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """`{resource: [versions]}` with versions normalized (`43` → `v0.0.43`)."""
    out: dict[str, tuple[str, ...]] = {}
    for name, versions in raw.items():
        if isinstance(versions, str):
            versions = [versions]
        out[str(name)] = tuple(normalize(str(v)) for v in versions)
    return out


def load_tokens(path: str | Path) -> dict[str, TokenInfo]:
    """Read a tokens file, TOML or JSON: `{token: {project, user, permissions, expires_at}}`.

    `permissions` is a list (or one string) of `compute-ace` / `compute-ace-readonly`;
    `expires_at` is Unix seconds or an ISO 8601 time (TOML datetimes work too); omit it for
    a token that never expires.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        data = json.loads(text) if p.suffix == ".json" else tomllib.loads(text)
    except (OSError, ValueError) as exc:
        # Error text from the parsers can quote file content (tokens): name only the file.
        raise InvalidRequestError(f"cannot read tokens file {p}: {type(exc).__name__}") from None
    if isinstance(data, dict) and isinstance(data.get("tokens"), dict):
        data = data["tokens"]
    return parse_tokens(data)


def parse_tokens(raw: Any) -> dict[str, TokenInfo]:
    if not isinstance(raw, Mapping):
        raise InvalidRequestError("tokens must be a table of token -> {project, permissions}")
    out: dict[str, TokenInfo] = {}
    for n, (token, spec) in enumerate(raw.items(), 1):
        if not isinstance(spec, Mapping):
            raise InvalidRequestError(f"token entry #{n} must be a table")
        perms = spec.get("permissions", [WRITE])
        perms = frozenset([perms] if isinstance(perms, str) else perms)
        unknown = perms - PERMISSIONS
        if unknown or not perms:
            raise InvalidRequestError(
                f"token entry #{n}: permissions must be among {sorted(PERMISSIONS)}"
            )
        out[str(token)] = TokenInfo(
            project=str(spec.get("project", "stf040")),
            user=str(spec.get("user", "user")),
            permissions=perms,
            expires_at=_expiry(spec.get("expires_at", spec.get("expiry")), n),
        )
    return out


def _expiry(value: Any, n: int) -> float | None:
    from datetime import UTC, datetime

    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequestError(
            f"token entry #{n}: expires_at must be Unix seconds or an ISO 8601 time"
        ) from None
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()


def default_state_path(name: str) -> Path:
    """Where `s3m serve` ("server") and `s3m --local` ("local") keep their state by default:
    `$XDG_STATE_HOME/s3m/NAME.sqlite` (`~/.local/state/s3m/NAME.sqlite`)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "s3m" / f"{name}.sqlite"


def generate_token() -> str:
    """A fresh random token (same alphabet S3M tokens use: URL-safe)."""
    return secrets.token_urlsafe(32)


def now() -> float:
    return time.time()
