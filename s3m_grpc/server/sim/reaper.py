"""Making a job's processes end with the job, and every job's processes end with the server.

A batch script runs in a process group of its own, but what it starts with `setsid` leaves that
group, and nothing in the group hears of a server killed with SIGKILL. So every job process
carries `S3M_SIM_JOB=<run>/<job id>` in its environment (inherited by all it starts, `setsid`
or not), and processes are found by that tag in `/proc`:
- when a job ends (completed, cancelled, timed out), whatever still carries its tag is killed
  (jobs ending together share one pass over `/proc`);
- a small sidecar process (this file run as a script: stdlib only, so it starts fast) waits on a
  pipe from the server; when the pipe closes, because the server stopped or was killed, it
  kills every process of that server run and removes the run's scripts folder;
- a server restarted on a state file first kills whatever earlier runs on that state left.
Processes that clear their environment escape this; SLURM's proctrack/cgroup would not let
them, but needs privileges a local server does not have.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Set as AbstractSet
from pathlib import Path

ENV = "S3M_SIM_JOB"
PROC = Path("/proc")


def job_tag(run: str, job_id: int) -> str:
    """The tag every process of job `job_id` of server run `run` carries."""
    return f"{run}/{job_id}"


def tagged(tags: AbstractSet[str] = frozenset(), prefix: str = "") -> set[int]:
    """Live processes whose `S3M_SIM_JOB` is one of `tags`, or starts with `prefix` (if given).
    One pass over `/proc` (a few ms for a few hundred processes) whatever the number of tags."""
    needle = f"\0{ENV}=".encode()
    me = os.getpid()
    found: set[int] = set()
    try:
        entries = os.listdir(PROC)
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            with open(PROC / entry / "environ", "rb") as fh:
                data = b"\0" + fh.read()
        except OSError:  # gone, or another user's
            continue
        at = data.find(needle)
        if at < 0:
            continue
        start = at + len(needle)
        stop = data.find(b"\0", start)
        tag = data[start : stop if stop >= 0 else len(data)].decode(errors="replace")
        if tag in tags or (prefix and tag.startswith(prefix)):
            found.add(int(entry))
    return found


def kill_tagged(tags: AbstractSet[str] = frozenset(), prefix: str = "", *, rounds: int = 50) -> int:
    """SIGKILL every process `tagged(tags, prefix)`, again until none is left (one may fork
    while we look). Returns how many were killed."""
    killed = 0
    for _ in range(rounds):
        pids = tagged(tags, prefix)
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
                killed += 1
        time.sleep(0.01)
    return killed


class Sidecar:
    """The process that kills run `run`'s jobs (and removes `scripts`) once this one is gone."""

    def __init__(self, run: str, scripts: Path) -> None:
        self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-I", __file__, run, str(scripts)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C on the server's terminal must not stop it first
        )

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def close(self, timeout: float = 10.0) -> None:
        """Let it do its work now (the server is stopping) and wait for it."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _sidecar(run: str, scripts: str) -> None:
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        while sys.stdin.buffer.read(4096):
            pass  # the server never writes; EOF means it has stopped or died
    kill_tagged(prefix=run + "/")
    shutil.rmtree(scripts, ignore_errors=True)


if __name__ == "__main__":
    _sidecar(sys.argv[1], sys.argv[2])
