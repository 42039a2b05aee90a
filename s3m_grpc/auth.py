"""Where the S3M token comes from, and a holder that never shows it.

Sources, first found wins: the `token` argument, `S3M_TOKEN`, a curl-style header file (the
`.env` that the S3M docs pass as `curl -H @.env`, a line `Authorization: <token>`), a token
command (its stdout). The token is wrapped in `Token`, whose repr and str are redacted, so it
cannot leak into logs, reprs, exception texts or CLI output by accident.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import warnings
from collections.abc import Mapping
from pathlib import Path

from s3m_grpc.errors import AuthenticationError

TOKEN_ENV = "S3M_TOKEN"
TOKEN_FILE_ENV = "S3M_TOKEN_FILE"
TOKEN_COMMAND_ENV = "S3M_TOKEN_COMMAND"
DEFAULT_HEADER_FILE = ".env"
TOKEN_COMMAND_TIMEOUT = 30.0


class InsecureTokenFileWarning(UserWarning):
    """A file holding the token can be read by other users."""


class Token:
    """A secret token: `reveal()` gives the text; repr and str never do."""

    __slots__ = ("_secret", "source")

    def __init__(self, secret: str, source: str = "argument") -> None:
        secret = secret.strip()
        if not secret:
            raise AuthenticationError(f"the S3M token from {source} is empty")
        if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in secret):
            raise AuthenticationError(
                f"the S3M token from {source} contains whitespace or control characters; "
                "it must be the raw token only"
            )
        if not secret.isascii():
            raise AuthenticationError(
                f"the S3M token from {source} contains non-ASCII characters (often an invisible "
                "one copied from a web page); it must be the raw token only"
            )
        self._secret = secret
        self.source = source

    def reveal(self) -> str:
        return self._secret

    def __repr__(self) -> str:
        return f"Token(<redacted>, source={self.source!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and other._secret == self._secret

    def __hash__(self) -> int:
        return hash(self._secret)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Token cannot be pickled")


def read_header_file(path: Path) -> str | None:
    """The token in a curl header file (`Authorization: <token>`, or a dotenv-style
    `S3M_TOKEN=<token>` line), or None if it has none.

    A file readable by group or others gets an `InsecureTokenFileWarning`.
    """
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    token = None
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if not (sep and name.strip().lower() == "authorization"):
            # A dotenv-style `S3M_TOKEN=<token>` line serves as well.
            name, sep, value = line.removeprefix("export ").partition("=")
            if not (sep and name.strip() == TOKEN_ENV):
                continue
        value = value.strip()
        if value.lower().startswith("bearer "):
            value = value[7:].strip()
        token = value.strip("\"'")
        break
    if token and mode & (stat.S_IRGRP | stat.S_IROTH):
        warnings.warn(
            f"{path} holds an S3M token and is readable by other users; run: chmod 600 {path}",
            InsecureTokenFileWarning,
            stacklevel=3,
        )
    return token or None


def run_token_command(command: str) -> str:
    """Run a token command (no shell) and return its stdout; its output is never echoed."""
    try:
        done = subprocess.run(
            shlex.split(command),
            capture_output=True,
            text=True,
            timeout=TOKEN_COMMAND_TIMEOUT,
            check=False,
        )
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise AuthenticationError(
            f"the token command could not be run ({type(exc).__name__})"
        ) from None
    if done.returncode != 0:
        raise AuthenticationError(f"the token command exited with status {done.returncode}")
    return done.stdout


def resolve_token(
    token: str | Token | None = None,
    *,
    header_file: str | os.PathLike[str] | None = None,
    token_command: str | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Token:
    """Find the token: argument, `S3M_TOKEN`, header file, token command (first found wins)."""
    if isinstance(token, Token):
        return token
    if token:
        return Token(token, "argument")
    env = os.environ if env is None else env
    if env.get(TOKEN_ENV):
        return Token(env[TOKEN_ENV], TOKEN_ENV)
    file = header_file or env.get(TOKEN_FILE_ENV)
    candidates = [Path(file)] if file else [(cwd or Path.cwd()) / DEFAULT_HEADER_FILE]
    for path in candidates:
        found = read_header_file(path.expanduser())
        if found:
            return Token(found, f"header file {path}")
        if file:
            raise AuthenticationError(f"no 'Authorization: <token>' line in the header file {path}")
    command = token_command or env.get(TOKEN_COMMAND_ENV)
    if command:
        return Token(run_token_command(command), "token command")
    raise AuthenticationError(
        "no S3M token: pass token=..., set S3M_TOKEN, put 'Authorization: <token>' in ./.env "
        "(or the file named by S3M_TOKEN_FILE), or set S3M_TOKEN_COMMAND"
    )


class TokenProvider:
    """The token every call is sent with, looked up again when the server refuses it.

    A token given as an argument is fixed. One found in the environment, a header file or by a
    command may be renewed there while a long-lived client runs: `refresh()` looks it up again.
    Calls read `current` when they are sent, so a new token reaches every later call without
    closing any connection (and without disturbing calls in flight).
    """

    def __init__(
        self,
        token: str | Token | None = None,
        *,
        header_file: str | os.PathLike[str] | None = None,
        token_command: str | None = None,
    ) -> None:
        self.current = resolve_token(token, header_file=header_file, token_command=token_command)
        self._lookup = None if token else (header_file, token_command)

    def __repr__(self) -> str:
        return f"TokenProvider(source={self.current.source!r}, token=<redacted>)"

    def refresh(self) -> bool:
        """Look the token up again; True if it changed (later calls use the new one)."""
        if self._lookup is None:
            return False
        header_file, token_command = self._lookup
        try:
            token = resolve_token(None, header_file=header_file, token_command=token_command)
        except AuthenticationError:
            return False
        if token == self.current:
            return False
        self.current = token
        return True
