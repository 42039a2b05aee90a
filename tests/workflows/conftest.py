"""A real local server for the workflow engine tests: simulated SLURM that runs job scripts as
processes, paths used as they are under the test's directory (host mode), so the engines read
their jobs' files where they asked for them; or the slurm backend on a real SLURM cluster (the
host's packages, whose jobs run on this host), for the end-to-end Parsl test."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.server.config import SandboxConfig
from tests.slurm.conftest import Cluster, slurm_cluster  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]


def sim_config(tmp_path: Path) -> ServerConfig:
    """The simulator, running job scripts as processes with paths under `tmp_path`."""
    return ServerConfig(
        backend="sim",
        backend_options={"tick_interval": 0.05, "kill_wait": 0.5},
        sandbox=SandboxConfig(allowed_roots=(tmp_path,)),
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LocalServer]:
    srv = LocalServer(sim_config(tmp_path)).start_in_thread()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(params=["sim", pytest.param("slurm", marks=pytest.mark.slurm)])
def any_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LocalServer]:
    """The simulator, then a real SLURM cluster (skipped with the reason when none starts)."""
    if request.param == "sim":
        yield request.getfixturevalue("server")
        return
    cluster: Cluster = request.getfixturevalue("slurm_cluster")
    with tempfile.TemporaryDirectory(prefix="s3m-workflow-jobs-") as d:
        root = Path(d)
        root.chmod(0o755)
        config = ServerConfig(
            backend="slurm",
            backend_options=cluster.options(path_root=str(root)),
            sandbox=SandboxConfig(root=root),
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
