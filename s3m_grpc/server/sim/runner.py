"""Running a batch script for real: its own process group, its cwd, its environment and files."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Mapping
from pathlib import Path

# The job's files are opened by the job's own process, as slurmstepd does, never by the server:
# opening a FIFO waits for its other end, and that wait must block this job only (until someone
# opens the pipe, or the job is cancelled), not the server's event loop.
_OPEN_FILES_THEN_RUN = (
    'exec 0<"$1" 1>>"$2" || exit 1; '
    'if [ "$3" = "$2" ]; then exec 2>&1; else exec 2>>"$3" || exit 1; fi; '
    'exec "$4"'
)


async def launch(
    script: Path,
    cwd: Path,
    env: Mapping[str, str],
    stdout: Path,
    stderr: Path,
    stdin: Path | None,
) -> asyncio.subprocess.Process:
    """Start `script` in a new session (so signals reach everything it starts in its group),
    its stdin/stdout/stderr opened by the new process itself (see `_OPEN_FILES_THEN_RUN`)."""
    for path in {stdout, stderr}:
        path.parent.mkdir(parents=True, exist_ok=True)
    return await asyncio.create_subprocess_exec(
        "/bin/sh",
        "-c",
        _OPEN_FILES_THEN_RUN,
        "s3m-job",
        str(stdin) if stdin is not None else os.devnull,
        str(stdout),
        str(stderr),
        str(script),
        cwd=str(cwd),
        env=dict(env),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
        start_new_session=True,
    )


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
