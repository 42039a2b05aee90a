"""Where the command line's settings come from: flags, then environment, then a config profile.

`~/.config/s3m/config.toml` (or `$S3M_CONFIG`, or `$XDG_CONFIG_HOME/s3m/config.toml`) holds
defaults at the top level and named profiles under `[profiles.NAME]`:

    profile = "odo"                     # the profile used when --profile is not given
    [profiles.odo]
    endpoint = "s3m.olcf.ornl.gov:443"
    resource = "odo"
    api_version = "v0.0.44"
    token_file = "~/.config/s3m/odo.token"

A token itself is never read from the config file (it would sit in plain text next to the
settings): use `token_file`, `token_command`, or the `S3M_TOKEN` environment variable.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from s3m_grpc.cli import fail

TRANSPORTS = ("auto", "grpc", "rest")
OUTPUTS = ("table", "json", "yaml")
DEFAULT_ENDPOINT = "s3m.olcf.ornl.gov:443"
FROM_COMMAND_LINE = "command line or environment"
_KEYS = frozenset(
    {
        "endpoint",
        "rest_url",
        "resource",
        "api_version",
        "transport",
        "token_file",
        "token_command",
        "output",
        "timeout",
    }
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a command needs to reach S3M (never the token itself)."""

    endpoint: str | None = None
    rest_url: str | None = None
    resource: str | None = None
    api_version: str | None = None
    transport: str = "auto"
    token_file: str | None = None
    token_command: str | None = None
    output: str = "table"
    timeout: float | None = None
    verbose: bool = False
    local: bool = False
    profile: str | None = None
    sources: dict[str, str] = field(default_factory=dict, compare=False)


def config_path(env: Mapping[str, str]) -> Path:
    """The config file to read."""
    if env.get("S3M_CONFIG"):
        return Path(env["S3M_CONFIG"]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")) / ".config")
    return Path(base).expanduser() / "s3m" / "config.toml"


def load_config(path: Path) -> dict[str, Any]:
    """The parsed config file ({} when it does not exist)."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise fail.config(f"cannot read config file {path}: {exc}; fix or remove it") from None
    return data


def profile_values(config: Mapping[str, Any], name: str | None, path: Path) -> dict[str, Any]:
    """Top-level defaults overlaid with the chosen profile's values, checked."""
    profiles = config.get("profiles", {})
    if not isinstance(profiles, dict):
        raise fail.config(f"{path}: `profiles` must be a table of [profiles.NAME] sections")
    chosen = name or config.get("profile")
    values = {k: v for k, v in config.items() if k not in ("profiles", "profile")}
    if chosen is not None:
        if chosen not in profiles:
            known = ", ".join(sorted(profiles)) or "none defined"
            raise fail.config(
                f"no profile {chosen!r} in {path} (profiles: {known}); add [profiles.{chosen}]"
            )
        section = profiles[chosen]
        if not isinstance(section, dict):
            raise fail.config(f"{path}: [profiles.{chosen}] must be a table")
        values.update(section)
    if "token" in values:
        raise fail.config(
            f"{path} holds a `token`: tokens do not belong in the config file; move it to a "
            "file with mode 600 and set `token_file`, or use S3M_TOKEN"
        )
    unknown = sorted(set(values) - _KEYS)
    if unknown:
        raise fail.config(
            f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}"
        )
    return values


def resolve(
    given: Mapping[str, Any], env: Mapping[str, str], *, profile: str | None = None
) -> Settings:
    """Merge settings: `given` (flags and their environment variables, None = unset) win over
    the profile, which wins over defaults."""
    path = config_path(env)
    config = load_config(path)
    from_profile = profile_values(config, profile, path) if config or profile else {}
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for f in fields(Settings):
        if f.name == "sources":
            continue
        if given.get(f.name) is not None:
            merged[f.name] = given[f.name]
            sources[f.name] = FROM_COMMAND_LINE
        elif f.name in from_profile:
            merged[f.name] = from_profile[f.name]
            sources[f.name] = str(path)
    merged["profile"] = profile or config.get("profile")
    settings = Settings(**merged, sources=sources)
    _check(settings, path)
    return settings


def _check(s: Settings, path: Path) -> None:
    if s.transport not in TRANSPORTS:
        raise fail.config(f"transport {s.transport!r} unknown; use one of {', '.join(TRANSPORTS)}")
    if s.output not in OUTPUTS:
        raise fail.config(f"output {s.output!r} unknown; use one of {', '.join(OUTPUTS)}")
    for name in ("endpoint", "rest_url", "resource", "api_version", "token_file", "token_command"):
        value = getattr(s, name)
        if value is not None and not isinstance(value, str):
            raise fail.config(f"{path}: `{name}` must be a string")
    if s.timeout is not None and (
        not isinstance(s.timeout, int | float) or isinstance(s.timeout, bool) or s.timeout <= 0
    ):
        raise fail.config(f"timeout {s.timeout!r} must be a positive number of seconds")


def read_token_file(path: str) -> str:
    """A token from a file: the token alone, or a curl-style header file (`Authorization: T`)."""
    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
        if file.stat().st_mode & 0o077:
            import sys

            sys.stderr.write(
                f"s3m: warning: token file {file} can be read by other users; "
                f"run: chmod 600 {file}\n"
            )
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise fail.config(f"cannot read token file {file}: {reason}; check --token-file") from None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, colon, value = stripped.partition(":")
        if colon and name.strip().lower() == "authorization":
            return value.strip()
        if not colon and " " not in stripped:
            return stripped
    raise fail.config(
        f"token file {file} holds no token; put the token alone on a line, or a "
        "curl-style `Authorization: TOKEN` header"
    )


def environment_names() -> dict[str, str]:
    """Environment variable for each global option (documented in `s3m --help`)."""
    return {
        "endpoint": "S3M_ENDPOINT",
        "resource": "S3M_RESOURCE",
        "api_version": "S3M_API_VERSION",
        "transport": "S3M_TRANSPORT",
        "token_file": "S3M_TOKEN_FILE",
        "profile": "S3M_PROFILE",
        "output": "S3M_OUTPUT",
        "timeout": "S3M_TIMEOUT",
    }


def current_environment() -> dict[str, str]:
    return dict(os.environ)
