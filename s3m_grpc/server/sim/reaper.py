"""Making a job's processes end with the job, and every job's processes end with the server.

A batch script runs in a process group of its own, but what it starts with `setsid` leaves that
group, and nothing in the group hears of a server killed with SIGKILL. So every job process
carries `S3M_SIM_JOB=<run>/<job id>` in its environment (inherited by all it starts, `setsid`
or not), and processes are found by that tag in `/proc`:
- when a job ends (completed, cancelled, timed out), whatever still carries its tag is killed;
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
from pathlib import Path

ENV = "S3M_SIM_JOB"
PROC = Path("/proc")


def job_tag(run: str, job_id: int) -> str:
    """The tag every process of job `job_id` of server run `run` carries."""
    return f"{run}/{job_id}"


def tagged(prefix: str) -> set[int]:
    """Live processes whose `S3M_SIM_JOB` starts with `prefix` (an exact tag: end it in NUL
    by passing `exact=True` to `kill_tagged`)."""
    needle = f"\0{ENV}={prefix}".encode()
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
                data = fh.read()
        except OSError:  # gone, or another user's
            continue
        if needle in b"\0" + data:
            found.add(int(entry))
    return found


def kill_tagged(tag: str, *, exact: bool = False, rounds: int = 50) -> int:
    """SIGKILL every process tagged `tag` (exact) or with a tag starting with `tag`, again until
    none is left (one may fork while we look). Returns how many were killed."""
    prefix = tag + "\0" if exact else tag
    killed = 0
    for _ in range(rounds):
        pids = tagged(prefix)
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
    kill_tagged(run + "/")
    shutil.rmtree(scripts, ignore_errors=True)


if __name__ == "__main__":
    _sidecar(sys.argv[1], sys.argv[2])
