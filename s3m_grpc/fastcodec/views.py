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
    return [JobInfo.from_message(job_source(job), job) for job in reply.jobs]
