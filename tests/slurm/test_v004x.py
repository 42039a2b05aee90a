"""The v0.0.42/43/44 translation, checked against SchedMD's OpenAPI documents (../shared).

No slurmrestd of these versions is packaged here, so replies are built from the documents'
schemas (every property filled), translated, and parsed strictly as the contract's v0.0.44
messages; the submit body is checked against the document's request schema; and a realistic
v0.0.44 job goes through the backend over HTTP from a slurmrestd-like server.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format
from google.protobuf.message import Message

from s3m_grpc._upb.olcf.s3m.slurm.v0044 import slurm_pb2
from s3m_grpc.server.backend import Caller, SubmitRequest
from s3m_grpc.server.slurm import SlurmBackend
from s3m_grpc.server.slurm.options import SlurmOptions
from s3m_grpc.server.slurm.v004x import VERSIONS, V004x
from tests import live

from .fakerestd import FakeRestd

JSON = dict[str, Any]
OPTS = SlurmOptions.parse({"jwt": "x", "workdir": "/w"}, environ={})


@cache
def _document(path: str) -> JSON:
    data: JSON = json.loads(Path(path).read_text())
    return data


@pytest.fixture(params=VERSIONS)
def doc(request: pytest.FixtureRequest, shared: Path) -> tuple[str, JSON]:
    version = str(request.param)
    path = shared / "slurm-openapi" / f"{version}.json"
    if not path.is_file():
        live.skip(f"SchedMD's {version} OpenAPI document is not in ../shared")
    return version, _document(str(path))


def resolve(doc: JSON, schema: JSON) -> JSON:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def instance(doc: JSON, schema: JSON, depth: int = 0) -> Any:
    """A value for `schema` with every property filled (what a chatty slurmrestd sends)."""
    schema = resolve(doc, schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 12:
            return {}
        return {k: instance(doc, v, depth + 1) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [] if depth > 12 else [instance(doc, schema.get("items", {}), depth + 1)]
    return {"integer": 7, "number": 1.5, "boolean": True}.get(str(kind), "x")


def reply(doc: JSON, version: str, name: str) -> JSON:
    schema = doc["components"]["schemas"][f"{version}_{name}"]
    value: JSON = instance(doc, schema)
    return value


def strict(cls: type[Message], data: JSON) -> None:
    json_format.ParseDict(data, cls(), ignore_unknown_fields=False)


def conforms(doc: JSON, schema: JSON, value: Any, path: str = "$") -> list[str]:
    """Where `value` does not fit `schema` (unknown keys and wrong JSON types)."""
    schema = resolve(doc, schema)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__} is not an object"]
        props = schema.get("properties", {})
        problems = [f"{path}.{k}: not in the schema" for k in value if k not in props]
        for k, v in value.items():
            if k in props:
                problems += conforms(doc, props[k], v, f"{path}.{k}")
        return problems
    expected: dict[str, type | tuple[type, ...]] = {
        "array": list,
        "string": str,
        "boolean": bool,
        "integer": int,
        "number": (int, float),
    }
    want = expected.get(str(kind))
    if want is not None and not isinstance(value, want):
        return [f"{path}: {value!r} is not {kind}"]
    if kind == "array":
        return [
            p
            for i, v in enumerate(value)
            for p in conforms(doc, schema["items"], v, f"{path}[{i}]")
        ]
    return []


def test_every_reply_fits_the_contract(doc: tuple[str, JSON]) -> None:
    version, d = doc
    dialect = V004x(version)
    jobs = reply(d, version, "openapi_job_info_resp")
    for job in dialect.jobs(jobs):
        strict(slurm_pb2.SlurmJobDescription, job)
    for db in dialect.db_jobs(jobs, now=10):
        strict(slurm_pb2.SlurmDBJobDescription, db)
    for node in dialect.nodes(reply(d, version, "openapi_nodes_resp"), "c"):
        strict(slurm_pb2.SlurmNodeDescription, node)
    for part in dialect.partitions(reply(d, version, "openapi_partition_resp"), "c"):
        strict(slurm_pb2.SlurmPartitionDescription, part)
    for resv in dialect.reservations(reply(d, version, "openapi_reservation_resp")):
        strict(slurm_pb2.Reservation, resv)
    for ping in dialect.pings(reply(d, version, "openapi_ping_array_resp"), 5):
        strict(slurm_pb2.ControllerPingResp, ping)
    strict(slurm_pb2.DiagStatistics, dialect.diag(reply(d, version, "openapi_diag_resp")))
    killed = reply(d, version, "openapi_kill_job_resp")
    strict(slurm_pb2.DeleteJobResp.Status, dialect.cancel_status(7, killed))
    meta = dialect.meta(killed, "fallback")
    assert meta["slurm"].pop("cluster") == "x"  # slurmrestd names its cluster from v0.0.42 on
    strict(slurm_pb2.MetaResp, meta)
    submitted = dialect.submit_result(reply(d, version, "openapi_job_submit_response"))
    assert submitted.job_id == 7


def test_submit_body_fits_the_request_schema(doc: tuple[str, JSON]) -> None:
    version, d = doc
    job = {
        "name": "hello",
        "account": "stf040",
        "partition": "batch",
        "environment": ["A=1"],
        "time_limit": {"set": True, "infinite": False, "number": 5},
        "memory_per_node": {"set": True, "number": 100},
        "nodes": "1-2",
        "tasks": 2,
        "cpus_per_task": 1,
        "standard_output": "out-%j.txt",
        "current_working_directory": "/w/run",
    }
    body = V004x(version).submit_body("#!/bin/sh\ntrue\n", [job], OPTS)
    schema = d["components"]["schemas"][f"{version}_job_submit_req"]
    assert conforms(d, schema, body) == []
    assert body["job"]["environment"] == ["A=1"]
    default = V004x(version).submit_body("x", [{"name": "a"}, {"name": "b"}], OPTS)
    assert conforms(d, schema, default) == []
    assert default["jobs"][1]["environment"] == [f"{k}={v}" for k, v in OPTS.environment.items()]
    assert default["jobs"][0]["current_working_directory"] == "/w"


def noval(n: int) -> JSON:
    return {"set": True, "infinite": False, "number": n}


FAILED_JOB = {
    "job_id": 12,
    "name": "three",
    "job_state": ["FAILED"],
    "state_reason": "NonZeroExitCode",
    "exit_code": {"status": ["ERROR"], "return_code": noval(3), "signal": {"id": noval(0)}},
    "submit_time": noval(100),
    "start_time": noval(101),
    "end_time": noval(104),
    "nodes": "node001",
    "node_count": noval(1),
    "cpus": noval(1),
    "user_name": "alice",
    "cluster": "frontier",
    "current_working_directory": "/lustre/w",
    "standard_output": "/lustre/w/three-%j.out",
    "stdout_expanded": "/lustre/w/three-12.out",
    "time_limit": noval(10),
    "priority": noval(5),
}
V44_META = {
    "plugin": {
        "type": "openapi/slurmctld",
        "name": "Slurm OpenAPI slurmctld",
        "data_parser": "data_parser/v0.0.44",
    },
    "slurm": {
        "version": {"major": "25", "minor": "11", "micro": "1"},
        "release": "25.11.1",
        "cluster": "frontier",
    },
}


async def test_a_v0044_slurmrestd_through_the_backend(restd: FakeRestd) -> None:
    restd.meta = V44_META
    paths: JSON = {f"/slurm/{v}/ping/": {} for v in ("v0.0.38", "v0.0.42", "v0.0.43", "v0.0.44")}
    restd.json("GET", "/openapi/v3", {"paths": paths})
    restd.json(
        "GET",
        "/slurm/v0.0.44/ping",
        {
            "pings": [
                {
                    "hostname": "ctl",
                    "pinged": "UP",
                    "latency": 120,
                    "mode": "primary",
                    "responding": True,
                }
            ]
        },
    )
    restd.json("GET", "/slurm/v0.0.44/job/12", {"jobs": [FAILED_JOB]})
    restd.json("GET", "/slurm/v0.0.44/partitions", {"partitions": [{"name": "batch"}]})
    restd.json(
        "DELETE", "/slurm/v0.0.44/job/12", {"status": [{"job_id": noval(12), "step_id": "batch"}]}
    )
    restd.json("POST", "/slurm/v0.0.44/job/submit", {"job_id": 13, "step_id": "batch"})
    b = SlurmBackend({"url": restd.url, "jwt": "t", "user": "svc", "cluster": ""})
    try:
        [ping] = await b.ping()
        [job] = await b.job(12)
        [part] = await b.partitions()
        status = await b.cancel(12, "SIGINT", "BATCH_JOB")
        caller = Caller("p", "u", frozenset())
        result = await b.submit(SubmitRequest(script="x", jobs=[{"name": "n"}], caller=caller))
        meta = await b.meta()
    finally:
        await b.close()
    assert ping == {"hostname": "ctl", "pinged": "UP", "latency": 120, "mode": "primary"}
    assert job["state"] == {"current": ["FAILED"], "reason": "NonZeroExitCode"}
    assert job["exit_code"]["return_code"]["number"] == 3
    assert job["time"] == {
        "elapsed": 3,
        "start": 101,
        "end": 104,
        "suspended": 0,
        "planned": noval(1),
    }
    assert job["stdout_expanded"] == "/lustre/w/three-12.out"
    assert part["cluster"] == "frontier"  # from meta: no `cluster` option needed
    assert status["step_id"] == "batch"
    assert result.job_id == 13
    assert meta["slurm"]["release"] == "25.11.1"
    assert ("DELETE", "/slurm/v0.0.44/job/12?signal=SIGINT&flags=BATCH_JOB") in [
        s[:2] for s in restd.seen
    ]
