"""A simulated job's processes: FIFOs as its files, children that leave with `setsid`, and
processes that outlive a server killed with SIGKILL (real scripts, real processes)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from s3m_grpc.server.sandbox import Sandbox
from s3m_grpc.server.sim import ManualClock, SimBackend
from tests.server.test_sim import ONE_NODE, req, state, until

CWD = "/lustre/polis/stf040/scratch/alice"
# Generous bounds for "does not hang": a frozen loop or a stuck stop never meets them.
PROMPT = 15.0


@pytest.fixture
async def sim(tmp_path: Path) -> AsyncIterator[SimBackend]:
    backend = SimBackend(
        {**ONE_NODE, "partitions": [{"name": "solo", "nodes": "n[1-2]", "default": True}]},
        clock=ManualClock(1_700_000_000),
        sandbox=Sandbox(tmp_path / "sandbox"),
    )
    await backend.start()
    yield backend
    await asyncio.wait_for(backend.close(), PROMPT)


def alive(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting for its parent counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def gone(pid: int, within: float = PROMPT) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        if not alive(pid):
            return True
        await asyncio.sleep(0.05)
    return False


def _pid_in(path: Path) -> int | None:
    text = path.read_text().strip() if path.exists() else ""
    return int(text) if text else None


async def read_pid(path: Path) -> int:
    for _ in range(300):
        pid = _pid_in(path)
        if pid is not None:
            return pid
        await asyncio.sleep(0.02)
    raise AssertionError(f"{path} was never written")


@pytest.mark.parametrize("which", ["standard_input", "standard_output"])
async def test_fifo_as_stdin_or_stdout_blocks_only_its_job(sim: SimBackend, which: str) -> None:
    """Opening a FIFO waits for its other end: that wait is the job's, never the server's."""
    fifo = sim.sandbox.host_path(f"{CWD}/pipe")
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    stuck = await sim.submit(req("#!/bin/sh\ncat\n", **{which: "pipe"}))
    other = await sim.submit(req("#!/bin/sh\necho fine\n"))
    # The server still answers and runs other jobs while nobody opened the pipe.
    await asyncio.wait_for(until(sim, other.job_id, "COMPLETED"), PROMPT)
    assert (await state(sim, stuck.job_id))["state"]["current"] == ["RUNNING"]
    status = await asyncio.wait_for(sim.cancel(stuck.job_id, "SIGKILL", ""), PROMPT)
    assert status["error"]["code"] == 0
    await asyncio.wait_for(until(sim, stuck.job_id, "CANCELLED"), PROMPT)


async def test_fifo_stdin_feeds_the_job_once_opened(sim: SimBackend) -> None:
    fifo = sim.sandbox.host_path(f"{CWD}/feed")
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    res = await sim.submit(req("#!/bin/sh\ntr a-z A-Z\n", standard_input="feed"))

    def feed() -> None:
        with open(fifo, "w") as fh:  # blocks until the job opened its end
            fh.write("through the pipe\n")

    await asyncio.wait_for(asyncio.to_thread(feed), PROMPT)
    await asyncio.wait_for(until(sim, res.job_id, "COMPLETED"), PROMPT)
    out = sim.sandbox.host_path(f"{CWD}/slurm-{res.job_id}.out")
    assert out.read_text() == "THROUGH THE PIPE\n"


async def test_server_stops_with_a_job_blocked_on_a_fifo(tmp_path: Path) -> None:
    backend = SimBackend(ONE_NODE, clock=ManualClock(0), sandbox=Sandbox(tmp_path / "sb"))
    await backend.start()
    fifo = backend.sandbox.host_path(f"{CWD}/out.fifo")
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    res = await backend.submit(req("#!/bin/sh\necho never read\n", standard_output="out.fifo"))
    assert (await state(backend, res.job_id))["state"]["current"] == ["RUNNING"]
    await asyncio.wait_for(backend.close(), PROMPT)


SETSID = (
    "#!/bin/sh\n"
    "setsid sh -c 'echo $$ > escaped.pid; exec sleep 300' &\n"
    "echo $$ > main.pid\n"
    "sleep 300\n"
)


async def test_setsid_child_dies_on_cancel(sim: SimBackend) -> None:
    res = await sim.submit(req(SETSID))
    escaped = await read_pid(sim.sandbox.host_path(f"{CWD}/escaped.pid"))
    main = await read_pid(sim.sandbox.host_path(f"{CWD}/main.pid"))
    assert os.getpgid(escaped) != os.getpgid(main)  # really out of the job's process group
    await sim.cancel(res.job_id, "", "")
    assert await gone(main)
    assert await gone(escaped)


async def test_setsid_child_dies_when_the_job_ends(sim: SimBackend) -> None:
    script = "#!/bin/sh\nsetsid sh -c 'echo $$ > escaped.pid; exec sleep 300' &\nsleep 0.3\n"
    res = await sim.submit(req(script))
    escaped = await read_pid(sim.sandbox.host_path(f"{CWD}/escaped.pid"))
    await until(sim, res.job_id, "COMPLETED")
    assert await gone(escaped)


async def test_setsid_child_dies_on_stop(tmp_path: Path) -> None:
    backend = SimBackend(ONE_NODE, clock=ManualClock(0), sandbox=Sandbox(tmp_path / "sb"))
    await backend.start()
    await backend.submit(req(SETSID))
    escaped = await read_pid(backend.sandbox.host_path(f"{CWD}/escaped.pid"))
    await asyncio.wait_for(backend.close(), PROMPT)
    assert not alive(escaped)
