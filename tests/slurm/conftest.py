"""Real SLURM clusters for the slurm backend's tests, started once per session by the scripts.

`scripts/slurm-start` runs on free 127.0.0.1 ports in a temp directory; `scripts/slurm-stop`
cleans it up. Two clusters: the host's Debian packages (Slurm 22.05, slurmrestd v0.0.38), and
Debian sid's Slurm 26.05 from a chroot (`--release sid`: v0.0.42, v0.0.43 and v0.0.44 from one
slurmrestd). Where one cannot be started, the tests that need it are skipped with the reason,
repeated in the terminal summary; with `S3M_REQUIRE_LIVE=1` (CI) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests import live

from .fakerestd import restd  # noqa: F401  (fixture: a slurmrestd-like HTTP server)

ROOT = Path(__file__).resolve().parents[2]
START = ROOT / "scripts" / "slurm-start"
STOP = ROOT / "scripts" / "slurm-stop"
NODE_CPUS = 4  # more than the host has (config_overrides): a few test jobs run side by side

_report: list[str] = []


@dataclass
class Cluster:
    """A running cluster: where slurmrestd is and how to reach it."""

    dir: Path
    url: str
    user: str
    jwt_file: Path
    env: dict[str, str] = field(repr=False)
    start_seconds: float = 0.0

    @property
    def jobs_dir(self) -> Path:
        return self.dir / "jobs"

    def options(self, **extra: Any) -> dict[str, Any]:
        """The `[backend]` table for this cluster."""
        opts: dict[str, Any] = {
            "url": self.url,
            "user": self.user,
            "jwt_file": str(self.jwt_file),
            "workdir": str(self.jobs_dir),
            "cluster": "s3m",
        }
        opts.update(extra)
        return opts

    def run(self, *cmd: str) -> str:
        """A SLURM command against this cluster (e.g. scontrol); its stdout. It runs through
        the cluster's `bin/slurm`, which enters the chroot of a `--release` cluster."""
        proc = subprocess.run(
            [str(self.dir / "bin" / "slurm"), *cmd],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if proc.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
        return proc.stdout


def free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _skip(reason: str) -> None:
    """Skip for want of a cluster; a failure where live runs are required (CI)."""
    _report.append(f"slurm tests {'FAILED' if live.required() else 'SKIPPED'}: {reason}")
    live.skip(reason)


def start_cluster(
    nodes: int = 0, cpus: int = NODE_CPUS, release: str = "host", accounting: bool = False
) -> Cluster:
    """Start a cluster with scripts/slurm-start (0 nodes: one node "localhost"); skip if none.

    `release` is `host` (the host's packages) or a Debian suite run from a chroot (`sid`);
    `accounting` adds slurmdbd and MariaDB (chroot only)."""
    if not sys.platform.startswith("linux") or shutil.which("bash") is None:
        _skip("a SLURM cluster needs Linux with bash")
    if os.environ.get("S3M_SLURM_SKIP"):
        _skip("S3M_SLURM_SKIP is set")
    if release != "host" and os.geteuid() != 0:
        _skip(f"Slurm from Debian {release} runs in a chroot, which needs root")
    # munged wants every parent of its socket searchable by all: not under pytest's 0700 dirs
    directory = Path(tempfile.mkdtemp(prefix="s3m-slurm-"))
    directory.chmod(0o755)
    ctld, slurmd, rest, dbd = free_ports(4)
    env = dict(os.environ)
    env.pop("SLURM_JWT", None)
    env.update(
        S3M_SLURM_DIR=str(directory),
        S3M_SLURM_NODES=str(nodes),
        S3M_SLURM_CTLD_PORT=str(ctld),
        S3M_SLURM_D_PORT=str(slurmd),
        S3M_SLURM_REST_PORT=str(rest),
        S3M_SLURM_CPUS=str(cpus),
        S3M_SLURM_CLUSTER="s3m",
        S3M_SLURM_RELEASE=release,
        S3M_SLURM_DBD="1" if accounting else "0",
        S3M_SLURM_DBD_PORT=str(dbd),
        PATH=env.get("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin",
    )
    began = time.perf_counter()
    proc = subprocess.run(
        [str(START)], env=env, capture_output=True, text=True, timeout=900, check=False
    )
    seconds = time.perf_counter() - began
    if proc.returncode != 0:
        tail = " | ".join((proc.stderr or proc.stdout).strip().splitlines()[-6:])
        subprocess.run([str(STOP), "--purge"], env=env, capture_output=True, timeout=120)
        _skip(
            f"no SLURM cluster could be started here (scripts/slurm-start exit "
            f"{proc.returncode}): {tail}"
        )
    env["SLURM_CONF"] = str(directory / "etc" / "slurm.conf")
    shape = f"{nodes} fake nodes" if nodes else "1 node"
    shape += ", slurmdbd" if accounting else ""
    _report.append(
        f"slurm cluster ({release}, {shape}) started in {seconds:.2f}s (scripts/slurm-start)"
    )
    return Cluster(
        dir=directory,
        url=f"http://127.0.0.1:{rest}",
        user=_user(),
        jwt_file=directory / "etc" / "jwt.token",
        env=env,
        start_seconds=seconds,
    )


def stop_cluster(cluster: Cluster) -> None:
    began = time.perf_counter()
    subprocess.run([str(STOP), "--purge"], env=cluster.env, capture_output=True, timeout=120)
    _report.append(f"slurm cluster stopped in {time.perf_counter() - began:.2f}s")


@pytest.fixture(scope="session")
def slurm_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        stop_cluster(cluster)


@pytest.fixture(scope="session")
def accounting_cluster() -> Iterator[Cluster]:
    """Slurm 26.05 from Debian sid with slurmdbd: GetJob answers from accounting."""
    cluster = start_cluster(release="sid", accounting=True)
    try:
        yield cluster
    finally:
        stop_cluster(cluster)


@pytest.fixture(scope="session")
def current_cluster() -> Iterator[Cluster]:
    """Slurm 26.05 from Debian sid: slurmrestd v0.0.42, v0.0.43 and v0.0.44 at once."""
    cluster = start_cluster(release="sid")
    try:
        yield cluster
    finally:
        stop_cluster(cluster)


def _user() -> str:
    import getpass

    return getpass.getuser()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Room for a first-time package install (cluster set-up) and the client suite run."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(600))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in _report:
        terminalreporter.write_line(line)
