"""Fixtures for the Go interop tests: the built Go programs and a running Go server.

Every test marked `go` needs Debian's Go toolchain; without it they skip with the reason and
the command that installs it (.ci/setup.d/30-go.sh), or fail when `S3M_REQUIRE_LIVE=1` (CI).
The Go programs are built once after collection, before any test runs, so a cold build (1-3
minutes) never counts against a test's timeout; the tests then find them in the build cache.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from s3m_grpc.server import LocalServer, ServerConfig
from tests import live
from tests.interop import drift, gobuild
from tests.interop.goprocs import GoServer


@dataclass(frozen=True)
class Tokens:
    """A read-write and a read-only token for one server."""

    token: str
    readonly: str


_prebuild_failure: list[gobuild.GoBuildError] = []
_skip_notice: list[str] = []


def pytest_collection_finish(session: pytest.Session) -> None:
    """Build the Go programs the selected tests need, outside any test's timeout."""
    selected = [item for item in session.items if item.get_closest_marker("go")]
    if not selected:
        return
    reason = gobuild.missing_toolchain()
    if reason is not None:
        _skip_notice.append(f"{len(selected)} Go interop tests skipped: {reason}")
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    started = time.monotonic()
    try:
        gobuild.build_programs()
    except gobuild.GoBuildError as exc:
        _prebuild_failure.append(exc)  # every Go test reports it
    else:
        if any(item.path.name == "test_drift.py" for item in selected):
            with contextlib.suppress(Exception):  # the drift tests rebuild and report it
                drift.prebuild()
    if reporter is not None and time.monotonic() - started > 1:
        took = time.monotonic() - started
        reporter.write_line(f"Go interop programs built in {took:.0f} s (build/interop)")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say why the Go tests did not run even without `-rs`, so CI logs show it."""
    for line in _skip_notice:
        terminalreporter.write_line(line, yellow=True)


@pytest.fixture(scope="session")
def go_programs() -> gobuild.GoPrograms:
    reason = gobuild.missing_toolchain()
    if reason is not None:
        live.skip(reason)
    if _prebuild_failure:
        raise _prebuild_failure[0]
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
