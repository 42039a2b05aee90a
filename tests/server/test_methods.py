"""Every method, version and transport against a real server, with the same answers on both."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import grpc.aio
import httpx
import pytest

from s3m_grpc import jsoncodec
from s3m_grpc.server import LocalServer
from tests.server.conftest import RESOURCE, VERSIONS, RawStub

# Fields that hold "now" and so differ between two calls made a moment apart.
VOLATILE = {
    "last_update",
    "last_backfill",
    "req_time",
    "job_states_ts",
    "elapsed",
    "planned",
    "schedule_cycle_total",
    "end_job_queue",
    "schedule_cycle_sum",
    "rpcs_by_message_type",
    "rpcs_by_user",
    "last_sched_evaluation",
    "last_busy",
    "latency",
}


def messages(version: str) -> Any:
    return importlib.import_module(f"s3m_grpc.slurm.v00{version[-2:]}")


def stable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: stable(v) for k, v in obj.items() if k not in VOLATILE}
    if isinstance(obj, list):
        return [stable(v) for v in obj]
    return obj


def submit_request(m: Any, version: str, script: str, **fields: Any) -> Any:
    desc = dict(
        name="my-job",
        account="STF040",
        partition="batch-cpu",
        minimum_nodes=1,
        tasks=1,
        time_limit=m.Uint32NoVal(number=60, set=True),
        current_working_directory="/lustre/polis/stf040/scratch/user",
        environment=["PATH=/usr/bin:/bin"],
    )
    desc.update(fields)
    if version == "v0.0.44":
        return m.JobSubmitReq(script=script, jobs=[m.JobSubmitReqJobDescription(**desc)])
    return m.JobSubmitReq(job=m.JobSubmitReqJobDescription(script=script, **desc))


async def wait_state(stub: Any, m: Any, job_id: int, states: set[str]) -> Any:
    for _ in range(200):
        reply = await stub.get_job(m.JobIdReq(job_id=str(job_id)))
        if set(reply.jobs[0].state.current) & states:
            return reply
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} never reached {states}")


@pytest.mark.parametrize("version", VERSIONS)
async def test_every_method_on_both_transports(
    server: LocalServer, channel: grpc.aio.Channel, http: httpx.AsyncClient, version: str
) -> None:
    m = messages(version)
    resource = RESOURCE[version]
    stub = RawStub(channel, version, server.token, resource)
    base = f"/slurm/open/{version}/{resource}"
    headers = {"Authorization": server.token}

    async def rest(verb: str, path: str, **kw: Any) -> dict[str, Any]:
        resp = await http.request(verb, base + path, headers=headers, **kw)
        assert resp.status_code == 200, resp.text
        body: dict[str, Any] = resp.json()
        assert body.get("errors", []) == []
        return body

    # Read-only methods: the same answer over gRPC and REST.
    for call, path in [
        (stub.ping, "/ping"),
        (stub.get_diag, "/diag"),
        (stub.get_nodes, "/nodes"),
        (stub.get_partitions, "/partitions"),
        (stub.get_reservations, "/reservations"),
        (stub.get_jobs, "/jobs"),
    ]:
        reply = await call(m.Empty())
        assert reply.meta.slurm.release
        assert stable(jsoncodec.to_dict(reply)) == stable(await rest("GET", path))

    ping = await stub.ping(m.Empty())
    assert ping.pings[0].pinged == "UP"
    assert ping.meta.plugin.data_parser == f"data_parser/{version}"
    parts = await stub.get_partitions(m.Empty())
    assert [p.name for p in parts.partitions] == ["batch-cpu", "batch-gpu"]
    assert parts.partitions[0].nodes.total == 4
    nodes = await stub.get_nodes(m.Empty())
    assert [n.name for n in nodes.nodes][:2] == ["node001", "node002"]
    resv = await stub.get_reservations(m.Empty())
    assert resv.reservations[0].name == "maintenance-window"

    # Submit over gRPC, then read the job both ways.
    sub = await stub.post_job_submit(submit_request(m, version, "#!/bin/bash\necho Hello World"))
    assert sub.job_id
    assert sub.step_id == "batch"
    done = await wait_state(stub, m, sub.job_id, {"COMPLETED", "FAILED"})
    job = done.jobs[0]
    assert job.state.current == ["COMPLETED"]
    assert job.exit_code.return_code.number == 0
    rest_job = await rest("GET", f"/job/{sub.job_id}")
    assert stable(rest_job) == stable(jsoncodec.to_dict(done))
    out = server.host_path(job.stdout_expanded)
    assert out.read_text() == "Hello World\n"

    # Submit over REST, cancel over REST and gRPC.
    body = jsoncodec.to_dict(submit_request(m, version, "#!/bin/bash\nsleep 30"))
    sub2 = await rest("POST", "/job/submit", json=body)
    assert sub2["job_id"] == sub.job_id + 1
    await wait_state(stub, m, sub2["job_id"], {"RUNNING"})
    jobs = await stub.get_jobs(m.Empty())
    assert [j.job_state for j in jobs.jobs] == [["COMPLETED"], ["RUNNING"]]
    cancelled = await rest("DELETE", f"/job/{sub2['job_id']}", params={"signal": "SIGKILL"})
    assert cancelled["status"][0]["job_id"]["number"] == sub2["job_id"]
    final = await wait_state(stub, m, sub2["job_id"], {"CANCELLED"})
    assert final.jobs[0].state.current == ["CANCELLED"]
    again = await stub.delete_job(m.DeleteJobReq(job_id=str(sub2["job_id"])))
    assert again.status[0].error.code == 2021  # already completed

    diag = await stub.get_diag(m.Empty())
    assert diag.statistics.jobs_submitted == 2
    assert diag.statistics.jobs_completed == 1
    assert diag.statistics.jobs_canceled == 1
