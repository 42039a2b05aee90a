"""JSON with the contract's names: exact keys out, tolerant reading in, typed errors."""

from __future__ import annotations

import pytest

from s3m_grpc import jsoncodec
from s3m_grpc.errors import InvalidRequestError, ProtocolError
from s3m_grpc.slurm import v0042, v0043, v0044


def test_json_names_from_contract() -> None:
    req = v0044.SlurmDbJobDescriptionRequired(
        cp_us=4, memory_per_cpu=v0044.Uint64NoVal(set=True, number=2**40)
    )
    assert jsoncodec.to_dict(req) == {
        "CPUs": 4,
        "memory_per_cpu": {"set": True, "number": 2**40},
    }
    step = v0043.SlurmDbJobDescriptionStep(cpu=v0043.SlurmDbJobDescriptionStepCpu(governor="x"))
    assert jsoncodec.to_dict(step) == {"CPU": {"governor": "x"}}


def test_tolerant_reading() -> None:
    data = b'{"CPUs": 4, "memory_per_cpu": {"number": "1099511627776"}, "future_key": [1]}'
    msg = jsoncodec.from_json(v0044.SlurmDbJobDescriptionRequired, data)
    assert msg.cp_us == 4
    assert msg.memory_per_cpu is not None
    assert msg.memory_per_cpu.number == 2**40
    assert jsoncodec.from_json(v0044.PingResp, b"{}") == v0044.PingResp()


def test_spec_submit_body_round_trips() -> None:
    body = {
        "job": {
            "name": "my-job",
            "account": "STF040",
            "partition": "batch-cpu",
            "minimum_nodes": 1,
            "tasks": 1,
            "time_limit": {"number": 60, "set": True},
            "current_working_directory": "/lustre/polis/stf040/scratch/user",
            "environment": ["PATH=/usr/bin"],
            "script": "#!/bin/bash\necho Hello World",
        }
    }
    msg = jsoncodec.from_dict(v0043.JobSubmitReq, body, request=True)
    assert msg.job is not None
    assert msg.job.minimum_nodes == 1
    assert jsoncodec.to_dict(msg) == {
        "job": {**body["job"], "time_limit": {"set": True, "number": 60}}
    }


def test_v0042_version_fields_are_numbers_v0043_strings() -> None:
    meta = {"slurm": {"version": {"major": "25", "minor": "5", "micro": "1"}}}
    old = jsoncodec.from_dict(v0042.MetaResp, meta)
    new = jsoncodec.from_dict(v0043.MetaResp, meta)
    assert jsoncodec.to_dict(old)["slurm"]["version"] == {"major": 25, "minor": 5, "micro": 1}
    assert jsoncodec.to_dict(new)["slurm"]["version"] == {"major": "25", "minor": "5", "micro": "1"}


@pytest.mark.parametrize("data", [b"[1", b"[]", b'"x"', b'{"job_id": {"a": 1}}', b"\xff"])
def test_bad_json_is_a_typed_error(data: bytes) -> None:
    with pytest.raises(ProtocolError):
        jsoncodec.from_json(v0043.JobIdReq, data)
    with pytest.raises(InvalidRequestError):
        jsoncodec.from_json(v0043.JobIdReq, data, request=True)
