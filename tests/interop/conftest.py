"""Fixtures for the Go interop tests: the built Go programs and a running Go server.

Every test here needs Debian's Go toolchain; without it they skip with the reason and the
command that installs it (.ci/setup.d/30-go.sh).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from s3m_grpc.server import LocalServer, ServerConfig
from tests.interop import gobuild
from tests.interop.goprocs import GoServer


@dataclass(frozen=True)
class Tokens:
    """A read-write and a read-only token for one server."""

    token: str
    readonly: str


@pytest.fixture(scope="session")
def go_programs() -> gobuild.GoPrograms:
    reason = gobuild.missing_toolchain()
    if reason is not None:
        pytest.skip(reason)
    return gobuild.build_programs()


@pytest.fixture(scope="session")
def go_tokens() -> Tokens:
    return Tokens(token=secrets.token_urlsafe(24), readonly=secrets.token_urlsafe(24))


@pytest.fixture(scope="module")
def go_server(go_programs: gobuild.GoPrograms, go_tokens: Tokens) -> Iterator[GoServer]:
    with GoServer(
        go_programs.server, token=go_tokens.token, readonly_token=go_tokens.readonly
    ) as s:
        yield s


@pytest.fixture(scope="module")
def local_server() -> Iterator[LocalServer]:
    """Our Python local server (simulated SLURM) on 127.0.0.1, on its own thread."""
    server = LocalServer(ServerConfig()).start_in_thread()
    try:
        yield server
    finally:
        server.stop()
