"""The v0.0.44 → v0.0.42/43 reply adapter, checked for every version against the contract."""

from __future__ import annotations

import copy
import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from s3m_grpc import jsoncodec
from s3m_grpc.server import shapes
from s3m_grpc.server.sandbox import Sandbox
from s3m_grpc.server.service import SERVICES
from s3m_grpc.server.sim import ManualClock, SimBackend
from tests.server.conftest import VERSIONS

NOVAL60 = {"set": True, "infinite": False, "number": 60}
OUT60 = {"set": True, "number": 60}  # JSON output omits default values
META = {
    "plugin": {"type": "openapi/slurmctld", "name": "x", "data_parser": "data_parser/v0.0.44"},
    "slurm": {"version": {"major": "25", "minor": "05", "micro": "3"}, "release": "25.05.3"},
}
# One v0.0.44-shaped reply per method, touching every field that differs between versions.
REPLIES: dict[str, dict[str, Any]] = {
    "GetPartitions": {"partitions": [{"name": "p", "nodes": {"allowed_allocation": "n[1-2]"}}]},
    "GetDiag": {
        "statistics": {
            "schedule_exit": {"default_queue_depth": 7},
            "schedule_cycle_depth": 3,
            "bf_table_size_sum": 4,
        }
    },
    "GetJobs": {"jobs": [{"job_id": 5, "job_resources": {"nodes": {"select_type": ["ONE_ROW"]}}}]},
    "GetJob": {
        "jobs": [
            {
                "job_id": 5,
                "group": "users",
                "exit_code": {"status": ["SIGNALED"], "signal": {"id": NOVAL60, "name": "TERM"}},
                "steps": [{"step": {"id": "5.batch", "name": "batch"}}],
            }
        ]
    },
    "GetReservations": {
        "reservations": [
            {
                "name": "r",
                "core_specializations": [{"node": "n1", "core": "0"}],
                "purge_completed": {"time": NOVAL60},
            }
        ]
    },
    "GetNodes": {"nodes": [{"name": "n1", "topology": "t", "cert_flags": ["A"]}]},
}


def module(version: str) -> Any:
    return importlib.import_module(f"s3m_grpc.slurm.v00{version[-2:]}")


def build(version: str, method: str) -> dict[str, Any]:
    reply = {"meta": META, **REPLIES[method]}
    before = copy.deepcopy(reply)
    cls = SERVICES[version].method(method).response_type
    out = jsoncodec.to_dict(shapes.to_message(cls, version, method, reply))
    assert reply == before  # the backend's dict is not modified
    return out


@pytest.mark.parametrize("version", VERSIONS)
def test_meta(version: str) -> None:
    meta = build(version, "GetNodes")["meta"]
    assert meta["plugin"]["data_parser"] == f"data_parser/{version}"
    expected = (
        {"major": 25, "minor": 5, "micro": 3}
        if version == "v0.0.42"
        else {"major": "25", "minor": "05", "micro": "3"}
    )
    assert meta["slurm"]["version"] == expected


@pytest.mark.parametrize("version", VERSIONS)
def test_renamed_and_retyped_fields(version: str) -> None:
    old = version != "v0.0.44"
    part = build(version, "GetPartitions")["partitions"][0]["nodes"]
    assert part == (
        {"allowed_configuration": "n[1-2]"} if old else {"allowed_allocation": "n[1-2]"}
    )
    diag = build(version, "GetDiag")["statistics"]
    assert diag["schedule_exit"] == (
        {"defult_queue_depth": 7} if old else {"default_queue_depth": 7}
    )
    assert ("schedule_cycle_depth" in diag) is not old
    nodes = build(version, "GetJobs")["jobs"][0]["job_resources"]["nodes"]
    assert nodes == ({"job_resources": ["ONE_ROW"]} if old else {"select_type": ["ONE_ROW"]})
    job = build(version, "GetJob")["jobs"][0]
    assert job[("gruop" if old else "group")] == "users"
    assert job["exit_code"]["signal"] == {"id": OUT60, "name": "TERM"}
    assert job["steps"][0]["step"] == {"id": "5.batch", "name": "batch"}
    resv = build(version, "GetReservations")["reservations"][0]
    if old:
        assert resv["core_specializations"] == ["n1:0"]
        assert resv["purge_completed"] == OUT60
    else:
        assert resv["core_specializations"] == [{"node": "n1", "core": "0"}]
        assert resv["purge_completed"] == {"time": OUT60}
    node = build(version, "GetNodes")["nodes"][0]
    assert ("topology" in node) is not old


def contract_names(shared: Path, version: str) -> dict[str, dict[str, str | None]]:
    """full message name → {json name: message type of the field or None}."""
    data = json.loads((shared / "s3m-contract" / f"{version}.json").read_text())
    return {
        m["full_name"]: {
            f["json_name"]: (f["type_name"] if f["type"] == "message" else None)
            for f in m["fields"]
        }
        for m in data["messages"]
    }


def walk(obj: Any, msg: str, names: dict[str, dict[str, str | None]], path: str) -> None:
    fields = names[msg]
    for key, value in obj.items():
        assert key in fields, f"{path}.{key} is not a JSON name of {msg}"
        sub = fields[key]
        if sub is None or sub.startswith("google."):
            continue
        for item in value if isinstance(value, list) else [value]:
            walk(item, sub, names, f"{path}.{key}")


@pytest.mark.parametrize("version", VERSIONS)
async def test_sim_replies_use_the_contract_names(
    version: str, shared: Path, tmp_path: Path
) -> None:
    from s3m_grpc.server.backend import Caller, SubmitRequest

    names = contract_names(shared, version)
    sim = SimBackend({"tick_interval": 0}, clock=ManualClock(), sandbox=Sandbox(tmp_path))
    caller = Caller("stf040", "u", frozenset({"compute-ace"}))
    job = await sim.submit(SubmitRequest("exit 0", [{}], caller))
    answers: dict[str, dict[str, Any]] = {
        "GetPartitions": {"partitions": await sim.partitions()},
        "GetNodes": {"nodes": await sim.nodes()},
        "GetReservations": {"reservations": await sim.reservations()},
        "GetDiag": {"statistics": await sim.diag()},
        "GetJobs": {"jobs": await sim.jobs()},
        "GetJob": {"jobs": await sim.job(job.job_id)},
        "Ping": {"pings": await sim.ping()},
    }
    for method, reply in answers.items():
        info = SERVICES[version].method(method)
        msg = shapes.to_message(
            info.response_type, version, method, {"meta": await sim.meta(), **reply}
        )
        as_dict = jsoncodec.to_dict(msg)
        payload = next(iter(reply))
        assert as_dict[payload], f"{method} lost its payload"
        walk(as_dict, jsoncodec.full_name(info.response_type), names, method)
    await sim.close()
