"""`SimBackend`: the in-process simulated SLURM behind the local server (no services needed)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from s3m_grpc.server.backend import JSON, Backend, SubmitRequest, SubmitResult
from s3m_grpc.server.sandbox import Sandbox
from s3m_grpc.server.sim import cluster as cl
from s3m_grpc.server.sim import diag
from s3m_grpc.server.sim.clock import Clock, SystemClock
from s3m_grpc.server.sim.engine import Engine
from s3m_grpc.server.sim.state import StateFile


class SimBackend(Backend):
    """A simulated cluster (see `s3m_grpc.server.sim.cluster` for the options).

    Options beyond the cluster's: `first_job_id` (1), `kill_wait` seconds between SIGTERM and
    SIGKILL (2), `tick_interval` seconds between scheduler passes (0.2; 0 = only on calls),
    `min_job_age` seconds a finished job stays in GetJobs (300, like slurmctld's MinJobAge),
    `accounting_delay` seconds after submit before GetJob finds the job (0; slurmdbd lags on
    real clusters).
    `state`: a SQLite file keeping jobs and the next job id across restarts
    (`s3m_grpc.server.sim.state`); None keeps them in memory only.
    `clock` is injectable (as the keyword, or as `options["clock"]` when the server builds the
    backend from `ServerConfig.backend_options`): with a `ManualClock`, time limits, begin times
    and timestamps move only when the test advances it.
    """

    name = "sim"

    def __init__(
        self,
        options: Mapping[str, Any] | None = None,
        *,
        clock: Clock | None = None,
        sandbox: Sandbox | None = None,
        state: str | Path | None = None,
    ) -> None:
        opts = dict(options or {})
        given = opts.pop("clock", None)  # a Clock object passed in-process (tests)
        self.clock: Clock = clock or (given if hasattr(given, "now") else None) or SystemClock()
        self._own_sandbox = sandbox is None
        self.sandbox = sandbox or Sandbox()
        self.cluster = cl.from_options(opts, self.clock.now())
        self.store = StateFile(state) if state is not None else None
        try:
            self.engine = Engine(
                self.cluster,
                self.clock,
                self.sandbox,
                first_job_id=int(opts.get("first_job_id", 1)),
                kill_wait=float(opts.get("kill_wait", 2.0)),
                store=self.store,
            )
        except BaseException:
            if self.store is not None:
                self.store.close()
            raise
        self.tick_interval = float(opts.get("tick_interval", 0.2))
        self.min_job_age = float(opts.get("min_job_age", 300))
        self.accounting_delay = float(opts.get("accounting_delay", 0))
        self._ticker: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"SimBackend(cluster={self.cluster.name!r}, jobs={len(self.engine.jobs)})"

    async def start(self) -> None:
        self.engine.start()
        if self.tick_interval > 0 and self._ticker is None:
            self._ticker = asyncio.get_running_loop().create_task(self._tick_forever())

    async def close(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        await self.engine.close()
        if self.store is not None:
            self.store.close()
        if self._own_sandbox:
            self.sandbox.close()

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.tick_interval)
            self.engine.tick()

    def _rpc(self, name: str, user: str = "root") -> None:
        self.engine.stats.rpcs[name] += 1
        self.engine.stats.rpcs_by_user[user] += 1
        self.engine.tick()

    # --- Backend ---------------------------------------------------------------------------

    async def meta(self) -> JSON:
        return cl.meta(self.cluster)

    async def ping(self) -> list[JSON]:
        self._rpc("REQUEST_PING")
        return [
            {
                "hostname": socket.gethostname() or "localhost",
                "pinged": "UP",
                "latency": 42,
                "mode": "primary",
            }
        ]

    async def diag(self) -> JSON:
        self._rpc("REQUEST_STATS_INFO")
        pending, running = self.engine.counts()
        return diag.statistics(
            self.engine.stats,
            pending,
            running,
            len(self.engine.jobs),
            int(self.clock.now()),
            int(self.engine.started_at),
        )

    async def partitions(self) -> list[JSON]:
        self._rpc("REQUEST_PARTITION_INFO")
        now = self.clock.now()
        return [cl.partition_dict(self.cluster, p, now) for p in self.cluster.partitions.values()]

    async def nodes(self) -> list[JSON]:
        self._rpc("REQUEST_NODE_INFO")
        now = self.clock.now()
        out = []
        for name in self.cluster.node_names():
            state, cpus, mem, reason = self.engine.node_state(name)
            out.append(cl.node_dict(self.cluster, name, state, cpus, mem, reason, now))
        return out

    async def reservations(self) -> list[JSON]:
        self._rpc("REQUEST_RESERVATION_INFO")
        out = []
        for r in self.cluster.reservations:
            cpus = self.cluster.node_spec(r.nodes[0]).cpus_per_node if r.nodes else 0
            out.append(cl.reservation_dict(r, cpus))
        return out

    async def jobs(self) -> list[JSON]:
        self._rpc("REQUEST_JOB_INFO")
        now = self.clock.now()
        uid, gid = self.engine.uid, self.engine.gid
        # Like slurmctld's MinJobAge: finished jobs leave the queue after a while (they stay
        # in accounting, i.e. GetJob).
        return [
            j.controller_dict(self.cluster.name, now, uid, gid)
            for j in self.engine.jobs.values()
            if j.end_time is None or now - j.end_time < self.min_job_age
        ]

    async def job(self, job_id: int) -> list[JSON]:
        self._rpc("DBD_GET_JOBS_COND")
        job = self.engine.get(job_id, "slurmdb_jobs_get")
        now = self.clock.now()
        if now - job.submit_time < self.accounting_delay:
            # slurmdbd learns of a job a moment after slurmctld: "not found" right after submit.
            raise self.engine.not_found(job_id, "slurmdb_jobs_get")
        return [job.accounting_dict(self.cluster.name, now)]

    async def submit(self, request: SubmitRequest) -> SubmitResult:
        self._rpc("REQUEST_SUBMIT_BATCH_JOB", request.caller.user)
        job = self.engine.submit(request)
        self.engine.tick()
        return SubmitResult(job_id=job.job_id, step_id="batch")

    async def cancel(self, job_id: int, signal: str, flags: str) -> JSON:
        self._rpc("REQUEST_KILL_JOB")
        return await self.engine.cancel(job_id, signal, flags, user="")

    async def owner(self, job_id: int) -> tuple[str, str] | None:
        job = self.engine.jobs.get(job_id)
        return None if job is None else (job.group, job.user)
