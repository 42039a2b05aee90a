"""`s3m serve` killed with SIGKILL under load, then restarted on the same state file: no job
lost, no job id reused, no job process left running by the killed server."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import time
from pathlib import Path

import pytest

from s3m_grpc import AsyncClient as Client
from s3m_grpc.errors import S3MError
from s3m_grpc.states import JobState
from tests.server.serve_process import Served, serve

WORKERS = 8
ENV = {"PATH": "/usr/bin:/bin"}


def client(srv: Served) -> Client:
    return Client(
        "odo",
        version="v0.0.44",
        transport="grpc",
        token=srv.token,
        endpoint=srv.grpc_target,
        rest_url=srv.rest_url,
        plaintext=True,
        retry=False,
    )


def processes_with(marker: str) -> list[int]:
    """Live processes whose command line holds `marker` (zombies excluded)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if marker.encode() in cmdline and stat.rsplit(")", 1)[1].split()[0] != "Z":
            found.append(int(entry))
    return found


async def none_left(marker: str, within: float = 20.0) -> list[int]:
    """The processes with `marker` still alive after up to `within` seconds."""
    end = time.monotonic() + within
    for _ in range(int(within * 10)):
        left = processes_with(marker)
        if not left or time.monotonic() > end:
            return left
        await asyncio.sleep(0.1)
    return processes_with(marker)


@pytest.mark.timeout(240)
async def test_sigkill_under_load_then_restart_loses_and_reuses_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    # A sleep length no other process has: finds this test's job processes in /proc.
    marker = f"600.{secrets.randbelow(10**6):06d}"
    long_job, short_job = f"#!/bin/sh\nsleep {marker}\n", "#!/bin/sh\ntrue\n"
    srv = serve(tmp_path, "", "--state", str(state))
    acknowledged: set[int] = set()
    stop = asyncio.Event()

    async def worker(n: int) -> None:
        async with client(srv) as c:
            i = 0
            while not stop.is_set():
                i += 1
                script = long_job if (n + i) % 3 == 0 else short_job
                try:
                    acknowledged.add((await c.submit(script, env=ENV, timeout=10)).job_id)
                    await c.get_job(max(acknowledged), timeout=10)
                except S3MError:
                    if stop.is_set():
                        return
                    raise

    try:
        tasks = [asyncio.create_task(worker(n)) for n in range(WORKERS)]
        while len(acknowledged) < 60 or not processes_with(marker):
            await asyncio.sleep(0.05)
            assert not any(t.done() for t in tasks), [t.exception() for t in tasks if t.done()]
        running_at_kill = len(processes_with(marker))
        srv.process.send_signal(signal.SIGKILL)  # mid-load: calls are in flight
        stop.set()
        await asyncio.gather(*tasks)
        srv.process.communicate(timeout=30)
    finally:
        if srv.process.poll() is None:
            srv.process.kill()
            srv.process.communicate(timeout=30)
    assert running_at_kill > 0
    # The killed server's job processes do not outlive it.
    assert await none_left(marker) == []

    again = serve(tmp_path, "", "--state", str(state))
    try:
        async with client(again) as c:
            listed = await c.list_jobs(timeout=30)
            ids = [j.job_id for j in listed]
            assert len(ids) == len(set(ids))
            assert acknowledged <= set(ids)  # no job lost
            # Submits cut off by the kill may or may not have been stored: one per worker at most.
            assert len(set(ids) - acknowledged) <= WORKERS
            failed = [j for j in listed if j.state == JobState.NODE_FAIL]
            assert failed, "the jobs running at the kill end NODE_FAIL"
            for job in failed:
                assert job.reason == "NodeDown"
                description = str(getattr(job.raw, "state_description", ""))
                assert "server died while the job ran" in description
            fresh = [(await c.submit(short_job, env=ENV)).job_id for _ in range(5)]
            assert min(fresh) > max(ids)  # no id handed out twice
    finally:
        assert again.stop() == 0
    assert await none_left(marker) == []


def children_of(pid: int) -> list[tuple[int, str]]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append((int(entry), cmdline.replace(b"\0", b" ").decode(errors="replace")))
    return out


@pytest.mark.timeout(120)
async def test_a_restart_reaps_what_a_killed_server_and_its_sidecar_left(tmp_path: Path) -> None:
    """Even with the sidecar killed too (`kill -9` of everything but the jobs), the next server
    on the same state kills the old jobs' processes before it runs anything."""
    state = tmp_path / "state.sqlite"
    marker = f"600.{secrets.randbelow(10**6):06d}"
    srv = serve(tmp_path, "", "--state", str(state))
    try:
        async with client(srv) as c:
            job_id = (await c.submit(f"#!/bin/sh\nsleep {marker}\n", env=ENV)).job_id
        for _ in range(200):
            if processes_with(marker):
                break
            await asyncio.sleep(0.05)
        (sidecar,) = [pid for pid, cmd in children_of(srv.process.pid) if "reaper.py" in cmd]
        os.kill(sidecar, signal.SIGKILL)
        srv.process.send_signal(signal.SIGKILL)
        srv.process.communicate(timeout=30)
    finally:
        if srv.process.poll() is None:
            srv.process.kill()
            srv.process.communicate(timeout=30)
    await asyncio.sleep(0.5)
    assert processes_with(marker), "with its sidecar gone too, the job outlives the server"
    again = serve(tmp_path, "", "--state", str(state))
    try:
        assert await none_left(marker, within=5) == []
        async with client(again) as c:
            job = await c.get_job(job_id)
            assert job.state == JobState.NODE_FAIL
    finally:
        assert again.stop() == 0
