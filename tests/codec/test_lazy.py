"""What lazy filling means for a user: same class, fields read once, edits kept, typed errors."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from s3m_grpc import codec, fastcodec
from s3m_grpc.errors import InvalidRequestError, ProtocolError
from s3m_grpc.fastcodec._lazy import BYTES, UPB
from s3m_grpc.fastcodec.sample import jobs_reply_upb
from s3m_grpc.slurm import v0043, v0044


def reply_bytes(jobs: int = 50) -> bytes:
    return jobs_reply_upb(fastcodec.upb_class(v0044.JobsResp), jobs).SerializeToString()


def test_fields_are_converted_on_first_read_only() -> None:
    reply = codec.decode(v0044.JobsResp, reply_bytes())
    assert isinstance(reply, v0044.JobsResp)
    assert fastcodec.is_lazy(reply)
    job = reply.jobs[3]
    assert type(job) is v0044.SlurmJobDescription
    assert "name" not in job.__dict__
    assert job.job_id == 4
    assert job.name == job.__dict__["name"]
    assert job.name is job.name  # stored on first read, not converted again


def test_edits_of_a_lazy_message_are_encoded_and_kept_by_materialize() -> None:
    reply = codec.decode(v0044.JobsResp, reply_bytes(5))
    reply.jobs[0].name = "renamed"
    reply.jobs[1].job_state.append("EXTRA")
    del reply.jobs[4]
    again = v0044.JobsResp.parse(codec.encode(reply))
    assert again.jobs[0].name == "renamed"
    assert again.jobs[1].job_state[-1] == "EXTRA"
    assert len(again.jobs) == 4
    fastcodec.materialize(reply)
    assert not fastcodec.is_lazy(reply)
    assert not fastcodec.is_lazy(reply.jobs[2])
    assert reply == again


def test_dataclass_tools_see_the_values() -> None:
    job = codec.decode(v0044.JobsResp, reply_bytes(2)).jobs[1]
    plain = v0044.SlurmJobDescription.parse(codec.encode(job))
    assert dataclasses.asdict(job) == dataclasses.asdict(plain)
    assert dataclasses.replace(job, name="x") == dataclasses.replace(plain, name="x")
    assert job.is_set("job_id")
    assert job.to_json() == plain.to_json()


def test_class_attributes_are_not_values() -> None:
    with pytest.raises(AttributeError):
        _ = v0044.SlurmJobDescription.name
    msg = v0044.SlurmJobDescription(name="x")
    del msg.name
    with pytest.raises(AttributeError):
        _ = msg.name


def test_malformed_bytes_are_a_protocol_error() -> None:
    data = reply_bytes(3)
    with pytest.raises(ProtocolError, match="JobsResp"):
        codec.decode(v0044.JobsResp, data[:-7])
    with pytest.raises(ProtocolError):
        codec.decode(v0044.PingResp, b"\x0a\x05\xff\xfe\xfd\xfc\xfb")  # invalid UTF-8


def test_wrong_value_types_are_an_invalid_request_on_encode() -> None:
    bad = v0043.JobSubmitReq(job=v0043.JobSubmitReqJobDescription(name=5))  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError, match="JobSubmitReq"):
        codec.encode(bad)
    with pytest.raises(InvalidRequestError):
        codec.encode(v0043.Uint32NoVal(number=-1))


def test_a_message_kept_as_bytes_parses_them_once_on_first_read() -> None:
    job = codec.decode(v0044.JobsResp, reply_bytes(3)).jobs[2]
    wire = codec.encode(job)
    kept = fastcodec.decode_on_read(v0044.SlurmJobDescription, wire)
    assert type(kept) is v0044.SlurmJobDescription
    assert fastcodec.is_lazy(kept)
    assert list(kept.__dict__.values()) == [(fastcodec.upb_class(type(kept)), wire)]
    assert kept.name == job.name  # parsed now, read from upb from here on
    source = kept.__dict__[UPB]
    assert kept.job_id == 3
    assert kept.__dict__[UPB] is source
    assert set(kept.__dict__) == {UPB, "name", "job_id"}
    kept.name = "renamed"
    again = v0044.SlurmJobDescription.parse(codec.encode(kept))
    assert again.name == "renamed"
    assert again.job_id == 3
    unread: Any = fastcodec.decode_on_read(v0044.SlurmJobDescription, wire)
    with pytest.raises(AttributeError):
        _ = unread.no_such_field
    assert set(unread.__dict__) == {BYTES}
