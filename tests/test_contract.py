"""Our protos match S3M's public wire contract field for field (issue: protos)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from google.protobuf import descriptor_pb2

from tests.contract import compare, compare_common
from tests.protoc import compile_protos


@pytest.fixture(scope="module")
def fds() -> descriptor_pb2.FileDescriptorSet:
    return compile_protos()


def _file(fds: descriptor_pb2.FileDescriptorSet, name: str) -> descriptor_pb2.FileDescriptorProto:
    (fd,) = [f for f in fds.file if f.name == name]
    return fd


@pytest.mark.parametrize("version", ["42", "43", "44"])
def test_version_matches_contract(
    fds: descriptor_pb2.FileDescriptorSet, shared: Path, version: str
) -> None:
    contract = json.loads((shared / f"s3m-contract/v0.0.{version}.json").read_text())
    fd = _file(fds, f"olcf/s3m/slurm/v00{version}/slurm.proto")
    assert compare(fd, contract) == []
    # The contract data is whole: it lists as many messages, fields and methods as its stats.
    stats = contract["stats"]
    assert len(contract["messages"]) == stats["messages_total"]
    assert sum(len(m["fields"]) for m in contract["messages"]) == stats["fields_total"]
    assert len(contract["service"]["methods"]) == stats["methods"]


def test_common_matches_contract(fds: descriptor_pb2.FileDescriptorSet, shared: Path) -> None:
    common = json.loads((shared / "s3m-contract/common.json").read_text())
    assert compare_common(_file(fds, "olcf/s3m/common/v1alpha/headers.proto"), common) == []


def _mutated(
    fds: descriptor_pb2.FileDescriptorSet, version: str
) -> descriptor_pb2.FileDescriptorProto:
    fd = descriptor_pb2.FileDescriptorProto()
    fd.CopyFrom(_file(fds, f"olcf/s3m/slurm/v00{version}/slurm.proto"))
    return fd


def test_mismatch_is_reported_precisely(
    fds: descriptor_pb2.FileDescriptorSet, shared: Path
) -> None:
    contract = json.loads((shared / "s3m-contract/v0.0.43.json").read_text())
    fd = _mutated(fds, "43")
    job_id_req = next(m for m in fd.message_type if m.name == "JobIdReq")
    job_id_req.field[0].number = 7
    required = next(
        n for m in fd.message_type if m.name == "SlurmDBJobDescription"
        for n in m.nested_type if n.name == "Required"
    )  # fmt: skip
    required.field[0].json_name = "cpus"
    ping = next(m for m in fd.service[0].method if m.name == "Ping")
    from google.api import annotations_pb2

    ping.options.Extensions[annotations_pb2.http].get = "/slurm/v0.0.43/pong"
    assert compare(fd, contract) == [
        "olcf.s3m.slurm.v0043.SlurmIndirect.Ping: http: contract "
        "{'method': 'get', 'path': '/slurm/v0.0.43/ping', 'body': None}, ours "
        "{'method': 'get', 'path': '/slurm/v0.0.43/pong', 'body': None}",
        "olcf.s3m.slurm.v0043.JobIdReq.job_id: number: contract 1, ours 7",
        "olcf.s3m.slurm.v0043.SlurmDBJobDescription.Required.CPUs: json_name: "
        "contract 'CPUs', ours 'cpus'",
    ]


def test_missing_and_retyped_fields_are_reported(
    fds: descriptor_pb2.FileDescriptorSet, shared: Path
) -> None:
    contract = json.loads((shared / "s3m-contract/v0.0.44.json").read_text())
    fd = _mutated(fds, "44")
    submit = next(m for m in fd.message_type if m.name == "JobSubmitReq")
    del submit.field[1]  # jobs
    submit.field[0].type = descriptor_pb2.FieldDescriptorProto.TYPE_BYTES
    assert compare(fd, contract) == [
        "olcf.s3m.slurm.v0044.JobSubmitReq: fields: contract ['script', 'jobs', 'job'], "
        "ours ['script', 'job']",
        "olcf.s3m.slurm.v0044.JobSubmitReq.script: type: contract 'string', ours 'bytes'",
    ]
