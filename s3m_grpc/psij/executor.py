"""`S3MJobExecutor`: PSI/J's batch executor, with S3M's API in place of sbatch, squeue, scancel.

The batch script is PSI/J's own (its SLURM template, adapted in `s3m.mustache`: no `--export`,
the environment travels with the request; no `scontrol` needed), so jobs, launchers, resource
specs and `slurm.*` custom attributes mean what they mean to PSI/J's `slurm` executor. What
changes is how the script reaches SLURM and how its state comes back:

- `submit` sends the script with the client's `submit`, once (never re-sent);
- states come from the client's shared watcher: one `on_change` subscription per job, and one
  `GetJobs` listing per poll answers for every job of every executor on that client;
- `cancel`, `attach(job, native_id)` and `list()` are S3M calls.

A job the watcher loses track of (S3M unreachable for longer than `outage_grace`, or SLURM no
longer knowing the job) is set FAILED with the reason as its message, as PSI/J's own batch
executors do when their status polls keep failing: `job.wait()` never hangs on it.

PSI/J finds this class through `psij-descriptors/s3m_descriptor.py`, by way of
`s3m_grpc.psij.plugin` (see there why).

Where it connects: the executor's `url` is an endpoint as S3M_ENDPOINT takes it, with the
resource as its path (`https://s3m.olcf.ornl.gov/odo`, `http://127.0.0.1:50051/odo`);
`S3MExecutorConfig` may give the rest (token, version, transport...). Anything not given comes
from the `S3M_*` environment variables, so `JobExecutor.get_instance("s3m")` works in a shell
that has them.

The exit code and failure message of a job are read from PSI/J's work directory when it is
visible from here (a local server, or a client on the cluster's file system); otherwise from
SLURM's accounting (the script exits with the launcher's exit code).
"""

from __future__ import annotations

import builtins
import logging
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from psij import Job, JobExecutorConfig, JobStatus, SubmitException
from psij import JobState as PsijState
from psij.executors.batch.batch_scheduler_executor import (
    BatchSchedulerExecutor,
    BatchSchedulerExecutorConfig,
)
from psij.executors.batch.script_generator import TemplatedScriptGenerator

from s3m_grpc import Client
from s3m_grpc.auth import Token
from s3m_grpc.errors import ConfigurationError, S3MError, SlurmError
from s3m_grpc.jobs import JobInfo
from s3m_grpc.jobspec import exportable
from s3m_grpc.settings import TransportKind
from s3m_grpc.states import JobState
from s3m_grpc.waiting import NOT_FOUND_GRACE, OUTAGE_GRACE
from s3m_grpc.watcher import JobEvent, Subscription

log = logging.getLogger(__name__)

TEMPLATE = Path(__file__).with_name("s3m.mustache")
ESLURM_ALREADY_DONE = 2021  # "Job/step already completing or completed"

# Every SLURM base state as PSI/J's `slurm` executor reads squeue's: a job that ran out of
# time, was preempted or lost its node has failed; a suspended one is still active.
_STATES: Mapping[JobState, PsijState] = {
    JobState.PENDING: PsijState.QUEUED,
    JobState.RUNNING: PsijState.ACTIVE,
    JobState.SUSPENDED: PsijState.ACTIVE,
    JobState.COMPLETED: PsijState.COMPLETED,
    JobState.CANCELLED: PsijState.CANCELED,
    JobState.FAILED: PsijState.FAILED,
    JobState.TIMEOUT: PsijState.FAILED,
    JobState.NODE_FAIL: PsijState.FAILED,
    JobState.PREEMPTED: PsijState.FAILED,
    JobState.BOOT_FAIL: PsijState.FAILED,
    JobState.DEADLINE: PsijState.FAILED,
    JobState.OUT_OF_MEMORY: PsijState.FAILED,
}


def psij_status(info: JobInfo) -> JobStatus | None:
    """PSI/J's status for a job as S3M reports it (None for a state that says nothing new:
    UNKNOWN). A job still completing or being requeued is active until SLURM says it ended."""
    state = _STATES.get(info.state)
    if state is None:
        return None
    if info.state.terminal and not info.finished:
        state = PsijState.ACTIVE
    # A plain FAILED (the script's non-zero exit) gets its message from the launcher's output,
    # which PSI/J reads only when the status has none.
    message = None
    if state == PsijState.FAILED and info.state is not JobState.FAILED:
        message = f"SLURM: {info.state.value}" + (f" ({info.reason})" if info.reason else "")
    exit_code = info.exit_code if state.final and state != PsijState.CANCELED else None
    return JobStatus(
        state, message=message, exit_code=exit_code, metadata={"native_id": str(info.job_id)}
    )


class S3MExecutorConfig(BatchSchedulerExecutorConfig):
    """Where and how to connect, besides PSI/J's batch options (work directory, keep_files...).

    `resource`, `token`, `version`, `rest_url`, `transport`, `plaintext` are as
    `s3m_grpc.Client` takes them (None: from the `S3M_*` environment variables);
    `poll_interval` and `max_poll_interval` pace the shared watcher; a job is set FAILED once
    S3M has been unreachable for `outage_grace` seconds in a row, or SLURM has not known it
    for `not_found_grace` seconds.
    """

    def __init__(
        self,
        *,
        resource: str | None = None,
        token: str | Token | None = None,
        version: str | None = None,
        rest_url: str | None = None,
        transport: TransportKind = "auto",
        plaintext: bool = False,
        poll_interval: float = 2.0,
        max_poll_interval: float = 30.0,
        outage_grace: float = OUTAGE_GRACE,
        not_found_grace: float = NOT_FOUND_GRACE,
        **batch_options: Any,
    ) -> None:
        super().__init__(**batch_options)
        self.resource = resource
        self.token = Token(token) if isinstance(token, str) else token
        self.version = version
        self.rest_url = rest_url
        self.transport = transport
        self.plaintext = plaintext
        self.poll_interval = poll_interval
        self.max_poll_interval = max_poll_interval
        self.outage_grace = outage_grace
        self.not_found_grace = not_found_grace

    @classmethod
    def _from_config(cls, config: JobExecutorConfig) -> S3MExecutorConfig:
        new = cls()
        new.work_directory = config.work_directory
        new.launcher_log_file = config.launcher_log_file
        return new


def connection(url: str | None, config: S3MExecutorConfig) -> dict[str, Any]:
    """The client keywords for an executor's `url` and config (see the module docstring)."""
    endpoint = None
    resource = config.resource
    if url:
        parts = urlsplit(url if "://" in url else f"https://{url}")
        if not parts.netloc:
            raise ConfigurationError(
                f"invalid s3m executor url {url!r}: use https://host[:port]/resource or "
                "http://host:port/resource"
            )
        path = parts.path.strip("/")
        if "/" in path:
            raise ConfigurationError(f"invalid s3m executor url {url!r}: the path is a resource")
        endpoint = f"{parts.scheme}://{parts.netloc}"
        resource = path or resource
    return {
        "resource": resource,
        "endpoint": endpoint,
        "token": config.token,
        "version": config.version,
        "rest_url": config.rest_url,
        "transport": config.transport,
        "plaintext": config.plaintext,
    }


class S3MJobExecutor(BatchSchedulerExecutor):
    """A PSI/J `JobExecutor` submitting batch jobs through S3M (see the module docstring)."""

    def __init__(self, url: str | None = None, config: S3MExecutorConfig | None = None) -> None:
        if config is None:
            config = S3MExecutorConfig()
        elif not isinstance(config, S3MExecutorConfig):
            config = S3MExecutorConfig._from_config(config)
        self.client = Client(**connection(url, config))
        self._subs: dict[str, builtins.list[tuple[Job, Subscription]]] = {}
        self._lock = threading.Lock()
        super().__init__(url=url, config=config)
        self.generator = TemplatedScriptGenerator(config, TEMPLATE)

    # -- the script ------------------------------------------------------------------------

    def generate_submit_script(
        self, job: Job, context: dict[str, object], submit_file: IO[str]
    ) -> None:
        self.generator.generate_submit_script(job, context, submit_file)

    def _format_duration(self, d: Any) -> str:
        # SLURM's --time: days-hours:minutes:seconds.
        days = f"{d.days}-" if d.days > 0 else ""
        return f"{days}{d.seconds // 3600}:{(d.seconds // 60) % 60}:{d.seconds % 60}"

    # -- submit, cancel, attach, list ------------------------------------------------------

    def submit(self, job: Job) -> None:
        """Send the job's batch script through S3M (once) and follow it with the watcher."""
        self._ensure_work_dir()
        spec = self._check_job(job)
        context = self._create_script_context(job)
        path = self.work_directory / (job.id + ".job")
        with path.open("w") as fh:
            self.generate_submit_script(job, context, fh)
        env = exportable(os.environ) if spec.inherit_environment else None
        try:
            submitted = self.client.submit(path.read_text(), env=env)
        except S3MError as exc:
            raise SubmitException(f"S3M refused the job: {exc}") from exc
        job._native_id = str(submitted.job_id)
        self._set_job_status(
            job, JobStatus(PsijState.QUEUED, metadata={"native_id": job.native_id})
        )
        self._follow(job)

    def cancel(self, job: Job) -> None:
        """Cancel the job unless it has ended (a job already over is left as it is)."""
        if job.native_id is None:
            raise SubmitException("Job does not have a native ID.")
        if job.status.state.final:
            return
        try:
            self.client.cancel(job.native_id)
        except SlurmError as exc:
            if not any(e.error_number == ESLURM_ALREADY_DONE for e in exc.errors):
                raise SubmitException(f"cannot cancel job {job.native_id}: {exc}") from exc
        except S3MError as exc:
            raise SubmitException(f"cannot cancel job {job.native_id}: {exc}") from exc

    def attach(self, job: Job, native_id: str) -> None:
        """Follow an existing SLURM job with `job`: its state now (one `GetJob`), then every
        change. An id SLURM does not know raises `SubmitException`."""
        try:
            info = self.client.get_job(native_id)
        except S3MError as exc:
            raise SubmitException(f"cannot attach to job {native_id}: {exc}") from exc
        job._native_id = str(info.job_id)
        job.executor = self
        status = psij_status(info)
        if status is not None:
            self._set_job_status(job, status)
        if not info.finished:
            self._follow(job)

    def list(self) -> builtins.list[str]:
        """The ids of the jobs in the queue that are this user's."""
        try:
            listing = self.client.list_jobs()
        except S3MError as exc:
            raise SubmitException(f"cannot list jobs: {exc}") from exc
        return [str(info.job_id) for info in listing]

    def close(self) -> None:
        """Stop following jobs and close the connection (jobs keep running)."""
        with self._lock:
            subs = [sub for pairs in self._subs.values() for _, sub in pairs]
            self._subs.clear()
        for sub in subs:
            sub.cancel()
        self.client.close()

    # -- states ----------------------------------------------------------------------------

    def _follow(self, job: Job) -> None:
        native_id = job.native_id
        assert native_id is not None
        config = self.config
        assert isinstance(config, S3MExecutorConfig)

        def forget() -> None:
            with self._lock:
                pairs = self._subs.get(native_id, [])
                pairs[:] = [p for p in pairs if p[0] is not job]
                if not pairs:
                    self._subs.pop(native_id, None)

        def changed(event: JobEvent) -> None:
            status = psij_status(event.info)
            if status is not None:
                self._set_job_status(job, status)
            if event.finished:
                forget()

        def lost(exc: BaseException) -> None:
            forget()
            if not job.status.state.final:
                message = f"S3M: lost track of job {native_id}: {exc}"
                self._set_job_status(job, JobStatus(PsijState.FAILED, message=message))

        sub = self.client.on_change(
            changed,
            [native_id],
            poll_interval=config.poll_interval,
            max_interval=config.max_poll_interval,
            outage_grace=config.outage_grace,
            not_found_grace=config.not_found_grace,
            on_error=lost,
        )
        with self._lock:
            self._subs.setdefault(native_id, []).append((job, sub))

    def _start_queue_poll_thread(self) -> Any:
        """No poll thread of PSI/J's own: the client's shared watcher follows the jobs."""
        return None

    def _clean_submit_script(self, job: Job) -> None:
        super()._clean_submit_script(job)
        if job.native_id is not None:
            self._delete_aux_file(job, ".batch")
            self._delete_aux_file(job, ".nodefile")

    # Not used: submit, cancel and list above make S3M calls instead of running commands.
    def get_submit_command(self, job: Job, submit_file_path: Path) -> builtins.list[str]:
        raise NotImplementedError

    def job_id_from_submit_output(self, out: str) -> str:
        raise NotImplementedError

    def get_cancel_command(self, native_id: str) -> builtins.list[str]:
        raise NotImplementedError

    def process_cancel_command_output(self, exit_code: int, out: str) -> None:
        raise NotImplementedError

    def get_status_command(self, native_ids: Any) -> builtins.list[str]:
        raise NotImplementedError

    def parse_status_output(self, exit_code: int, out: str) -> dict[str, JobStatus]:
        raise NotImplementedError

    def get_list_command(self) -> builtins.list[str]:
        raise NotImplementedError


__all__ = ["S3MExecutorConfig", "S3MJobExecutor", "psij_status"]
