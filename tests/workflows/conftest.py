"""A real local server (simulated SLURM that runs job scripts as processes) for the workflow
engine tests; paths are used as they are under the test's directory (host mode), so the engines
read their jobs' files where they asked for them."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.server.config import SandboxConfig

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LocalServer]:
    config = ServerConfig(
        backend="sim",
        backend_options={"tick_interval": 0.05, "kill_wait": 0.5},
        sandbox=SandboxConfig(allowed_roots=(tmp_path,)),
    )
    srv = LocalServer(config).start_in_thread()
    try:
        yield srv
    finally:
        srv.stop()


def job_environment() -> dict[str, str]:
    """What a job needs to run this checkout's Python (S3M jobs start with no environment)."""
    bin_dir = str(Path(sys.executable).parent)
    return {
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "PYTHONPATH": str(ROOT),
        "HOME": os.environ.get("HOME", "/tmp"),
    }
