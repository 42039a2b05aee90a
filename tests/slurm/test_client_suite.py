"""The client engineer's suite (tests/client), run against the local server on the slurm backend.

The suite reads `S3M_TEST_BACKEND`/`S3M_TEST_BACKEND_OPTIONS`; tests marked `sim_only` (fault
injection, fixed job ids) are left out. It runs as a subprocess so the one pytest command of CI
covers it, on each of the session's clusters (the host's 22.05 and sid's 26.05).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import ROOT, Cluster

pytestmark = pytest.mark.slurm


@pytest.mark.parametrize("cluster_fixture", ["slurm_cluster", "current_cluster"])
def test_client_suite_passes_on_the_slurm_backend(
    request: pytest.FixtureRequest, cluster_fixture: str
) -> None:
    """On Slurm 22.05 (v0.0.38) and on Slurm 26.05 (v0.0.44, the newest it detects)."""
    cluster: Cluster = request.getfixturevalue(cluster_fixture)
    env = dict(os.environ)
    env.update(
        S3M_TEST_BACKEND="slurm",
        S3M_TEST_BACKEND_OPTIONS=json.dumps(cluster.options()),
    )
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/client",
        "-m",
        "not sim_only",
    ]
    proc = subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    tail = "\n".join(proc.stdout.strip().splitlines()[-25:])
    assert proc.returncode == 0, (
        f"client suite failed on the slurm backend:\n{tail}\n{proc.stderr[-2000:]}"
    )
    assert " passed" in tail
    assert " failed" not in tail
