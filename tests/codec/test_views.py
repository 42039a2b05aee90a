"""Job views read from a lazy reply's upb message or JSON equal those read the slow way.

`job_infos` must give, for every job of a `GetJobs` or `GetJob` reply of every version, exactly
the `JobInfo` that `JobInfo.from_message` gives from the plain (fully converted) job, with the
betterproto2 job as `raw`; jobs already read or changed are viewed with those changes.
"""

from __future__ import annotations

from typing import Any

import betterproto2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s3m_grpc import codec, fastcodec, jsoncodec
from s3m_grpc.errors import ProtocolError
from s3m_grpc.fastcodec.sample import jobs_reply_upb
from s3m_grpc.fastcodec.views import job_infos
from s3m_grpc.jobs import JobInfo
from s3m_grpc.slurm import v0042, v0043, v0044
from tests.codec.strategies import messages

REPLIES = [
    m.SERVICE.method(n).response_type for m in (v0042, v0043, v0044) for n in ("GetJob", "GetJobs")
]
SETTINGS = settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _id(cls: type) -> str:
    return f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}"


def slow(reply: Any) -> list[JobInfo]:
    plain = fastcodec.materialize(reply)
    return [JobInfo.from_message(job) for job in plain.jobs]


def outcome(read: Any) -> Any:
    """The views `read()` gives, or the error class it raises (a timestamp out of datetime's
    range fails the same way on both paths)."""
    try:
        return read()
    except (ValueError, OverflowError, OSError) as exc:
        return type(exc)


def check(reply: Any, expected: list[JobInfo] | type) -> None:
    if isinstance(expected, type):
        assert outcome(lambda: job_infos(reply)) is expected
        return
    infos = job_infos(reply)
    assert infos == expected
    for info, want in zip(infos, expected, strict=True):
        assert info.to_dict() == want.to_dict()
        assert type(info.raw) is type(want.raw)
    # `raw` is the reply's own job (the same object `reply.jobs` gives, read before or after).
    assert all(i.raw is j for i, j in zip(infos, reply.jobs, strict=True))


@pytest.mark.parametrize("cls", REPLIES, ids=_id)
@SETTINGS
@given(data=st.data())
def test_views_equal_from_message(cls: type[betterproto2.Message], data: Any) -> None:
    msg = data.draw(messages(cls, unknown=False))
    wire = bytes(msg)
    expected = outcome(lambda: slow(codec.decode(cls, wire)))
    check(codec.decode(cls, wire), expected)
    check(jsoncodec.from_json(cls, jsoncodec.to_json(msg)), expected)


@pytest.mark.parametrize("module", [v0042, v0043, v0044], ids=lambda m: m.__name__[-5:])
def test_views_of_a_large_listing(module: Any) -> None:
    cls = module.JobsResp
    data = jobs_reply_upb(fastcodec.upb_class(cls), 300).SerializeToString()
    expected = slow(codec.decode(cls, data))
    assert {i.state for i in expected} > {expected[0].state}  # a varied listing
    check(codec.decode(cls, data), expected)
    check(jsoncodec.from_json(cls, jsoncodec.to_json(codec.decode(cls, data))), expected)


def test_jobs_read_or_changed_before_are_viewed_with_their_changes() -> None:
    data = jobs_reply_upb(fastcodec.upb_class(v0044.JobsResp), 4).SerializeToString()
    reply = codec.decode(v0044.JobsResp, data)
    reply.jobs[1].name = "renamed"
    _ = reply.jobs[2].job_state
    infos = job_infos(reply)
    assert infos[1].name == "renamed"
    assert infos == slow(reply)


def test_odd_json_values_read_as_json_format_reads_them() -> None:
    body = {"jobs": [{"job_id": "12", "name": "a"}, {"job_id": 3.0, "job_state": ["RUNNING"]}]}
    infos = job_infos(jsoncodec.from_dict(v0044.JobsResp, body))
    assert [(i.job_id, i.name, i.state_raw) for i in infos] == [
        (12, "a", ()),
        (3, "", ("RUNNING",)),
    ]
    bad = jsoncodec.from_dict(v0044.JobsResp, {"jobs": [{"job_id": 1}, {"job_id": "x"}]})
    with pytest.raises(ProtocolError, match="job_id"):
        job_infos(bad)


@pytest.mark.parametrize("seconds", [-62135596801, 2**62, -(2**62)])
def test_a_time_no_datetime_can_hold_is_unknown(seconds: int) -> None:
    from s3m_grpc.results import epoch_time

    assert epoch_time(seconds) is None
    assert epoch_time(1_700_000_000) is not None


def test_new_job_info_builds_the_same_frozen_job_info() -> None:
    """The bulk builder gives a real `JobInfo`: equal, hashed alike, frozen, every field in
    its place (distinct values, so a field stored in the wrong slot shows)."""
    import dataclasses

    from s3m_grpc.jobs import new_job_info

    values = [object() for _ in dataclasses.fields(JobInfo)]
    built = new_job_info(*values)
    plain = JobInfo(*values)  # type: ignore[arg-type]
    assert type(built) is JobInfo
    for f, value in zip(dataclasses.fields(JobInfo), values, strict=True):
        assert getattr(built, f.name) is value
    assert built == plain
    assert hash(built) == hash(plain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.name = "x"  # type: ignore[misc]
    assert dataclasses.replace(built, name="y").name == "y"
