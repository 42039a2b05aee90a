"""The v0.0.38 translation on real slurmrestd 22.05 replies (captured in ../shared) and requests.

Every translated reply must parse as the contract's v0.0.44 message with unknown keys refused,
so a key or type the contract lacks fails here rather than in the server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format
from google.protobuf.message import Message

from s3m_grpc._upb.olcf.s3m.slurm.v0044 import slurm_pb2
from s3m_grpc.errors import (
    ErrorEntry,
    InvalidRequestError,
    NotFoundError,
    SlurmError,
    UnavailableError,
    UnsupportedVersionError,
)
from s3m_grpc.server.slurm import faults
from s3m_grpc.server.slurm.coerce import NO_VAL, coerce, descriptor, noval
from s3m_grpc.server.slurm.options import BackendConfigError, SlurmOptions
from s3m_grpc.server.slurm.v0038 import V0038, exit_code, expand_path, first_host
from tests import live

D = V0038()
OPTS = SlurmOptions.parse({"jwt": "x", "workdir": "/scratch/w"})
JSON = dict[str, Any]


def strict(cls: type[Message], data: JSON) -> Message:
    """Parse with unknown keys refused: the translation emits only contract fields."""
    msg = cls()
    json_format.ParseDict(data, msg, ignore_unknown_fields=False)
    return msg


@pytest.fixture(scope="module")
def replies(shared: Path) -> Path:
    path = shared / "recipes" / "real-slurm" / "responses-v0.0.38"
    if not path.is_dir():
        live.skip("captured v0.0.38 replies are not in ../shared")
    return path


def load(replies: Path, name: str) -> JSON:
    data: JSON = json.loads((replies / name).read_text())
    return data


@pytest.mark.parametrize("name", ["jobs-after.json", "jobs-running.json", "fake4/jobs.json"])
def test_job_lists_fit_the_contract(replies: Path, name: str) -> None:
    jobs = D.jobs(load(replies, name))
    assert jobs
    for job in jobs:
        msg: Any = strict(slurm_pb2.SlurmJobDescription, job)
        assert msg.job_id > 0
        assert msg.job_state


@pytest.mark.parametrize(
    ("name", "state", "status", "code"),
    [
        ("job-completed.json", "COMPLETED", "SUCCESS", 0),
        ("job-failed.json", "FAILED", "ERROR", 3),
        ("job-cancelled.json", "CANCELLED", "SIGNALED", 0),
        ("job-running.json", "RUNNING", "SUCCESS", 0),
        ("job-pending-held.json", "PENDING", "SUCCESS", 0),
    ],
)
def test_one_job_becomes_the_slurmdb_shape(
    replies: Path, name: str, state: str, status: str, code: int
) -> None:
    reply = load(replies, name)
    [job] = D.db_jobs(reply, now=int(reply["jobs"][0]["submit_time"]) + 100)
    strict(slurm_pb2.SlurmDBJobDescription, job)
    assert job["state"]["current"] == [state]
    assert job["exit_code"]["status"] == [status]
    assert job["exit_code"]["return_code"]["number"] == code
    if status == "SIGNALED":
        assert job["exit_code"]["signal"]["name"] == "TERM"
    assert job["job_id"] == reply["jobs"][0]["job_id"]
    assert job["stdout_expanded"].endswith(f"{job['job_id']}.out")
    if state == "RUNNING":
        assert job["time"]["end"] == 0
        assert job["time"]["elapsed"] > 0
    if name == "job-pending-held.json":
        assert job["hold"] is True
        assert job["time"]["start"] == 0


@pytest.mark.parametrize("name", ["nodes.json", "fake4/nodes.json"])
def test_nodes_fit_the_contract(replies: Path, name: str) -> None:
    reply = load(replies, name)
    nodes = D.nodes(reply, "s3m")
    assert [n["name"] for n in nodes] == [n["name"] for n in reply["nodes"]]
    for node, raw in zip(nodes, reply["nodes"], strict=True):
        strict(slurm_pb2.SlurmNodeDescription, node)
        assert node["state"][0] == raw["state"].upper()
        assert node["cpus"] == raw["cpus"]
        assert node["cluster_name"] == "s3m"
        assert node["alloc_idle_cpus"] == raw["idle_cpus"]


@pytest.mark.parametrize("name", ["partitions.json", "fake4/partitions.json"])
def test_partitions_fit_the_contract(replies: Path, name: str) -> None:
    reply = load(replies, name)
    parts = D.partitions(reply, "s3m")
    for part, raw in zip(parts, reply["partitions"], strict=True):
        strict(slurm_pb2.SlurmPartitionDescription, part)
        assert part["name"] == raw["name"]
        assert part["maximums"]["time"]["number"] == raw["max_time_limit"]
        assert part["nodes"]["configured"] == raw["nodes"]
        assert part["partition"]["state"] == ["UP"]
    assert parts[0]["maximums"]["cpus_per_node"]["infinite"] is True  # -1: no limit


def test_reservations_ping_diag_fit_the_contract(replies: Path) -> None:
    [resv] = D.reservations(load(replies, "reservations.json"))
    strict(slurm_pb2.Reservation, resv)
    assert resv["name"] == "maint"
    assert resv["flags"][0] == "MAINT"
    assert resv["watts"] == {"set": False, "infinite": False, "number": 0}  # NO_VAL
    [ping] = D.pings(load(replies, "ping.json"), 1234)
    assert strict(slurm_pb2.ControllerPingResp, ping)
    assert ping == {"hostname": "vm", "pinged": "UP", "latency": 1234, "mode": "primary"}
    diag = D.diag(load(replies, "diag.json"))
    strict(slurm_pb2.DiagStatistics, diag)
    assert diag["rpcs_by_message_type"][0]["average_time"]["set"] is True
    meta = D.meta(load(replies, "ping.json"), "s3m")
    assert meta["slurm"]["version"] == {"major": "22", "minor": "5", "micro": "8"}
    assert meta["plugin"]["type"] == "openapi/v0.0.38"


def test_error_shapes_become_entries(replies: Path) -> None:
    shapes = {
        "err-job-not-found.json": (2017, "Invalid job id specified"),
        "err-partition-not-found.json": (2000, "Invalid partition name specified"),
        "err-submit-bad-partition.json": (2000, "Invalid partition name specified"),
        "err-submit-no-script.json": (2009, "Job script not specified"),
    }
    for name, (number, text) in shapes.items():
        [first, *_] = faults.entries(load(replies, name))
        assert (first.error_number, first.error) == (number, text), name
    [hsearch, parse] = faults.entries(load(replies, "err-job-update-wrapped.json"))
    assert hsearch.description == 'Unknown key "job"'
    assert parse.error_number == 9001
    err = faults.failure(500, faults.entries(load(replies, "err-job-not-found.json")), what="x")
    assert isinstance(err, NotFoundError)
    assert err.errors[0].source == "slurm_load_job"
    held = D.submit_result(load(replies, "job-submit-held.json"))
    assert held.job_id == 4
    assert held.warnings[0]["warning"].startswith("Job is in held state")


def test_error_classes() -> None:
    e = faults.entries
    assert isinstance(faults.failure(401, [], what="x"), UnavailableError)
    assert isinstance(faults.failure(404, [], what="x"), UnsupportedVersionError)
    bad = e({"errors": [{"error_code": 2000, "error": "Invalid partition name specified"}]})
    assert isinstance(faults.failure(500, bad, what="x", submit=True), InvalidRequestError)
    other = e({"errors": [{"error_number": -1, "error": "Unspecified error"}]})
    assert isinstance(faults.failure(500, other, what="x"), SlurmError)
    node = e({"errors": [{"errno": 2018, "error": "Invalid node name specified"}]})
    assert isinstance(faults.failure(500, node, what="x"), NotFoundError)
    assert ErrorEntry.from_json("text").error == "text"


def test_exit_codes_from_wait_status() -> None:
    assert exit_code(0)["status"] == ["SUCCESS"]
    assert exit_code(3 << 8)["return_code"] == {"set": True, "infinite": False, "number": 3}
    killed = exit_code(9)
    assert killed["status"] == ["SIGNALED"]
    assert killed["signal"]["name"] == "KILL"
    assert exit_code(0x80 | 11)["status"] == ["SIGNALED", "CORE_DUMPED"]
    assert exit_code(None)["status"] == ["INVALID"]
    assert exit_code(NO_VAL)["status"] == ["INVALID"]


def test_noval_and_overflow() -> None:
    assert noval(None) == {"set": False, "infinite": False, "number": 0}
    assert noval(NO_VAL) == {"set": False, "infinite": False, "number": 0}
    assert noval(-1)["infinite"] is True
    assert noval(7) == {"set": True, "infinite": False, "number": 7}
    # a counter too large for the contract's int32 is dropped rather than failing the parse
    diag = coerce({"jobs_submitted": 2**40, "jobs_started": 5}, descriptor("DiagStatistics"))
    assert diag == {"jobs_started": 5}


def test_output_paths_expand_like_sbatch() -> None:
    job = {
        "job_id": 42,
        "name": "hello",
        "user_name": "alice",
        "nodes": "node[001-002]",
        "current_working_directory": "/w",
    }
    assert expand_path("out-%j.txt", job) == "/w/out-42.txt"
    assert expand_path("/o/%x.%u.%N.%6j.%%", job) == "/o/hello.alice.node001.000042.%"
    assert first_host("node[003-004,007],gpu01") == "node003"
    assert first_host("gpu01,node[1-2]") == "gpu01"
    assert first_host("") == ""


def test_submit_body_translates_the_contract_job() -> None:
    job = {
        "name": "hello",
        "environment": ["A=1", "B=x=y"],
        "time_limit": {"set": True, "number": 5},
        "memory_per_node": {"set": True, "number": 100},
        "priority": {"set": True, "number": 10},
        "nodes": "2-3",
        "tasks": 4,
        "standard_output": "out-%j.txt",
    }
    body = D.submit_body("#!/bin/sh\ntrue\n", [job], OPTS)
    props = body["job"]
    assert body["script"].startswith("#!/bin/sh")
    assert props["environment"] == {"A": "1", "B": "x=y"}
    assert props["time_limit"] == 5
    assert props["memory_per_node"] == 100
    assert props["priority"] == "10"
    assert props["nodes"] == "2-3"
    assert props["tasks"] == 4
    assert props["current_working_directory"] == "/scratch/w"
    assert props["standard_output"] == "out-%j.txt"
    unset = D.submit_body("x", [{"time_limit": {"infinite": True}}], OPTS)["job"]
    assert "time_limit" not in unset
    assert unset["environment"] == dict(OPTS.environment)
    het = D.submit_body("x", [{"name": "a"}, {"name": "b", "minimum_nodes": 2}], OPTS)
    assert [j["name"] for j in het["jobs"]] == ["a", "b"]
    assert het["jobs"][1]["nodes"] == "2"


@pytest.mark.parametrize(
    "job",
    [
        {"minimum_cpus": 4},
        {"environment": ["NOEQUALS"]},
        {"nodes": "two"},
    ],
)
def test_submit_body_refuses_what_v0038_cannot_say(job: JSON) -> None:
    with pytest.raises(InvalidRequestError) as info:
        D.submit_body("x", [job], OPTS)
    assert info.value.errors
    assert info.value.errors[0].error_number == 9001


def test_submit_without_job_id_is_refused_and_cancel_flags_too() -> None:
    reply = {"errors": [{"error_code": 2000, "error": "Invalid partition name specified"}]}
    with pytest.raises(InvalidRequestError) as info:
        D.submit_result(reply)
    assert info.value.errors[0].error_number == 2000
    with pytest.raises(InvalidRequestError):
        D.cancel_params("", "BATCH_JOB")
    assert D.cancel_params("SIGKILL", "") == {"signal": "SIGKILL"}
    status = D.cancel_status(7, {})
    strict(slurm_pb2.DeleteJobResp.Status, status)


def test_options_are_checked_and_hide_the_token() -> None:
    opts = SlurmOptions.parse({"jwt": "secret-token-value", "openapi_version": "0.0.38"})
    assert opts.openapi_version == "v0.0.38"
    assert "secret-token-value" not in repr(opts)
    with pytest.raises(BackendConfigError, match="jwt"):
        SlurmOptions.parse({}, environ={})
    env = {
        "S3M_SLURM_URL": "http://127.0.0.1:7000",
        "S3M_SLURM_JWT_FILE": "/x/jwt.token",
        "S3M_SLURM_USER": "bob",
    }
    from_env = SlurmOptions.parse({"user": "carol"}, environ=env)
    assert from_env.url == "http://127.0.0.1:7000"
    assert str(from_env.jwt_file) == "/x/jwt.token"
    assert from_env.user == "carol"  # the [backend] table wins over the environment
    with pytest.raises(BackendConfigError, match="unknown"):
        SlurmOptions.parse({"jwt": "x", "nodez": 1})
    with pytest.raises(BackendConfigError, match="http"):
        SlurmOptions.parse({"jwt": "x", "url": "ftp://x"})
