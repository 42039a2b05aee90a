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

from functools import cache
from typing import Any

from s3m_grpc.fastcodec import _CODECS, _upb_of, gc_paused
from s3m_grpc.fastcodec._lazy import JSON, ODD, UPB
from s3m_grpc.jobs import JobInfo, new_job_info
from s3m_grpc.results import epoch_time
from s3m_grpc.states import base_state_of as state_of

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
    with gc_paused():  # every view built stays alive with the list
        d = reply.__dict__
        src = d.get(UPB) if len(d) == 1 else None
        if src is not None:
            field = vars(type(reply))["jobs"]  # the lazy field (`_lazy.RepeatedMessage`)
            if _is_queue_job(field.upb_cls.DESCRIPTOR.fields_by_name["jobs"].message_type):
                views, d["jobs"] = _fresh_queue_views(src.jobs, field.cls)
                return views
        return _views(reply.jobs)


def _fresh_queue_views(upb_jobs: Any, cls: type) -> tuple[list[JobInfo], list[Any]]:
    """The views of an untouched `GetJobs` reply's jobs and the lazy jobs `reply.jobs` would
    give (made here in the same pass, as `_lazy.RepeatedMessage` makes them)."""
    new = object.__new__
    jobs: list[Any] = []
    views: list[JobInfo] = []
    add_job, add_view = jobs.append, views.append
    for u in upb_jobs:
        job: Any = new(cls)
        job.__dict__[UPB] = u
        add_job(job)
        add_view(_queue_view(u, job))
    return views, jobs


def _views(jobs: Any) -> list[JobInfo]:
    out: list[JobInfo] = []
    append = out.append
    for job in jobs:
        # `job_source` inlined for the common case (an untouched job read from binary).
        d = job.__dict__
        src = d.get(UPB) if len(d) == 1 else None
        if src is None:
            src = job_source(job)
            if src is job or not hasattr(src, "job_state"):
                append(JobInfo.from_message(src, job))
                continue
        elif not _is_queue_job(src.DESCRIPTOR):
            append(JobInfo.from_message(src, job))
            continue
        append(_queue_view(src, job))
    return out


@cache
def _is_queue_job(descriptor: Any) -> bool:
    """Whether a job message type is `GetJobs`' squeue shape (else `GetJob`'s sacct shape)."""
    return "job_state" in descriptor.fields_by_name


def _queue_view(u: Any, raw: Any) -> JobInfo:
    """`JobInfo.from_message` for a `GetJobs` job's upb message: the same values, with every
    field read once and no per-field calls (upb sub-messages are never None, and an unset
    `*NoVal` reads as the empty default, whose `set` is False)."""
    words = u.job_state  # iterating a upb list is slow; indexing and slicing are not
    states = (words[0],) if len(words) == 1 else tuple(words[:])
    # A time of 0 is None whatever its flags: read them only for another number.
    v = u.submit_time
    submit = n if (n := v.number) and v.set and not v.infinite else 0
    v = u.start_time
    start = n if (n := v.number) and v.set and not v.infinite else 0
    v = u.end_time
    end = n if (n := v.number) and v.set and not v.infinite else 0
    v = u.time_limit
    limit = v.number if v.set and not v.infinite else None
    v = u.exit_code.return_code
    code = v.number if v.set and not v.infinite else None
    return new_job_info(
        u.job_id,
        u.name,
        state_of(states),
        states,
        u.state_reason,
        code,
        epoch_time(submit) if submit else None,
        epoch_time(start) if start else None,
        epoch_time(end) if end else None,
        limit,
        u.nodes,
        u.partition,
        u.account,
        u.user_name,
        u.standard_output,
        u.standard_error,
        u.current_working_directory,
        raw,
    )
