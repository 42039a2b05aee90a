"""The simulated controller: queue, node allocation, state changes, real script runs.

`tick()` applies the clock: pending jobs start (first fit, in submit order) when whole nodes
are free and their begin time has come; running jobs past their time limit become TIMEOUT and
are killed. A script's exit makes its job COMPLETED (exit 0) or FAILED. Cancelling makes a job
CANCELLED at once and kills its processes (SIGTERM, then SIGKILL after `kill_wait`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import shutil
import signal as _signal
import tempfile
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from s3m_grpc.errors import ErrorEntry, InvalidRequestError, NotFoundError
from s3m_grpc.server.backend import JSON, SubmitRequest
from s3m_grpc.server.sandbox import Sandbox
from s3m_grpc.server.sim import reaper, runner, validate
from s3m_grpc.server.sim.clock import Clock
from s3m_grpc.server.sim.cluster import Cluster
from s3m_grpc.server.sim.jobs import (
    CANCELLED,
    COMPLETED,
    FAILED,
    NODE_FAIL,
    PENDING,
    RUNNING,
    TIMEOUT,
    SimJob,
)
from s3m_grpc.server.sim.state import StateFile

log = logging.getLogger(__name__)

REAP_EVERY = 0.1  # seconds: how often leftovers of ended jobs are looked for
ESLURM_INVALID_JOB_ID = 2017
ESLURM_ALREADY_DONE = 2021
ESLURM_JOB_PENDING = 2024
ESLURM_REST_FAIL_PARSING = 9001  # slurmrestd: a query parameter it cannot parse
CANCEL_SIGNALS = frozenset({_signal.SIGKILL, _signal.SIGTERM})
KILL_FLAGS = frozenset(
    {
        "",
        "BATCH_JOB",
        "ARRAY_TASK",
        "FULL_STEPS_ONLY",
        "FULL_JOB",
        "FEDERATION_REQUEUE",
        "HURRY",
        "OUT_OF_MEMORY",
        "NO_SIBLING_KILL",
        "RESERVATION_JOB",
        "VERBOSE",
        "CRON",
        "WARNING_SENT",
    }
)


@dataclass(slots=True)
class Stats:
    """sdiag counters."""

    submitted: int = 0
    started: int = 0
    completed: int = 0
    canceled: int = 0
    failed: int = 0
    cycles: int = 0
    rpcs: Counter[str] = field(default_factory=Counter)
    rpcs_by_user: Counter[str] = field(default_factory=Counter)


class Engine:
    """State of every job and node of the simulated cluster."""

    def __init__(
        self,
        cluster: Cluster,
        clock: Clock,
        sandbox: Sandbox,
        *,
        first_job_id: int = 1,
        kill_wait: float = 2.0,
        store: StateFile | None = None,
    ) -> None:
        self.cluster = cluster
        self.clock = clock
        self.sandbox = sandbox
        self.kill_wait = kill_wait
        self.jobs: dict[int, SimJob] = {}
        self.stats = Stats()
        self.started_at = clock.now()
        self._next_id = first_job_id
        self._store = store
        self._dirty: set[int] = set()  # ids of jobs changed since the last save
        if store is not None:
            stored_next, stored = store.load()
            self.jobs = {job.job_id: job for job in stored}
            self._next_id = max(first_job_id, stored_next)
        self._busy: dict[str, int] = {}  # node -> job id
        self._procs: dict[int, asyncio.subprocess.Process] = {}
        self._waiters: set[asyncio.Task[None]] = set()
        self._scripts = _scripts_folder(store)
        # Every job process carries its tag (`reaper`); `run` names this server run, under
        # `lineage` (the state file's id: a restart reaps what earlier runs left).
        self.lineage = store.lineage if store is not None else secrets.token_hex(8)
        self.run = f"{self.lineage}.{secrets.token_hex(4)}"
        self._sidecar: reaper.Sidecar | None = None
        self._ended: set[str] = set()  # tags of ended jobs whose leftovers are to be killed
        self._reaping: asyncio.Task[None] | None = None
        self.uid = os.getuid()
        self.gid = os.getgid()

    def start(self) -> None:
        """Kill what earlier runs on this state left behind, then start the sidecar that kills
        this run's job processes if the server dies (`reaper`)."""
        left = reaper.kill_tagged(prefix=self.lineage + ".")
        if left:
            log.warning("killed %d process(es) a previous server left running", left)
        if self._sidecar is None:
            self._sidecar = reaper.Sidecar(self.run, self._scripts)
        # Jobs that were running when a previous server died: their processes are gone.
        for job in self.jobs.values():
            if job.state == RUNNING:
                self._finish(job, NODE_FAIL, "NodeDown", SERVER_DIED)
        self._save()

    def _save(self) -> None:
        """Write every job changed since the last save, and the next job id, to the state."""
        if self._store is None or not self._dirty:
            return
        changed = [self.jobs[i] for i in sorted(self._dirty) if i in self.jobs]
        self._dirty.clear()
        self._store.save(changed, self._next_id)

    # --- submit / cancel ----------------------------------------------------------------

    def submit(self, req: SubmitRequest) -> SimJob:
        """Queue a job (several `jobs` entries: a heterogeneous job, one id per component).

        Every component is validated before any id is used, so a refused submit queues
        nothing. Returns the (leader) job."""
        if not req.jobs:
            raise InvalidRequestError("no job description to submit")
        first = self._next_id
        jobs = [self._make(req, desc, first + i) for i, desc in enumerate(req.jobs)]
        if len(jobs) > 1:
            for offset, job in enumerate(jobs):
                job.het_leader, job.het_offset, job.het_size = first, offset, len(jobs)
        self._next_id += len(jobs)
        for job in jobs:
            self.jobs[job.job_id] = job
            self._dirty.add(job.job_id)
        self.stats.submitted += len(jobs)
        self._save()  # before the id is reported: a crash must not hand it out again
        return jobs[0]

    def _make(self, req: SubmitRequest, desc: JSON, job_id: int) -> SimJob:
        spec = validate.partition(self.cluster, desc)
        account = validate.account(self.cluster, desc, req.caller)
        nodes = validate.node_count(spec, desc)
        limit = validate.time_limit(spec, desc)
        tasks, cpus_per_task = validate.tasks_and_cpus(spec, desc)
        resv = validate.reservation(self.cluster, desc)
        cwd = str(desc.get("current_working_directory") or "")
        host_cwd = self.sandbox.directory(cwd or None)
        if not cwd:
            cwd = str(host_cwd)
        now = self.clock.now()
        begin = desc.get("begin_time") or {}
        job = SimJob(
            job_id=job_id,
            name=str(desc.get("name") or "sbatch"),
            account=account,
            partition=spec.name,
            user=req.caller.user,
            group=req.caller.project,
            script=req.script,
            environment=[str(e) for e in desc.get("environment", [])],
            cwd=cwd,
            host_cwd=host_cwd,
            stdout=str(desc.get("standard_output") or ""),
            stderr=str(desc.get("standard_error") or ""),
            stdin=str(desc.get("standard_input") or ""),
            node_count=nodes,
            tasks=tasks,
            cpus_per_task=cpus_per_task,
            time_limit=limit,
            submit_time=now,
            begin_time=float(begin["number"]) if begin.get("set") else now,
            comment=str(desc.get("comment") or ""),
            qos=str(desc.get("qos") or "normal"),
            reservation=resv,
            submit_line="sbatch (s3m)",
            with_storage=req.with_storage,
        )
        # Paths are checked now, so a bad path is a refused submit, not a failed job.
        for path in (job.stdout_path(), job.stderr_path()):
            self.sandbox.host_path(path, host_cwd)
        if job.stdin:
            self.sandbox.host_path(job.stdin_path(), host_cwd)
        return job

    def components(self, job: SimJob) -> list[SimJob]:
        """A het job's components in offset order ([job] for an ordinary job)."""
        if not job.het_leader:
            return [job]
        return [self.jobs[job.het_leader + i] for i in range(job.het_size)]

    def get(self, job_id: int, source: str) -> SimJob:
        job = self.jobs.get(job_id)
        if job is None:
            raise self.not_found(job_id, source)
        return job

    @staticmethod
    def not_found(job_id: int, source: str) -> NotFoundError:
        return NotFoundError(
            f"job {job_id} not found",
            errors=[
                ErrorEntry(
                    ESLURM_INVALID_JOB_ID,
                    "Invalid job id specified",
                    source,
                    f"Unable to find JobId={job_id}",
                )
            ],
        )

    async def cancel(self, job_id: int, signal: str, flags: str, user: str) -> JSON:
        job = self.get(job_id, "slurm_kill_job")
        sig = parse_signal(signal)
        for flag in (f.strip().upper() for f in flags.replace("|", ",").split(",")):
            if flag not in KILL_FLAGS:
                raise InvalidRequestError(
                    f"unknown flag {flag!r}; known flags: {', '.join(sorted(KILL_FLAGS - {''}))}",
                    errors=[
                        ErrorEntry(
                            ESLURM_REST_FAIL_PARSING,
                            "Failure during parsing",
                            "slurm_kill_job",
                            f"Unknown flag {flag}",
                        )
                    ],
                )
        status: JSON = {
            "error": {"string": "No error", "code": 0, "message": ""},
            "step_id": "batch" if "BATCH_JOB" in flags.upper() else "",
            "job_id": {"set": True, "infinite": False, "number": job_id},
            "federation": {"sibling": ""},
        }
        if job.finished:
            text = "Job/step already completing or completed"
            status["error"] = {
                "string": text,
                "code": ESLURM_ALREADY_DONE,
                "message": f"JobId={job_id}: {text}",
            }
            return status
        if job.het_leader:
            job = self.jobs[job.het_leader]  # a het job is cancelled as a whole
        job.kill_user = user
        self._dirty.add(job.job_id)
        proc = self._procs.get(job.job_id)
        if job.state == PENDING and sig not in CANCEL_SIGNALS:
            # Only cancelling reaches a job that has not started: nothing runs to signal.
            text = "Job is pending execution"
            status["error"] = {
                "string": text,
                "code": ESLURM_JOB_PENDING,
                "message": f"JobId={job_id}: {text}",
            }
            return status
        if sig in CANCEL_SIGNALS:
            self._finish(job, CANCELLED, "None")
            if proc is not None:
                task = asyncio.get_running_loop().create_task(self._kill(proc, sig))
                self._waiters.add(task)
                task.add_done_callback(self._waiters.discard)
        elif proc is not None:
            runner.signal_group(proc, sig)
        self.tick()
        return status

    async def _kill(self, proc: asyncio.subprocess.Process, sig: int) -> None:
        if sig == _signal.SIGKILL:
            runner.signal_group(proc, _signal.SIGKILL)
        else:
            await runner.terminate(proc, self.kill_wait)

    # --- the clock ----------------------------------------------------------------------

    def tick(self) -> None:
        """Apply the clock: time limits, then start what fits."""
        now = self.clock.now()
        self.stats.cycles += 1
        for job in self.jobs.values():
            if job.state == RUNNING and _is_leader(job) and _past_limit(job, now):
                self._finish(job, TIMEOUT, "TimeLimit")
                proc = self._procs.get(job.job_id)
                if proc is not None:
                    task = asyncio.get_running_loop().create_task(
                        runner.terminate(proc, self.kill_wait)
                    )
                    self._waiters.add(task)
                    task.add_done_callback(self._waiters.discard)
        blocked = False
        taken: set[str] = set()
        # Nodes only get taken during a pass, so a single-component job that did not fit
        # means the same for every later one of that shape: remember why (thousands of
        # pending jobs under load would otherwise each scan the partition, on every call).
        no_fit: dict[tuple[str, str, int], str] = {}
        for job in self.jobs.values():
            if job.state != PENDING or not _is_leader(job):
                continue
            if job.begin_time > now:
                job.reason = "BeginTime"
                continue
            parts = self.components(job)
            chosen: list[list[str]] = []
            reason = "None"
            shape = (job.partition, job.reservation, job.node_count)
            if len(parts) == 1 and shape in no_fit:
                parts[0].reason = "Priority" if no_fit[shape] == "Resources" else no_fit[shape]
                blocked = blocked or no_fit[shape] == "Resources"
                continue
            for part in parts:
                nodes, reason = self._free_nodes(part, taken | {n for c in chosen for n in c})
                if nodes is None:
                    if len(parts) == 1:
                        no_fit[shape] = reason
                    break
                chosen.append(nodes)
            if len(chosen) < len(parts):
                if reason == "Resources" and blocked:
                    reason = "Priority"
                for part in parts:
                    part.reason = reason
                blocked = blocked or reason == "Resources"
                continue
            for part, nodes in zip(parts, chosen, strict=True):
                self._start(part, nodes, now, launch=part is job)
                taken.update(nodes)
        self._save()

    def _free_nodes(self, job: SimJob, taken: AbstractSet[str]) -> tuple[list[str] | None, str]:
        """Nodes for `job` now, or None and the pending reason SLURM would give."""
        spec = self.cluster.partitions[job.partition]
        now = self.clock.now()
        active = [r for r in self.cluster.reservations if r.start <= now < r.end]
        pool: list[str] = list(spec.nodes)
        if job.reservation:
            resv = [r for r in active if r.name == job.reservation]
            if not resv:
                return None, "Reservation"  # not started yet (or over)
            pool = [n for n in pool if n in resv[0].nodes]
        reserved = {n for r in active if r.name != job.reservation for n in r.nodes}
        usable = [n for n in pool if n not in reserved]
        free = [n for n in usable if n not in self._busy and n not in taken]
        if len(free) >= job.node_count:
            return free[: job.node_count], "None"
        if len(usable) < job.node_count:
            return None, "ReqNodeNotAvail, Reserved for maintenance"
        return None, "Resources"

    def _start(self, job: SimJob, nodes: list[str], now: float, *, launch: bool = True) -> None:
        job.state, job.reason, job.start_time, job.nodes = RUNNING, "None", now, nodes
        self._dirty.add(job.job_id)
        for n in nodes:
            self._busy[n] = job.job_id
        self.stats.started += 1
        if not launch:  # a het job's script runs once, in its first component
            return
        task = asyncio.get_running_loop().create_task(self._run(job))
        self._waiters.add(task)
        task.add_done_callback(self._waiters.discard)

    async def _run(self, job: SimJob) -> None:
        try:
            script = runner.write_script(self._scripts, job.job_id, job.script)
            stdout = self.sandbox.host_path(job.stdout_path(), job.host_cwd)
            stderr = self.sandbox.host_path(job.stderr_path(), job.host_cwd)
            stdin = self.sandbox.host_path(job.stdin_path(), job.host_cwd) if job.stdin else None
            proc = await runner.launch(script, job.host_cwd, self._env(job), stdout, stderr, stdin)
        except Exception as exc:
            log.warning("job %s failed to launch: %s", job.job_id, exc)
            if job.state == RUNNING:
                job.exit_status = 1
                self._finish(job, FAILED, "JobLaunchFailure")
                self._save()
            return
        self._procs[job.job_id] = proc
        if job.state != RUNNING:  # cancelled or timed out while launching
            await runner.terminate(proc, self.kill_wait)
        rc = await proc.wait()
        self._procs.pop(job.job_id, None)
        self._reap(job)
        if rc < 0:
            job.exit_signal, job.exit_status = -rc, 0
        else:
            job.exit_status = rc
        self._dirty.add(job.job_id)
        if job.state == RUNNING:
            if rc == 0:
                self._finish(job, COMPLETED, "None")
            else:
                self._finish(job, FAILED, "NonZeroExitCode")
        self._save()
        with contextlib.suppress(OSError):
            script.unlink()

    def _env(self, job: SimJob) -> dict[str, str]:
        env: dict[str, str] = {}
        for item in job.environment:
            key, sep, value = item.partition("=")
            if sep and key:
                env[key] = value
        env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
        env.update(
            {
                "SLURM_JOB_ID": str(job.job_id),
                "SLURM_JOBID": str(job.job_id),
                "SLURM_JOB_NAME": job.name,
                "SLURM_JOB_ACCOUNT": job.account,
                "SLURM_JOB_PARTITION": job.partition,
                "SLURM_JOB_USER": job.user,
                "SLURM_JOB_NODELIST": ",".join(job.nodes),
                "SLURM_JOB_NUM_NODES": str(len(job.nodes)),
                "SLURM_NNODES": str(len(job.nodes)),
                "SLURM_NTASKS": str(job.tasks),
                "SLURM_CPUS_PER_TASK": str(job.cpus_per_task),
                "SLURM_CLUSTER_NAME": self.cluster.name,
                "SLURM_SUBMIT_DIR": job.cwd,
                "SLURMD_NODENAME": job.nodes[0] if job.nodes else "",
                reaper.ENV: self._tag(job),
            }
        )
        return env

    def _reap(self, job: SimJob) -> None:
        """Kill what the job's script left running (in its group, or escaped with `setsid`).
        Jobs that end within `REAP_EVERY` seconds of each other share one pass over /proc."""
        self._ended.add(self._tag(job))
        if self._reaping is None or self._reaping.done():
            self._reaping = asyncio.get_running_loop().create_task(self._reap_ended())

    async def _reap_ended(self) -> None:
        while self._ended:
            await asyncio.sleep(REAP_EVERY)
            tags, self._ended = frozenset(self._ended), set()
            await asyncio.to_thread(reaper.kill_tagged, tags)

    def _tag(self, job: SimJob) -> str:
        return reaper.job_tag(self.run, job.job_id)

    def _finish(self, job: SimJob, state: str, reason: str, description: str = "") -> None:
        """End a job (and every component of a het job) in `state`; count it; free nodes."""
        now = self.clock.now()
        for part in self.components(job):
            if part.finished:
                continue
            part.state, part.reason, part.end_time = state, reason, now
            part.description = description
            self._dirty.add(part.job_id)
            if part.start_time is None and state != CANCELLED:
                part.start_time = now
            if part is not job:
                part.exit_status, part.exit_signal = job.exit_status, job.exit_signal
            for n in part.nodes:
                if self._busy.get(n) == part.job_id:
                    del self._busy[n]
            if state == COMPLETED:
                self.stats.completed += 1
            elif state == CANCELLED:
                self.stats.canceled += 1
            else:
                self.stats.failed += 1

    # --- views ---------------------------------------------------------------------------

    def node_state(self, name: str) -> tuple[list[str], int, int, str]:
        """(state flags, allocated cpus, allocated memory MB, reason) of one node."""
        now = self.clock.now()
        spec = self.cluster.node_spec(name)
        flags: list[str] = []
        resv = [r for r in self.cluster.reservations if name in r.nodes and r.start <= now < r.end]
        job_id = self._busy.get(name)
        if job_id is not None:
            flags, cpus, mem = ["ALLOCATED"], spec.cpus_per_node, spec.memory_mb
        else:
            flags, cpus, mem = ["IDLE"], 0, 0
        if resv:
            flags.append("RESERVED")
            if "MAINT" in resv[0].flags:
                flags.append("MAINTENANCE")
        return flags, cpus, mem, ""

    def counts(self) -> tuple[int, int]:
        pending = sum(1 for j in self.jobs.values() if j.state == PENDING)
        running = sum(1 for j in self.jobs.values() if j.state == RUNNING)
        return pending, running

    async def close(self) -> None:
        """Kill every running script and wait for them; their jobs end as NODE_FAIL."""
        for job in self.jobs.values():
            if job.state == RUNNING and _is_leader(job):
                self._finish(job, NODE_FAIL, "NodeDown", SERVER_STOPPED)
        self._save()
        for proc in list(self._procs.values()):
            runner.signal_group(proc, _signal.SIGKILL)
        for proc in list(self._procs.values()):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(proc.wait(), 5)
        for task in list(self._waiters):
            task.cancel()
        for task in list(self._waiters):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._procs.clear()
        if self._reaping is not None:
            self._reaping.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reaping
        reaper.kill_tagged(prefix=self.run + "/")
        if self._sidecar is not None:
            self._sidecar.close()
            self._sidecar = None
        for f in self._scripts.glob("*"):
            with contextlib.suppress(OSError):
                f.unlink()
        with contextlib.suppress(OSError):
            self._scripts.rmdir()


def _scripts_folder(store: StateFile | None) -> Path:
    """Where this run writes its job scripts: a temp folder, or with a state file a folder
    beside it, emptied first of what earlier runs left (the state's lock says none still runs)."""
    if store is None:
        return Path(tempfile.mkdtemp(prefix="s3m-sim-scripts-"))
    parent = store.path.with_name(f"{store.path.stem}-scripts")
    if parent.is_dir():
        for old in parent.iterdir():
            shutil.rmtree(old, ignore_errors=True)
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="run-", dir=parent))


SERVER_STOPPED = "the server stopped while the job ran; its processes were killed"
SERVER_DIED = "the server died while the job ran; its processes were killed"


def _is_leader(job: SimJob) -> bool:
    return not job.het_leader or job.het_leader == job.job_id


def _past_limit(job: SimJob, now: float) -> bool:
    if job.time_limit is None or job.start_time is None:
        return False
    return now >= job.start_time + job.time_limit * 60


def parse_signal(raw: str) -> int:
    """`SIGTERM`, `TERM`, `15` → 15; empty → SIGTERM (the S3M docs' default)."""
    text = (raw or "").strip().upper()
    if not text:
        return int(_signal.SIGTERM)
    if text.isascii() and text.isdigit():  # not "²" nor other scripts' digits
        if len(text) <= 3 and int(text) in {s.value for s in _signal.Signals}:
            return int(text)
    else:
        name = text if text.startswith("SIG") else "SIG" + text
        if name in _signal.Signals.__members__:
            return int(_signal.Signals[name])
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    raise InvalidRequestError(
        f"invalid signal {shown!r}: use a name like SIGTERM or a number",
        errors=[
            ErrorEntry(
                ESLURM_REST_FAIL_PARSING,
                "Failure during parsing",
                "slurm_kill_job",
                f"Unknown signal {shown}",
            )
        ],
    )
