"""Version-neutral job helpers: build a submit request for any API version, read any job reply.

v0.0.42/43 submit `{"job": {..., "script": ...}}`; v0.0.44 submits `{"script": ..., "jobs":
[{...}]}`. `GetJobs` replies carry squeue-shaped jobs, `GetJob` sacct-shaped ones. Callers get
one `submit_request(...)` and one `JobInfo` view whatever the version; the raw message stays
reachable as `JobInfo.raw`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from functools import cache
from types import ModuleType
from typing import Any

import betterproto2

from s3m_grpc import jsoncodec
from s3m_grpc.errors import InvalidRequestError
from s3m_grpc.states import JobState, base_state, is_finished
from s3m_grpc.versions import normalize

DEFAULT_ENVIRONMENT = ("PATH=/usr/local/bin:/usr/bin:/bin",)
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


def minutes(limit: int | float | timedelta | str) -> int:
    """A time limit in whole minutes, from minutes, a timedelta or SLURM text (`1-02:00:00`)."""
    if isinstance(limit, bool):
        raise InvalidRequestError(f"invalid time limit {limit!r}")
    if isinstance(limit, timedelta):
        total = limit.total_seconds() / 60
    elif isinstance(limit, int | float):
        total = float(limit)
    else:
        total = _slurm_minutes(limit)
    result = int(-(-total // 1))  # round up: a limit never shrinks
    if result <= 0:
        raise InvalidRequestError(f"invalid time limit {limit!r}: must be at least one minute")
    return result


def _slurm_minutes(text: str) -> float:
    """SLURM's time formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S."""
    bad = InvalidRequestError(
        f"invalid time limit {text!r}: use minutes, MM:SS, HH:MM:SS or D-HH:MM:SS"
    )
    text = text.strip()
    days, dash, rest = text.partition("-")
    try:
        if dash:
            h, m, s = ([int(x) for x in rest.split(":")] + [0, 0])[:3]
            if rest.count(":") > 2:
                raise bad
            return int(days) * 1440 + h * 60 + m + s / 60
        parts = [int(x) for x in text.split(":")]
    except ValueError:
        raise bad from None
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return parts[0] + parts[1] / 60
    if len(parts) == 3:
        return parts[0] * 60 + parts[1] + parts[2] / 60
    raise bad


def _environment(env: Mapping[str, str] | Sequence[str] | None) -> list[str]:
    if env is None:
        return list(DEFAULT_ENVIRONMENT)
    if isinstance(env, Mapping):
        return [f"{k}={v}" for k, v in env.items()]
    if isinstance(env, str):
        raise InvalidRequestError("env must be a mapping or a list of 'NAME=value' strings")
    out = list(env)
    for item in out:
        if not isinstance(item, str) or "=" not in item:
            raise InvalidRequestError(f"invalid environment entry {item!r}: expected NAME=value")
    return out


def _positive(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidRequestError(f"{name} must be a positive integer, got {value!r}")
    return value


def description(
    *,
    account: str | None = None,
    partition: str | None = None,
    time_limit: int | float | timedelta | str | None = None,
    nodes: int | str | None = None,
    tasks: int | None = None,
    cpus_per_task: int | None = None,
    cwd: str | None = None,
    env: Mapping[str, str] | Sequence[str] | None = None,
    name: str | None = None,
    qos: str | None = None,
    reservation: str | None = None,
    stdout: str | None = None,
    stderr: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A job description as a dict with the contract's JSON names (no script)."""
    d: dict[str, Any] = {"environment": _environment(env)}
    for key, value in (
        ("name", name),
        ("account", account),
        ("partition", partition),
        ("qos", qos),
        ("reservation", reservation),
        ("current_working_directory", cwd),
        ("standard_output", stdout),
        ("standard_error", stderr),
    ):
        if value is not None:
            if not isinstance(value, str):
                raise InvalidRequestError(f"{key} must be text, got {value!r}")
            d[key] = value
    if time_limit is not None:
        d["time_limit"] = {"number": minutes(time_limit), "set": True}
    if isinstance(nodes, str):
        if not re.match(r"^\d+(-\d+)?$", nodes.strip()):
            raise InvalidRequestError(f"invalid nodes {nodes!r}: a count (2) or range (1-4)")
        d["nodes"] = nodes.strip()
    elif nodes is not None:
        d["minimum_nodes"] = _positive("nodes", nodes)
    if tasks is not None:
        d["tasks"] = _positive("tasks", tasks)
    if cpus_per_task is not None:
        d["cpus_per_task"] = _positive("cpus_per_task", cpus_per_task)
    if extra:
        d.update(extra)
    return d


def submit_request(version: str, script: str, **job: Any) -> betterproto2.Message:
    """The `JobSubmitReq` of `version` for one batch job (see `description` for options)."""
    if not isinstance(script, str) or not script.strip():
        raise InvalidRequestError("the job script is empty")
    if not script.startswith("#!"):
        raise InvalidRequestError(
            "the job script must start with an interpreter line such as '#!/bin/bash'"
        )
    mod = version_module(version)
    desc = description(**job)
    known = _json_names(mod.JobSubmitReqJobDescription)
    unknown = sorted(set(desc) - known)
    if unknown:
        raise InvalidRequestError(
            f"unknown job field(s) for {normalize(version)}: {', '.join(unknown)}"
        )
    if normalize(version) == "v0.0.44":
        body: dict[str, Any] = {"script": script, "jobs": [desc]}
    else:
        body = {"job": {**desc, "script": script}}
    req: betterproto2.Message = jsoncodec.from_dict(mod.JobSubmitReq, body, request=True)
    return req


@cache
def _json_names(cls: type[betterproto2.Message]) -> frozenset[str]:
    fields = jsoncodec.upb_class(cls).DESCRIPTOR.fields
    return frozenset(f.json_name for f in fields) | frozenset(f.name for f in fields)


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
