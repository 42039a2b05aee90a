"""Neutral job views read straight from a still-lazy reply's upb message (or JSON object).

`JobInfo.from_message` reads ~16 fields and a few `*NoVal` sub-messages of every job. Through
a lazy betterproto2 job each read goes through a field descriptor and builds sub-message
objects (about 4x what upb takes for the same reads over 10,000 jobs); the upb message of a
job has the same attribute names, so an untouched job is viewed through its upb source and
only the `JobInfo` keeps the betterproto2 job as `raw`. An unset sub-message reads as upb's
empty default there, which `from_message` maps to the same `None`s as an absent one.

A job read from JSON is first built into upb in one C call when every value has its plain
spelling (then it holds exactly what lazy reading would give); any other job, and one whose
fields were already read or changed, is viewed through the betterproto2 message as before.
"""

from __future__ import annotations

from typing import Any

from s3m_grpc.fastcodec import _CODECS, _upb_of
from s3m_grpc.fastcodec._lazy import JSON, ODD, UPB
from s3m_grpc.jobs import JobInfo
from s3m_grpc.results import epoch_time
from s3m_grpc.states import base_state

__all__ = ["job_infos", "job_source"]


def job_source(job: Any) -> Any:
    """What to read a job's fields from: its upb message when untouched, else `job` itself."""
    d = job.__dict__
    if len(d) != 1:
        return job
    src = d.get(UPB)
    if src is not None:
        return src
    js = d.get(JSON)
    if js is None:
        return job
    cls = type(job)
    upb = _upb_of(cls)
    try:
        return upb(**_CODECS.json_kwargs[cls](js))
    except ODD:
        return job  # an unusual value: read field by field, with json_format's rules


def job_infos(reply: Any) -> list[JobInfo]:
    """A `JobInfo` per job of a `GetJobs` or `GetJob` reply (any API version), in order."""
    out = []
    for job in reply.jobs:
        src = job_source(job)
        if src is not job and hasattr(src, "job_state"):
            out.append(_queue_view(src, job))
        else:
            out.append(JobInfo.from_message(src, job))
    return out


def _noval(v: Any) -> int | None:
    # A upb `*NoVal` sub-message: an unset one reads as the empty default (set is False).
    return int(v.number) if v.set and not v.infinite else None


def _queue_view(u: Any, raw: Any) -> JobInfo:
    """`JobInfo.from_message` for a `GetJobs` job's upb message, reading each field once
    (upb sub-messages are never None, so no checks for it; the same values)."""
    states = tuple(u.job_state)
    submit, start, end = _noval(u.submit_time), _noval(u.start_time), _noval(u.end_time)
    return JobInfo(
        int(u.job_id),
        u.name,
        base_state(states),
        states,
        u.state_reason,
        _noval(u.exit_code.return_code),
        epoch_time(submit) if submit else None,
        epoch_time(start) if start else None,
        epoch_time(end) if end else None,
        _noval(u.time_limit),
        u.nodes,
        u.partition,
        u.account,
        u.user_name,
        u.standard_output,
        u.standard_error,
        u.current_working_directory,
        raw,
    )
