"""Running a batch script for real: its own process group, its cwd, its environment and files."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Mapping
from pathlib import Path
from typing import IO


async def launch(
    script: Path,
    cwd: Path,
    env: Mapping[str, str],
    stdout: Path,
    stderr: Path,
    stdin: Path | None,
) -> asyncio.subprocess.Process:
    """Start `script` in a new session (so signals reach everything it starts)."""
    out, err, inp = _open(stdout, stderr, stdin)
    try:
        return await asyncio.create_subprocess_exec(
            str(script),
            cwd=str(cwd),
            env=dict(env),
            stdin=inp if inp is not None else asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    finally:
        out.close()
        if err is not out:
            err.close()
        if inp is not None:
            inp.close()


def _open(
    stdout: Path, stderr: Path, stdin: Path | None
) -> tuple[IO[bytes], IO[bytes], IO[bytes] | None]:
    """Open the job's files (created as SLURM does, appending); the child inherits them."""
    for path in {stdout, stderr}:
        path.parent.mkdir(parents=True, exist_ok=True)
    out = open(stdout, "ab")  # noqa: SIM115  (closed by the caller once the child has it)
    err = out if stderr == stdout else open(stderr, "ab")  # noqa: SIM115
    inp = open(stdin, "rb") if stdin is not None else None  # noqa: SIM115
    return out, err, inp


def signal_group(proc: asyncio.subprocess.Process, sig: int) -> bool:
    """Send `sig` to the script's whole process group; False if it is already gone."""
    if proc.returncode is not None:
        return False
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return False
    return True


async def terminate(proc: asyncio.subprocess.Process, grace: float) -> None:
    """SIGTERM the group, then SIGKILL after `grace` seconds (SLURM's KillWait)."""
    if not signal_group(proc, signal.SIGTERM):
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(proc.wait(), grace)
        return
    signal_group(proc, signal.SIGKILL)


def write_script(directory: Path, job_id: int, text: str) -> Path:
    """The batch script as an executable file; no shebang → run by /bin/sh like sbatch."""
    if not text.startswith("#!"):
        text = "#!/bin/sh\n" + text
    path = directory / f"job{job_id}.sh"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o700)
    return path
