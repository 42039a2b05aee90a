"""The `[backend]` options of the slurm backend, checked once at start-up.

```toml
[backend]
name = "slurm"
url = "http://127.0.0.1:6820"      # slurmrestd (scripts/slurm-start prints it)
user = "alice"                     # X-SLURM-USER-NAME; default: the login running the server
jwt_file = "/path/jwt.token"       # or jwt = "..."; re-read when the file changes
openapi_version = "v0.0.38"        # default: detected from slurmrestd's /openapi/v3
workdir = "/tmp"                   # job working directory when a request names none
timeout = 30.0                     # seconds per slurmrestd request
cluster = "s3m"                    # cluster name when slurmrestd does not report it
environment = { PATH = "/usr/bin:/bin" }   # job environment when a request sets none
path_root = "/tmp/s3m-jobs"        # map job paths under this directory (default: the server's
                                   # sandbox when it hands one over, else paths are used as-is)
```
"""

from __future__ import annotations

import base64
import getpass
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from s3m_grpc.errors import InvalidRequestError, UnavailableError

DEFAULT_URL = "http://127.0.0.1:6820"
DEFAULT_ENVIRONMENT = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
KNOWN = {
    "url",
    "user",
    "jwt",
    "jwt_file",
    "openapi_version",
    "workdir",
    "timeout",
    "cluster",
    "environment",
    "path_root",
}


class BackendConfigError(InvalidRequestError):
    """The slurm backend's options are missing or wrong (a server set-up problem)."""


@dataclass(frozen=True, slots=True)
class SlurmOptions:
    """Where slurmrestd is and how to authenticate to it (the JWT is never shown)."""

    url: str = DEFAULT_URL
    user: str = ""
    jwt: str = field(default="", repr=False)
    jwt_file: Path | None = None
    openapi_version: str | None = None
    workdir: str = "/tmp"
    timeout: float = 30.0
    cluster: str = ""
    environment: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ENVIRONMENT))
    path_root: Path | None = None

    @classmethod
    def parse(
        cls, options: Mapping[str, Any], environ: Mapping[str, str] | None = None
    ) -> SlurmOptions:
        """Options from the `[backend]` table; `url`, `user`, `jwt_file`, `workdir` and
        `cluster` fall back to the variables `scripts/slurm-start` writes to env.sh."""
        unknown = sorted(set(options) - KNOWN - {"name"})
        if unknown:
            raise BackendConfigError(
                f"unknown slurm backend option(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(KNOWN))}"
            )
        env_vars = os.environ if environ is None else environ
        options = {**_from_environment(env_vars), **options}
        url = str(options.get("url", DEFAULT_URL)).rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise BackendConfigError(
                f"slurm backend url {url!r} must start with http:// or https://"
            )
        jwt = str(options.get("jwt", ""))
        jwt_file = options.get("jwt_file")
        if not jwt and not jwt_file:
            raise BackendConfigError(
                "the slurm backend needs `jwt` or `jwt_file` in [backend], or S3M_SLURM_JWT_FILE "
                "(scripts/slurm-start writes <dir>/etc/jwt.token and <dir>/env.sh)"
            )
        version = options.get("openapi_version")
        if version is not None:
            version = str(version)
            version = version if version.startswith("v") else "v" + version
        try:
            timeout = float(options.get("timeout", 30.0))
        except (TypeError, ValueError):
            raise BackendConfigError("slurm backend `timeout` must be a number (seconds)") from None
        env = options.get("environment", DEFAULT_ENVIRONMENT)
        if not isinstance(env, Mapping):
            raise BackendConfigError("slurm backend `environment` must be a table of strings")
        return cls(
            url=url,
            user=str(options.get("user") or _login()),
            jwt=jwt,
            jwt_file=Path(str(jwt_file)).expanduser() if jwt_file else None,
            openapi_version=version,
            workdir=str(options.get("workdir", "/tmp")),
            timeout=timeout,
            cluster=str(options.get("cluster", "")),
            environment={str(k): str(v) for k, v in env.items()},
            path_root=Path(str(options["path_root"])) if options.get("path_root") else None,
        )


ENV_OPTIONS = {
    "S3M_SLURM_URL": "url",
    "S3M_SLURM_USER": "user",
    "S3M_SLURM_JWT_FILE": "jwt_file",
    "S3M_SLURM_WORKDIR": "workdir",
    "S3M_SLURM_CLUSTER": "cluster",
}


def _from_environment(environ: Mapping[str, str]) -> dict[str, str]:
    return {opt: environ[var] for var, opt in ENV_OPTIONS.items() if environ.get(var)}


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


class TokenSource:
    """The backend's JWT: a fixed string, or a file re-read when it changes (renewed tokens)."""

    def __init__(self, options: SlurmOptions) -> None:
        self._fixed = options.jwt
        self._file = options.jwt_file
        self._cached = ""
        self._stamp: tuple[float, int] | None = None

    def __repr__(self) -> str:
        return f"TokenSource(file={str(self._file) if self._file else None!r})"

    def get(self) -> str:
        token = self._read()
        expires = jwt_expiry(token)
        if expires is not None and time.time() >= expires:
            when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(expires))
            where = f"in {self._file}" if self._file else "in the `jwt` option"
            raise UnavailableError(
                f"the slurm backend's JWT ({where}) expired at {when}: renew it with "
                "`scontrol token username=<user> lifespan=<seconds>`"
            )
        return token

    def _read(self) -> str:
        if self._fixed or self._file is None:
            return self._fixed
        try:
            st = self._file.stat()
            stamp = (st.st_mtime, st.st_size)
            if stamp != self._stamp:
                self._cached = self._file.read_text(encoding="utf-8").strip()
                self._stamp = stamp
        except OSError as exc:
            raise UnavailableError(
                f"cannot read the slurm backend's jwt_file {self._file}: {exc}"
            ) from None
        if not self._cached:
            raise UnavailableError(f"the slurm backend's jwt_file {self._file} is empty")
        return self._cached


def jwt_expiry(token: str) -> float | None:
    """The `exp` claim of a JWT, read without verifying it (slurmctld does that); None if
    the token is not a JWT or has no expiry."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, TypeError):
        return None
    exp = payload.get("exp") if isinstance(payload, dict) else None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None
