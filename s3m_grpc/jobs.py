"""Version-neutral job replies: one `JobInfo` view of any version's jobs, job ids as the API wants.

`GetJobs` replies carry squeue-shaped jobs, `GetJob` sacct-shaped ones; callers get one `JobInfo`
whatever the version, the raw message reachable as `JobInfo.raw`. Building a submit request is
`s3m_grpc.jobspec`'s job.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from s3m_grpc.errors import InvalidRequestError
from s3m_grpc.states import JobState, base_state, is_finished
from s3m_grpc.versions import normalize

_JOB_ID = re.compile(r"^[0-9]+([_+][0-9]+)?$")


def version_module(version: str) -> ModuleType:
    """The generated module of an API version: `s3m_grpc.slurm.v0043` for `v0.0.43`."""
    v = normalize(version)
    return importlib.import_module(f"s3m_grpc.slurm.v00{v.rsplit('.', 1)[-1]}")


def job_id_text(job_id: int | str) -> str:
    """A job id as the API wants it (`"123"`, or `"123_4"` for an array task)."""
    text = str(job_id).strip()
    if isinstance(job_id, bool) or not _JOB_ID.match(text):
        raise InvalidRequestError(f"invalid job id {job_id!r}: expected a number such as 12345")
    return text


def _noval(v: Any) -> int | None:
    """The number in a `*NoVal` message, or None when unset or infinite."""
    if v is None or not getattr(v, "set", False) or getattr(v, "infinite", False):
        return None
    return int(v.number)


def _time(epoch: int | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch else None


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
    raw: Any = field(default=None, repr=False, compare=False)

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
    def from_message(cls, job: Any) -> JobInfo:
        """From a `GetJobs` (squeue-shaped) or `GetJob` (sacct-shaped) job message."""
        if hasattr(job, "job_state"):
            raw = tuple(job.job_state)
            ec = job.exit_code
            exit_code = _noval(ec.return_code) if ec is not None else None
            return cls(
                job_id=int(job.job_id),
                name=job.name,
                state=base_state(raw),
                state_raw=raw,
                reason=job.state_reason,
                exit_code=exit_code,
                submit_time=_time(_noval(job.submit_time)),
                start_time=_time(_noval(job.start_time)),
                end_time=_time(_noval(job.end_time)),
                time_limit=_noval(job.time_limit),
                nodes=job.nodes,
                partition=job.partition,
                account=job.account,
                user=job.user_name,
                stdout=job.standard_output,
                stderr=job.standard_error,
                cwd=job.current_working_directory,
                raw=job,
            )
        state = job.state
        raw = tuple(state.current) if state is not None else ()
        t = job.time
        ec = job.exit_code
        exit_code = _noval(ec.return_code) if ec is not None else None
        return cls(
            job_id=int(job.job_id),
            name=job.name,
            state=base_state(raw),
            state_raw=raw,
            reason=state.reason if state is not None else "",
            exit_code=exit_code,
            submit_time=None,
            start_time=_time(t.start) if t is not None else None,
            end_time=_time(t.end) if t is not None else None,
            time_limit=None,
            nodes=job.nodes,
            partition=job.partition,
            account=job.account,
            user=job.user,
            stdout=job.stdout_expanded or job.stdout,
            stderr=job.stderr_expanded or job.stderr,
            cwd=job.working_directory,
            raw=job,
        )


@dataclass(frozen=True, slots=True)
class Submitted:
    """What a submit returned: the new job's id, and SLURM's message to the user if any."""

    job_id: int
    step_id: str = ""
    message: str = ""
    raw: Any = field(default=None, repr=False, compare=False)


def matches(
    job: JobInfo,
    *,
    state: JobState | str | Iterable[JobState | str] | None = None,
    user: str | None = None,
    partition: str | None = None,
    name: str | None = None,
) -> bool:
    """Client-side filter for `list_jobs`."""
    if state is not None:
        wanted = [state] if isinstance(state, str | JobState) else list(state)
        if job.state not in {base_state(str(s)) for s in wanted}:
            return False
    if user is not None and job.user != user:
        return False
    if partition is not None and job.partition != partition:
        return False
    return name is None or job.name == name
