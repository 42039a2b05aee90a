"""Version-neutral job replies: one `JobInfo` view of any version's jobs, job ids as the API wants.

`GetJobs` replies carry squeue-shaped jobs, `GetJob` sacct-shaped ones; callers get one `JobInfo`
whatever the version, the raw message reachable as `JobInfo.raw`. Building a submit request is
`s3m_grpc.jobspec`'s job.
"""

from __future__ import annotations

import fnmatch
import importlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

from s3m_grpc.errors import ConfigurationError
from s3m_grpc.results import epoch_time, noval
from s3m_grpc.states import JobState, base_state, is_finished, parse_states
from s3m_grpc.versions import normalize

if TYPE_CHECKING:
    from s3m_grpc.anyversion import AccountingJob, QueueJob, SubmitReply

_JOB_ID = re.compile(r"[0-9]{1,10}([_+][0-9]{1,10})?")


def version_module(version: str) -> ModuleType:
    """The generated module of an API version: `s3m_grpc.slurm.v0043` for `v0.0.43`."""
    v = normalize(version)
    return importlib.import_module(f"s3m_grpc.slurm.v00{v.rsplit('.', 1)[-1]}")


def job_id_text(job_id: int | str) -> str:
    """A job id as the API wants it (`"123"`, or `"123_4"` for an array task); anything else
    raises `ConfigurationError` before a call is made."""
    text = str(job_id).strip()
    if isinstance(job_id, bool) or not _JOB_ID.fullmatch(text):
        raise ConfigurationError(
            f"invalid job id {job_id!r}: expected a number such as 12345 (or 12345_7)"
        )
    return text


@dataclass(frozen=True, slots=True)
class JobInfo:
    """A job, the same whatever the API version or call that returned it."""

    job_id: int
    name: str
    state: JobState
    state_raw: tuple[str, ...]
    reason: str
    exit_code: int | None
    submit_time: datetime | None
    start_time: datetime | None
    end_time: datetime | None
    time_limit: int | None  # minutes
    nodes: str
    partition: str
    account: str
    user: str
    stdout: str
    stderr: str
    cwd: str
    raw: QueueJob | AccountingJob | None = field(default=None, repr=False, compare=False)

    @property
    def finished(self) -> bool:
        """Ended for good (terminal state, not completing or being requeued)."""
        return is_finished(self.state_raw)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (times as ISO 8601, state as text, raw omitted)."""
        # Not `asdict`: it would deep-copy `raw` (the whole message) only to drop it.
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "raw"}
        out["state"] = self.state.value
        out["state_raw"] = list(self.state_raw)
        for k in ("submit_time", "start_time", "end_time"):
            out[k] = out[k].isoformat() if out[k] else None
        return out

    @classmethod
    def from_message(cls, job: Any, message: Any = None) -> JobInfo:
        """From a `GetJobs` (squeue-shaped) or `GetJob` (sacct-shaped) job message.

        `job` may also be the job's upb message (read faster; see `fastcodec.views`), with
        the betterproto2 `message` it came from kept as `raw`.
        """
        raw_msg = job if message is None else message
        if hasattr(job, "job_state"):
            raw = tuple(job.job_state)
            ec = job.exit_code
            exit_code = noval(ec.return_code) if ec is not None else None
            return cls(
                job_id=int(job.job_id),
                name=job.name,
                state=base_state(raw),
                state_raw=raw,
                reason=job.state_reason,
                exit_code=exit_code,
                submit_time=epoch_time(noval(job.submit_time)),
                start_time=epoch_time(noval(job.start_time)),
                end_time=epoch_time(noval(job.end_time)),
                time_limit=noval(job.time_limit),
                nodes=job.nodes,
                partition=job.partition,
                account=job.account,
                user=job.user_name,
                stdout=job.standard_output,
                stderr=job.standard_error,
                cwd=job.current_working_directory,
                raw=raw_msg,
            )
        state = job.state
        raw = tuple(state.current) if state is not None else ()
        t = job.time
        ec = job.exit_code
        exit_code = noval(ec.return_code) if ec is not None else None
        return cls(
            job_id=int(job.job_id),
            name=job.name,
            state=base_state(raw),
            state_raw=raw,
            reason=state.reason if state is not None else "",
            exit_code=exit_code,
            submit_time=None,
            start_time=epoch_time(t.start) if t is not None else None,
            end_time=epoch_time(t.end) if t is not None else None,
            time_limit=None,
            nodes=job.nodes,
            partition=job.partition,
            account=job.account,
            user=job.user,
            stdout=job.stdout_expanded or job.stdout,
            stderr=job.stderr_expanded or job.stderr,
            cwd=job.working_directory,
            raw=raw_msg,
        )


class _JobInfoBuilder:
    """Fills a `JobInfo`'s slots with plain stores, then becomes a `JobInfo`.

    A frozen dataclass's `__init__` stores each field through `object.__setattr__`, about 1 µs
    for `JobInfo`'s 18: a third of what viewing a 10,000-job listing costs. This class has the
    same slots and no base but `object`, so CPython lets an instance take `JobInfo` as its
    class once filled (`tests/codec/test_views.py` checks it builds equal `JobInfo`s).
    """

    __slots__ = JobInfo.__slots__

    def __init__(
        self,
        job_id: int,
        name: str,
        state: JobState,
        state_raw: tuple[str, ...],
        reason: str,
        exit_code: int | None,
        submit_time: datetime | None,
        start_time: datetime | None,
        end_time: datetime | None,
        time_limit: int | None,
        nodes: str,
        partition: str,
        account: str,
        user: str,
        stdout: str,
        stderr: str,
        cwd: str,
        raw: Any,
    ) -> None:
        self.job_id = job_id
        self.name = name
        self.state = state
        self.state_raw = state_raw
        self.reason = reason
        self.exit_code = exit_code
        self.submit_time = submit_time
        self.start_time = start_time
        self.end_time = end_time
        self.time_limit = time_limit
        self.nodes = nodes
        self.partition = partition
        self.account = account
        self.user = user
        self.stdout = stdout
        self.stderr = stderr
        self.cwd = cwd
        self.raw = raw


def new_job_info(*values: Any) -> JobInfo:
    """`JobInfo(*values)` without the frozen dataclass's per-field cost (for bulk views)."""
    info: Any = _JobInfoBuilder(*values)
    info.__class__ = JobInfo
    return info  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Submitted:
    """What a submit returned: the new job's id, and SLURM's message to the user if any."""

    job_id: int
    step_id: str = ""
    message: str = ""
    raw: SubmitReply | None = field(default=None, repr=False, compare=False)


def head_job(jobs: Sequence[JobInfo], job_id: int | str) -> JobInfo | None:
    """The record of `job_id` itself among what GetJob returned (array tasks, het components,
    steps may come with it), else the first record; None when there is none."""
    head = str(job_id).split("_")[0].split("+")[0]
    for job in jobs:
        if str(job.job_id) == head:
            return job
    return jobs[0] if jobs else None


def _patterns(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    out = tuple(p.strip() for item in items for p in str(item).split(",") if p.strip())
    return out or None


def _glob(value: str, patterns: tuple[str, ...] | None) -> bool:
    return patterns is None or any(fnmatch.fnmatchcase(value, p) for p in patterns)


@dataclass(frozen=True, slots=True)
class JobFilter:
    """Which queue jobs `list_jobs` keeps: base states, and glob patterns (`"a*,b?"`: any of)
    for user, partition and name. Applied to the raw messages, before any view is built."""

    states: frozenset[JobState] | None = None
    users: tuple[str, ...] | None = None
    partitions: tuple[str, ...] | None = None
    names: tuple[str, ...] | None = None

    @classmethod
    def of(
        cls,
        *,
        state: JobState | str | Iterable[JobState | str] | None = None,
        user: str | Iterable[str] | None = None,
        partition: str | Iterable[str] | None = None,
        name: str | Iterable[str] | None = None,
    ) -> JobFilter:
        """A filter from `list_jobs`' keywords; an unknown state raises `ConfigurationError`."""
        return cls(
            states=parse_states(state) if state is not None else None,
            users=_patterns(user),
            partitions=_patterns(partition),
            names=_patterns(name),
        )

    @property
    def empty(self) -> bool:
        return self.states is None and not (self.users or self.partitions or self.names)

    def keep(self, job: QueueJob) -> bool:
        """True if a `GetJobs` job message passes every condition."""
        if self.states is not None and base_state(job.job_state) not in self.states:
            return False
        return (
            _glob(job.user_name, self.users)
            and _glob(job.partition, self.partitions)
            and _glob(job.name, self.names)
        )
