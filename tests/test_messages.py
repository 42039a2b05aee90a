"""Every generated message round-trips, and fields land on the contract's numbers on the wire."""

from __future__ import annotations

import importlib
from typing import Any

import betterproto2
import pytest
from google.protobuf import descriptor_pb2
from google.protobuf.message import Message as UpbMessage

from tests.protoc import VERSIONS, compile_protos

FDP = descriptor_pb2.FieldDescriptorProto


def _upb(version: str) -> Any:
    return importlib.import_module(f"s3m_grpc._upb.olcf.s3m.slurm.{version}.slurm_pb2")


def _classes(version: str) -> list[type[betterproto2.Message]]:
    mod = importlib.import_module(f"s3m_grpc.slurm.{version}")
    out = []
    for name in mod.__all__:
        obj = getattr(mod, name)
        if isinstance(obj, type) and issubclass(obj, betterproto2.Message):
            out.append(obj)
    return out


SAMPLE: dict[int, object] = {
    FDP.TYPE_STRING: "s",
    FDP.TYPE_BOOL: True,
    FDP.TYPE_INT32: -7,
    FDP.TYPE_INT64: -(2**40),
    FDP.TYPE_UINT32: 2**31 + 5,
    FDP.TYPE_UINT64: 2**63 + 9,
    FDP.TYPE_DOUBLE: 1.5,
    FDP.TYPE_FLOAT: 2.5,
}


def _fill(msg: UpbMessage, depth: int = 0) -> None:
    """Set every field of a upb message (two levels of nesting) to a non-default value."""
    for f in msg.DESCRIPTOR.fields:
        if f.message_type is not None:
            if depth > 2:
                continue
            if f.is_repeated:
                _fill(getattr(msg, f.name).add(), depth + 1)
            else:
                sub = getattr(msg, f.name)
                sub.SetInParent()
                _fill(sub, depth + 1)
        elif f.is_repeated:
            getattr(msg, f.name).append(SAMPLE[f.type])
        else:
            setattr(msg, f.name, SAMPLE[f.type])


@pytest.mark.parametrize("version", VERSIONS)
def test_every_message_round_trips_against_upb(version: str) -> None:
    """Bytes from upb decode into betterproto and re-encode to the same message."""
    upb = _upb(version)
    classes = _classes(version)
    assert len(classes) > 70
    checked = 0
    for cls in classes:
        proto_name = cls.__name__
        upb_cls = _find_upb(upb, version, cls)
        if upb_cls is None:
            assert proto_name == "Empty"
            continue
        full = upb_cls()
        _fill(full)
        data = full.SerializeToString()
        ours = cls.parse(data)
        back = upb_cls.FromString(bytes(ours))
        assert back == full, proto_name
        assert cls.parse(bytes(ours)) == ours
        checked += 1
    assert checked == len(classes) - 1


def _find_upb(upb: Any, version: str, cls: type[betterproto2.Message]) -> Any:
    """The upb class with the same full proto name as a betterproto class."""
    pool_name = _proto_names(version).get(cls.__name__)
    if pool_name is None:
        return None
    obj = upb
    for part in pool_name.split("."):
        obj = getattr(obj, part)
    return obj


_NAMES: dict[str, dict[str, str]] = {}


def _proto_names(version: str) -> dict[str, str]:
    """betterproto class name → nested proto name (e.g. SlurmDbJobDescriptionStepCpu)."""
    if version not in _NAMES:
        from betterproto2_compiler.casing import pascal_case

        fds = compile_protos()
        (fd,) = [f for f in fds.file if f.name == f"olcf/s3m/slurm/{version}/slurm.proto"]
        names: dict[str, str] = {}

        def walk(prefix: str, msgs: Any) -> None:
            for m in msgs:
                rel = f"{prefix}.{m.name}" if prefix else m.name
                names["".join(pascal_case(p) for p in rel.split("."))] = rel
                walk(rel, m.nested_type)

        walk("", fd.message_type)
        _NAMES[version] = names
    return _NAMES[version]


def test_v0044_submit_with_script_and_jobs_uses_documented_numbers() -> None:
    from s3m_grpc.slurm.v0044 import JobSubmitReq, JobSubmitReqJobDescription, Uint32NoVal

    req = JobSubmitReq(
        script="#!/bin/bash\necho Hello World",
        jobs=[JobSubmitReqJobDescription(name="a", time_limit=Uint32NoVal(number=60, set=True))],
    )
    upb = _upb("v0044").JobSubmitReq.FromString(bytes(req))
    assert upb.script == "#!/bin/bash\necho Hello World"
    assert [j.name for j in upb.jobs] == ["a"]
    assert upb.jobs[0].time_limit.number == 60
    assert not upb.HasField("job")
    assert {f.number for f, _ in upb.ListFields()} == {1, 2}


def test_v0044_submit_with_job_uses_field_3() -> None:
    from s3m_grpc.slurm.v0044 import JobSubmitReq, JobSubmitReqJobDescription

    req = JobSubmitReq(job=JobSubmitReqJobDescription(name="b", script="echo hi"))
    upb = _upb("v0044").JobSubmitReq.FromString(bytes(req))
    assert upb.job.name == "b"
    assert upb.job.script == "echo hi"
    assert [f.number for f, _ in upb.ListFields()] == [3]


@pytest.mark.parametrize("version", ["v0042", "v0043"])
def test_v0042_v0043_submit_job_is_field_1(version: str) -> None:
    mod = importlib.import_module(f"s3m_grpc.slurm.{version}")
    req = mod.JobSubmitReq(job=mod.JobSubmitReqJobDescription(name="c", minimum_nodes=1))
    upb = _upb(version).JobSubmitReq.FromString(bytes(req))
    assert [f.number for f, _ in upb.ListFields()] == [1]
    assert upb.job.minimum_nodes == 1
    assert upb.job.HasField("minimum_nodes")


def test_proto3_optional_presence_survives_zero() -> None:
    """`minimum_nodes=0` is sent (presence), unset is not: what SLURM's defaults rely on."""
    from s3m_grpc.slurm.v0043 import JobSubmitReqJobDescription

    upb_cls = _upb("v0043").JobSubmitReq.JobDescription
    assert upb_cls.FromString(bytes(JobSubmitReqJobDescription(minimum_nodes=0))).HasField(
        "minimum_nodes"
    )
    assert not upb_cls.FromString(bytes(JobSubmitReqJobDescription())).HasField("minimum_nodes")


def test_spec_names_import() -> None:
    from s3m_grpc.slurm.v0043 import (  # noqa: F401
        DeleteJobReq,
        Empty,
        JobIdReq,
        JobSubmitReq,
        JobSubmitReqJobDescription,
        SlurmIndirectStub,
        Uint32NoVal,
    )

    assert bytes(Empty()) == b""
    assert SlurmIndirectStub.SERVICE.method("Ping").grpc_path == (
        "/olcf.s3m.slurm.v0043.SlurmIndirect/Ping"
    )
