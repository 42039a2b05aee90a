"""The optional parts of s3m-grpc and the packages each needs (pyproject's extras).

The core install is the client and the CLI. The local server (`s3m serve`, `s3m --local`,
`s3m_grpc.server`, the fixtures of `s3m_grpc.testing`) needs the `[server]` extra; importing it
without those packages raises `MissingExtraError`, which names the command that installs them,
instead of a bare `ModuleNotFoundError` from deep inside the server.
"""

from __future__ import annotations

import importlib.util

from s3m_grpc.errors import S3MError

# extra -> what it is for, in a message.
PURPOSE: dict[str, str] = {
    "server": "the local S3M server",
    "parsl": "the Parsl provider (s3m_grpc.parsl)",
    "psij": "the PSI/J executor (s3m_grpc.psij)",
}
# extra -> (import name, distribution name) of every package it adds.
EXTRAS: dict[str, tuple[tuple[str, str], ...]] = {
    "server": (
        ("grpc_reflection", "grpcio-reflection"),
        ("grpc_health", "grpcio-health-checking"),
        ("httpx", "httpx"),
    ),
    "parsl": (("parsl", "parsl"),),
    "psij": (("psij", "psij-python"),),
}


class MissingExtraError(S3MError, ImportError):
    """An optional part of s3m-grpc was used without its extra installed.

    Also an `ImportError`, so code that probes with `try: import ... except ImportError` works.
    """

    def __init__(self, extra: str, missing: tuple[str, ...]) -> None:
        super().__init__(
            f"{PURPOSE[extra]} needs {', '.join(missing)}, which "
            f"{'is' if len(missing) == 1 else 'are'} not installed: "
            f"pip install 's3m-grpc[{extra}]'"
        )
        self.extra = extra
        self.missing = missing


def missing(extra: str) -> tuple[str, ...]:
    """The distributions of `extra` whose modules cannot be imported here."""
    return tuple(dist for module, dist in EXTRAS[extra] if importlib.util.find_spec(module) is None)


def require(extra: str) -> None:
    """Raise `MissingExtraError` unless every package of `extra` is installed."""
    absent = missing(extra)
    if absent:
        raise MissingExtraError(extra, absent)
