"""A grpc-gateway REST front (tests/gateway/gwbuild.py) in front of our local gRPC server.

Without the means to build it (root and Debian sid's Go toolchain, see gwbuild) the tests that
need it skip with the reason, or fail when `S3M_REQUIRE_LIVE=1` (CI).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from s3m_grpc.server import LocalServer, ServerConfig
from tests import live
from tests.gateway import gwbuild

_notes: list[str] = []


def _unavailable(reason: str) -> None:
    _notes.append(f"gateway tests {'FAILED' if live.required() else 'SKIPPED'}: {reason}")
    live.skip(f"the gateway cannot run: {reason}")


@pytest.fixture(scope="session")
def gateway_binary() -> Path:
    reason = gwbuild.unavailable()
    if reason is not None:
        _unavailable(reason)
    began = time.monotonic()
    try:
        binary = gwbuild.build()
    except gwbuild.GatewayBuildError as exc:
        if live.required():
            raise
        _unavailable(str(exc)[:500])
        raise
    if time.monotonic() - began > 1:
        _notes.append(f"s3m-gateway built in {time.monotonic() - began:.0f} s ({binary})")
    return binary


@dataclass
class Gateway:
    """The gateway's URL and the local server behind it."""

    url: str
    server: LocalServer


@pytest.fixture(scope="module")
def gateway(gateway_binary: Path) -> Iterator[Gateway]:
    server = LocalServer(
        ServerConfig(backend="sim", backend_options={"tick_interval": 0.05, "first_job_id": 12345})
    ).start_in_thread()
    proc = subprocess.Popen(
        [str(gateway_binary), "-backend", server.grpc_target, "-addr", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line.startswith("LISTENING "):
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"s3m-gateway did not start: {line} {err}")
        yield Gateway(url="http://" + line.split()[1], server=server)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        server.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in _notes:
        terminalreporter.write_line(line)
