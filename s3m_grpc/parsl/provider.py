"""`S3MProvider`: Parsl's `ExecutionProvider` over S3M, so Parsl (and Globus Compute endpoints,
which use Parsl providers) can run pilot jobs on a cluster reached only through S3M's API.

Parsl's own `SlurmProvider` runs `sbatch`, `sacct` and `scancel` on a login node; this one sends
the same batch script with `submit`, and answers `status()` from what the client's shared
watcher last saw: each block is followed by one `on_change` subscription, and one `GetJobs`
listing per poll serves all of them, however many blocks Parsl keeps. `status()` itself makes
no call, so Parsl's status poller costs the server nothing. `cancel()` sends the cancels of a
scale-in as one bulk call (`cancel_many`: a few at a time, paced under the rate limit), at most
once per job.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from parsl.jobs.states import JobState as ParslState
from parsl.jobs.states import JobStatus
from parsl.launchers import SingleNodeLauncher
from parsl.launchers.base import Launcher
from parsl.providers.base import ExecutionProvider
from parsl.providers.errors import SubmitException
from parsl.utils import RepresentationMixin, wtime_to_minutes

from s3m_grpc import Client
from s3m_grpc.auth import Token
from s3m_grpc.errors import S3MError
from s3m_grpc.jobs import JobInfo
from s3m_grpc.settings import TransportKind
from s3m_grpc.states import JobState
from s3m_grpc.watcher import JobEvent, Subscription

log = logging.getLogger(__name__)

# Every SLURM base state, as Parsl's SlurmProvider reads them from sacct. A pilot's walltime
# running out (TIMEOUT, DEADLINE) or a preemption is how blocks normally end, not a failure:
# Parsl's error handler would shut the executor down after a few FAILED blocks.
_STATES: Mapping[JobState, ParslState] = {
    JobState.PENDING: ParslState.PENDING,
    JobState.RUNNING: ParslState.RUNNING,
    JobState.SUSPENDED: ParslState.HELD,
    JobState.COMPLETED: ParslState.COMPLETED,
    JobState.CANCELLED: ParslState.CANCELLED,
    JobState.FAILED: ParslState.FAILED,
    JobState.TIMEOUT: ParslState.TIMEOUT,
    JobState.NODE_FAIL: ParslState.FAILED,
    JobState.PREEMPTED: ParslState.TIMEOUT,
    JobState.BOOT_FAIL: ParslState.FAILED,
    JobState.DEADLINE: ParslState.TIMEOUT,
    JobState.OUT_OF_MEMORY: ParslState.FAILED,
    JobState.UNKNOWN: ParslState.UNKNOWN,
}

TEMPLATE = """#!/bin/bash
#SBATCH --job-name={job_name}
#SBATCH --output={stdout}
#SBATCH --error={stderr}
#SBATCH --nodes={nodes}
#SBATCH --time={minutes}
#SBATCH --ntasks-per-node={tasks_per_node}
{scheduler_options}
{worker_init}
export JOBNAME="{job_name}"

{command}
"""


def parsl_state(info: JobInfo) -> ParslState:
    """Parsl's state for a job as S3M reports it; a job that is ending (`COMPLETING`) or being
    requeued is still running until SLURM says it has finished."""
    state = _STATES[info.state]
    if info.state.terminal and not info.finished:
        return ParslState.RUNNING
    return state


class _Block:
    """One submitted block: its files, its last status, and the subscription following it."""

    __slots__ = ("job_id", "status", "stderr", "stdout", "sub")

    def __init__(self, job_id: str, stdout: str, stderr: str) -> None:
        self.job_id = job_id
        self.stdout = stdout
        self.stderr = stderr
        self.status = JobStatus(ParslState.PENDING, stdout_path=stdout, stderr_path=stderr)
        self.sub: Subscription | None = None

    def set(self, state: ParslState, message: str | None = None) -> None:
        self.status = JobStatus(
            state, message=message, stdout_path=self.stdout, stderr_path=self.stderr
        )


class S3MProvider(ExecutionProvider, RepresentationMixin):
    """Parsl execution provider submitting blocks as batch jobs through S3M.

    Parameters
    ----------
    resource, endpoint, token, version, rest_url, plaintext, transport
        Where to connect, as `s3m_grpc.Client` takes them; None reads `S3M_RESOURCE`,
        `S3M_ENDPOINT`, `S3M_TOKEN` (...) from the environment. A token is kept as a
        `Token`, so the provider's repr (which Parsl logs) never shows it.
    partition, account, qos, reservation
        Where the blocks run (None: SLURM's defaults).
    nodes_per_block, cores_per_node, mem_per_node, init_blocks, min_blocks, max_blocks,
    parallelism, walltime, scheduler_options, worker_init, launcher, exclusive
        As Parsl's `SlurmProvider` takes them; `scheduler_options` are extra `#SBATCH` lines.
    environment
        Variables the batch script starts with (S3M jobs do not inherit the submitting shell's
        environment); `worker_init` can set more.
    job_dir
        Directory on the cluster for each block's stdout/stderr (default: Parsl's
        `script_dir`, which assumes a file system shared with the cluster, as SlurmProvider
        does).
    status_polling_interval
        Seconds between Parsl's `status()` calls, and the watcher's fastest poll.
    max_poll_interval
        The watcher's slowest poll, while no block changes state.
    client
        A blocking `s3m_grpc.Client` to use (and share: its one watcher then serves this
        provider and everything else on it); None makes one from the connection arguments.
    """

    def __init__(
        self,
        resource: str | None = None,
        *,
        endpoint: str | None = None,
        token: str | Token | None = None,
        version: str | None = None,
        rest_url: str | None = None,
        plaintext: bool = False,
        transport: TransportKind = "auto",
        partition: str | None = None,
        account: str | None = None,
        qos: str | None = None,
        reservation: str | None = None,
        nodes_per_block: int = 1,
        cores_per_node: int | None = None,
        mem_per_node: int | None = None,
        init_blocks: int = 1,
        min_blocks: int = 0,
        max_blocks: int = 1,
        parallelism: float = 1,
        walltime: str = "00:10:00",
        scheduler_options: str = "",
        worker_init: str = "",
        launcher: Launcher | None = None,
        exclusive: bool = False,
        environment: Mapping[str, str] | None = None,
        job_dir: str | None = None,
        status_polling_interval: int = 10,
        max_poll_interval: float = 30.0,
        client: Client | None = None,
    ) -> None:
        self.resource = resource
        self.endpoint = endpoint
        # Parsl logs its config's repr: keep the secret out of it.
        self.token = Token(token) if isinstance(token, str) else token
        self.version = version
        self.rest_url = rest_url
        self.plaintext = plaintext
        self.transport = transport
        self.partition = partition
        self.account = account
        self.qos = qos
        self.reservation = reservation
        self.nodes_per_block = nodes_per_block
        self.cores_per_node = cores_per_node
        self.mem_per_node = mem_per_node
        self.init_blocks = init_blocks
        self.min_blocks = min_blocks
        self.max_blocks = max_blocks
        self.parallelism = parallelism
        self.walltime = walltime
        self.scheduler_options = scheduler_options
        self.worker_init = worker_init
        self.launcher = launcher if launcher is not None else SingleNodeLauncher()
        self.exclusive = exclusive
        self.environment = dict(environment) if environment is not None else None
        self.job_dir = job_dir
        self._status_polling_interval = status_polling_interval
        self.max_poll_interval = max_poll_interval
        self.script_dir: str | None = None
        self.resources: dict[object, Any] = {}
        self._blocks: dict[str, _Block] = {}
        self._lock = threading.Lock()
        self.client = client
        self._own_client: Client | None = None
        wtime_to_minutes(walltime)  # a bad walltime fails here, not at the first scale-out

    # -- ExecutionProvider ----------------------------------------------------------------

    @property
    def label(self) -> str:
        return "s3m"

    @property
    def status_polling_interval(self) -> int:
        return self._status_polling_interval

    def connection(self) -> Client:
        """The client given, or one of its own made on first use (a config loads without
        connecting)."""
        if self.client is not None:
            return self.client
        if self._own_client is None:
            self._own_client = Client(
                self.resource,
                endpoint=self.endpoint,
                token=self.token,
                version=self.version,
                rest_url=self.rest_url,
                plaintext=self.plaintext,
                transport=self.transport,
            )
        return self._own_client

    def submit(self, command: str, tasks_per_node: int, job_name: str = "parsl.s3m") -> str:
        """Submit one block running `command` (Parsl's worker pool) on `nodes_per_block` nodes;
        returns its job id."""
        job_name = f"{job_name}.{time.time()}"
        script, stdout, stderr = self.script(command, tasks_per_node, job_name)
        if self.script_dir is not None:
            path = os.path.join(self.script_dir, job_name + ".submit")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(script)
        try:
            job = self.connection().submit(
                script,
                account=self.account,
                partition=self.partition,
                qos=self.qos,
                reservation=self.reservation,
                env=self.environment,
            )
        except S3MError as exc:
            raise SubmitException(job_name, f"S3M refused the block: {exc}") from exc  # type: ignore[no-untyped-call]
        job_id = str(job.job_id)
        block = _Block(job_id, stdout, stderr)
        with self._lock:
            self._blocks[job_id] = block
            self.resources[job_id] = {"job_id": job_id, "status": block.status}
        self._follow(block)
        log.debug("block %s submitted as job %s", job_name, job_id)
        return job_id

    def status(self, job_ids: Sequence[object]) -> list[JobStatus]:
        """The blocks' states as the shared watcher last saw them (no call is made here)."""
        out = []
        for job_id in job_ids:
            block = self._blocks.get(str(job_id))
            if block is None:
                out.append(JobStatus(ParslState.UNKNOWN, message="not submitted by this provider"))
                continue
            sub = block.sub
            if not block.status.terminal and sub is not None and sub.closed:
                # The watcher gave up on it (an outage beyond its grace): follow it again.
                log.warning("following job %s again: %s", block.job_id, sub.error)
                self._follow(block)
            out.append(block.status)
        return out

    def cancel(self, job_ids: Sequence[object]) -> list[bool]:
        """Cancel blocks in one bulk call (`cancel_many`); True for each block cancelled or
        already over. A block is never cancelled twice."""
        ids = [str(j) for j in job_ids]
        before: dict[str, JobStatus] = {}
        with self._lock:
            for job_id in ids:
                block = self._blocks.get(job_id)
                if block is not None and not block.status.terminal and job_id not in before:
                    before[job_id] = block.status
                    block.set(ParslState.CANCELLED)
                    self.resources[job_id]["status"] = block.status
        failed: set[str] = set()
        if before:
            for outcome in self.connection().cancel_many(list(before)):
                if not outcome.ok:
                    log.warning("cancelling job %s: %s", outcome.job_id, outcome.error)
                    failed.add(outcome.job_id)
        with self._lock:
            for job_id in failed:
                # Not cancelled: show what was known, and let the watcher go on updating it.
                block = self._blocks[job_id]
                block.status = before[job_id]
                self.resources[job_id]["status"] = block.status
        return [job_id in self._blocks and job_id not in failed for job_id in ids]

    # -- the parts ------------------------------------------------------------------------

    def script(self, command: str, tasks_per_node: int, job_name: str) -> tuple[str, str, str]:
        """The batch script of one block, and its stdout and stderr paths."""
        directory = self.job_dir or self.script_dir or "."
        stdout = os.path.join(directory, job_name + ".stdout")
        stderr = os.path.join(directory, job_name + ".stderr")
        options = self.scheduler_options.rstrip("\n")
        worker_init = self.worker_init.rstrip("\n")
        if self.exclusive:
            options += "\n#SBATCH --exclusive"
        if self.mem_per_node is not None:
            options += f"\n#SBATCH --mem={self.mem_per_node}g"
            worker_init += f"\nexport PARSL_MEMORY_GB={self.mem_per_node}"
        if self.cores_per_node is not None:
            cpus_per_task = max(1, math.floor(self.cores_per_node / tasks_per_node))
            options += f"\n#SBATCH --cpus-per-task={cpus_per_task}"
            worker_init += f"\nexport PARSL_CORES={cpus_per_task}"
        text = TEMPLATE.format(
            job_name=job_name,
            stdout=stdout,
            stderr=stderr,
            nodes=self.nodes_per_block,
            minutes=wtime_to_minutes(self.walltime),
            tasks_per_node=tasks_per_node,
            scheduler_options=options.strip("\n"),
            worker_init=worker_init.strip("\n"),
            command=self.launcher(command, tasks_per_node, self.nodes_per_block),
        )
        return text, stdout, stderr

    def _follow(self, block: _Block) -> None:
        """Follow a block with the shared watcher until it finishes."""

        def changed(event: JobEvent) -> None:
            state = parsl_state(event.info)
            with self._lock:
                if block.status.terminal:
                    return  # cancelled here: keep CANCELLED whatever SLURM says next
                block.set(state, event.info.reason or None)
                self.resources[block.job_id]["status"] = block.status

        block.sub = self.connection().on_change(
            changed,
            [block.job_id],
            poll_interval=min(float(self._status_polling_interval), self.max_poll_interval),
            max_interval=self.max_poll_interval,
        )

    def close(self) -> None:
        """Stop following blocks and close the provider's own client (blocks keep running; a
        client given is left open)."""
        for block in list(self._blocks.values()):
            if block.sub is not None:
                block.sub.cancel()
        client, self._own_client = self._own_client, None
        if client is not None:
            client.close()
