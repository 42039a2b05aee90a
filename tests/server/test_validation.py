"""Submit/job-id validation as slurmrestd does it: errors[] entries and the right code, on
both transports (gRPC carries the entries as `ErrorResp` in the `s3m-errors-bin` trailer)."""

from __future__ import annotations

from typing import Any

import grpc
import grpc.aio
import httpx
import pytest

from s3m_grpc import codec
from s3m_grpc.errors import ERRORS_TRAILER
from s3m_grpc.server import Limits, LocalServer, ServerConfig
from s3m_grpc.server.sim import SimBackend
from s3m_grpc.slurm import v0043, v0044
from tests.server.conftest import RawStub, grpc_error

J43 = v0043.JobSubmitReqJobDescription
J44 = v0044.JobSubmitReqJobDescription
ENV = ["PATH=/usr/bin:/bin"]


def trailer_entries(err: grpc.aio.AioRpcError) -> list[v0044.ErrorResp]:
    trailer: Any = err.trailing_metadata() or ()
    return [
        codec.decode(v0044.ErrorResp, value)
        for key, value in trailer
        if key == ERRORS_TRAILER and isinstance(value, bytes)
    ]


# (name, v0.0.44 JSON body, gRPC code, HTTP status, SLURM error number)
CASES: list[tuple[str, dict[str, Any], grpc.StatusCode, int, int]] = [
    (
        "missing script",
        {"job": {"name": "x", "environment": ENV}},
        grpc.StatusCode.INVALID_ARGUMENT,
        400,
        2009,
    ),
    (
        "unknown partition",
        {"script": "#!/bin/sh\ntrue", "job": {"partition": "nope"}},
        grpc.StatusCode.INVALID_ARGUMENT,
        400,
        2000,
    ),
    (
        "unknown account",
        {"script": "#!/bin/sh\ntrue", "job": {"account": "XYZ999"}},
        grpc.StatusCode.INVALID_ARGUMENT,
        400,
        2045,
    ),
    (
        "job and jobs",
        {"script": "#!/bin/sh\ntrue", "job": {"name": "a"}, "jobs": [{"name": "b"}]},
        grpc.StatusCode.INVALID_ARGUMENT,
        400,
        9001,
    ),
    (
        "too many nodes",
        {"script": "#!/bin/sh\ntrue", "job": {"minimum_nodes": 9}},
        grpc.StatusCode.INVALID_ARGUMENT,
        400,
        2014,
    ),
    (
        "time limit over partition max",
        {"script": "#!/bin/sh\ntrue", "job": {"time_limit": {"set": True, "number": 99999}}},
        grpc.StatusCode.INVALID_ARGUMENT,
        400,
        2051,
    ),
    (
        "path outside the sandbox",
        {
            "script": "#!/bin/sh\ntrue",
            "job": {
                "current_working_directory": "/tmp/../../../etc",
                "standard_output": "../../../../../../etc/x",
            },
        },
        grpc.StatusCode.INVALID_ARGUMENT,
        400,
        2002,
    ),
    ("no job at all", {"script": "#!/bin/sh\ntrue"}, grpc.StatusCode.INVALID_ARGUMENT, 400, 9001),
]


@pytest.mark.parametrize(
    ("name", "body", "code", "status", "number"), CASES, ids=[c[0] for c in CASES]
)
async def test_submit_refused_on_both_transports(
    server: LocalServer,
    channel: grpc.aio.Channel,
    http: httpx.AsyncClient,
    name: str,
    body: dict[str, Any],
    code: grpc.StatusCode,
    status: int,
    number: int,
) -> None:
    resp = await http.post(
        "/slurm/open/v0.0.44/odo/job/submit", headers={"Authorization": server.token}, json=body
    )
    assert resp.status_code == status, resp.text
    errors = resp.json()["errors"]
    assert errors[0]["error_number"] == number
    assert errors[0]["description"]
    assert "job_id" not in resp.json()

    stub = RawStub(channel, "v0.0.44", server.token, "odo")
    from s3m_grpc import jsoncodec

    err = await grpc_error(stub.post_job_submit(jsoncodec.from_dict(v0044.JobSubmitReq, body)))
    assert err.code() == code
    entries = trailer_entries(err)
    assert [e.error_number for e in entries] == [e["error_number"] for e in errors]
    assert entries[0].description == errors[0]["description"]
    assert isinstance(server.backend, SimBackend)
    assert server.backend.engine.jobs == {}  # nothing was queued


async def test_v43_missing_script_and_bad_json(
    server: LocalServer, http: httpx.AsyncClient
) -> None:
    h = {"Authorization": server.token}
    url = "/slurm/open/v0.0.43/defiant/job/submit"
    resp = await http.post(url, headers=h, json={"job": {"name": "x"}})
    assert resp.status_code == 400
    assert resp.json()["errors"][0]["error_number"] == 2009
    resp = await http.post(url, headers=h, content=b"{not json")
    assert resp.status_code == 400
    assert "malformed JSON" in resp.json()["errors"][0]["description"]
    resp = await http.post(url, headers=h, json={"job": {"tasks": "many"}})
    assert resp.status_code == 400
    assert "JobSubmitReq" in resp.json()["errors"][0]["description"]
    resp = await http.post(url, headers=h, json=["a", "list"])
    assert resp.status_code == 400


@pytest.mark.parametrize("job_id", ["abc", "0", "-5", "1.5", "99999999999"])
async def test_bad_job_id(
    server: LocalServer, channel: grpc.aio.Channel, http: httpx.AsyncClient, job_id: str
) -> None:
    h = {"Authorization": server.token}
    for verb in ("GET", "DELETE"):
        resp = await http.request(verb, f"/slurm/open/v0.0.44/odo/job/{job_id}", headers=h)
        assert resp.status_code == 400
        assert resp.json()["errors"][0]["error_number"] == 2017
    stub = RawStub(channel, "v0.0.44", server.token, "odo")
    err = await grpc_error(stub.get_job(v0044.JobIdReq(job_id=job_id)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert trailer_entries(err)[0].error == "Invalid job id specified"


async def test_unknown_job(
    server: LocalServer, channel: grpc.aio.Channel, http: httpx.AsyncClient
) -> None:
    h = {"Authorization": server.token}
    resp = await http.get("/slurm/open/v0.0.43/defiant/job/424242", headers=h)
    assert resp.status_code == 404
    assert resp.json()["errors"][0]["description"] == "Unable to find JobId=424242"
    resp = await http.delete("/slurm/open/v0.0.43/defiant/job/424242", headers=h)
    assert resp.status_code == 404
    stub = RawStub(channel, "v0.0.43", server.token, "defiant")
    err = await grpc_error(stub.delete_job(v0043.DeleteJobReq(job_id="424242")))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert trailer_entries(err)[0].error_number == 2017


async def test_bad_signal_and_flags(server: LocalServer, http: httpx.AsyncClient) -> None:
    h = {"Authorization": server.token}
    sub = await http.post(
        "/slurm/open/v0.0.44/odo/job/submit",
        headers=h,
        json={"script": "#!/bin/sh\nsleep 20", "job": {"environment": ENV}},
    )
    job_id = sub.json()["job_id"]
    url = f"/slurm/open/v0.0.44/odo/job/{job_id}"
    resp = await http.delete(url, headers=h, params={"signal": "SIGNOPE"})
    assert resp.status_code == 400
    assert resp.json()["errors"][0]["description"] == "Unknown signal SIGNOPE"
    resp = await http.delete(url, headers=h, params={"flags": "EXPLODE"})
    assert resp.status_code == 400
    resp = await http.delete(url, headers=h, params={"signal": "SIGKILL", "flags": "FULL_JOB"})
    assert resp.status_code == 200


async def test_request_and_script_size_limits() -> None:
    limits = Limits(max_request_bytes=64 * 1024, max_script_bytes=1024)
    async with LocalServer(ServerConfig(limits=limits)) as srv:
        h = {"Authorization": srv.token}
        async with httpx.AsyncClient(base_url=srv.rest_url) as http:
            big = {"script": "#!/bin/sh\n" + "# pad\n" * 20000, "job": {}}
            resp = await http.post("/slurm/open/v0.0.44/odo/job/submit", headers=h, json=big)
            assert resp.status_code == 413
            assert resp.json()["errors"]
            script = {"script": "#!/bin/sh\n" + "#" * 2000, "job": {}}
            resp = await http.post("/slurm/open/v0.0.44/odo/job/submit", headers=h, json=script)
            assert resp.status_code == 413
            assert "at most 1024" in resp.json()["errors"][0]["description"]
        async with grpc.aio.insecure_channel(srv.grpc_target) as ch:
            stub = RawStub(ch, "v0.0.44", srv.token, "odo")
            req = v0044.JobSubmitReq(script="#!/bin/sh\n" + "#" * 100_000, job=J44())
            err = await grpc_error(stub.post_job_submit(req))
            assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert isinstance(srv.backend, SimBackend)
        assert srv.backend.engine.jobs == {}


async def test_garbage_grpc_request(server: LocalServer, channel: grpc.aio.Channel) -> None:
    call = channel.unary_unary("/olcf.s3m.slurm.v0044.SlurmIndirect/GetJob", None, None)
    err = await grpc_error(
        call(b"\xff\xff\xff", metadata=(("authorization", server.token), ("olcf-resource", "odo")))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "cannot decode" in (err.details() or "")


async def test_with_storage_header_reaches_the_backend(
    server: LocalServer, channel: grpc.aio.Channel, http: httpx.AsyncClient
) -> None:
    body = {"script": "#!/bin/sh\ntrue", "job": {"begin_time": {"set": True, "number": 4e9}}}
    h = {"Authorization": server.token, "x-s3m-withstorage": "true"}
    rest = await http.post("/slurm/open/v0.0.44/odo/job/submit", headers=h, json=body)
    call = channel.unary_unary(
        "/olcf.s3m.slurm.v0044.SlurmIndirect/PostJobSubmit",
        codec.encode,
        lambda b: codec.decode(v0044.JobSubmitResp, b),
    )
    from s3m_grpc import jsoncodec

    md = (("authorization", server.token), ("olcf-resource", "odo"))
    plain = await call(jsoncodec.from_dict(v0044.JobSubmitReq, body), metadata=md)
    stored = await call(
        jsoncodec.from_dict(v0044.JobSubmitReq, body), metadata=(*md, ("x-s3m-withstorage", "1"))
    )
    assert isinstance(server.backend, SimBackend)
    jobs = server.backend.engine.jobs
    assert jobs[rest.json()["job_id"]].with_storage
    assert not jobs[plain.job_id].with_storage
    assert jobs[stored.job_id].with_storage


ODD_NUMBERS = ["²", "١٢", "\uff11\uff12", "12\u200b", "9" * 5000]


async def test_odd_job_ids_and_signals_are_invalid_argument_not_internal() -> None:
    """Superscripts, other scripts' digits (Arabic-Indic ١٢ is not job 12) and a 5,000-digit
    number are refused like any bad id or signal: 400 / INVALID_ARGUMENT, never 500/INTERNAL."""
    async with LocalServer(ServerConfig(backend_options={"first_job_id": 12})) as srv:
        h = {"Authorization": srv.token}
        async with httpx.AsyncClient(base_url=srv.rest_url, timeout=30) as http:
            sub = await http.post(
                "/slurm/open/v0.0.44/odo/job/submit",
                headers=h,
                json={"script": "#!/bin/sh\nsleep 30", "job": {"environment": ENV}},
            )
            assert sub.json()["job_id"] == 12
            for odd in ODD_NUMBERS:
                for verb in ("GET", "DELETE"):
                    resp = await http.request(verb, f"/slurm/open/v0.0.44/odo/job/{odd}", headers=h)
                    assert resp.status_code == 400, (verb, odd[:10], resp.text[:200])
                    assert resp.json()["errors"][0]["error_number"] == 2017
                resp = await http.delete(
                    "/slurm/open/v0.0.44/odo/job/12", headers=h, params={"signal": odd}
                )
                assert resp.status_code == 400, (odd[:10], resp.text[:200])
                assert resp.json()["errors"][0]["error"] == "Failure during parsing"
            job = await http.get("/slurm/open/v0.0.44/odo/job/12", headers=h)
            assert job.json()["jobs"][0]["state"]["current"] == ["RUNNING"]  # never signalled
        async with grpc.aio.insecure_channel(srv.grpc_target) as channel:
            stub = RawStub(channel, "v0.0.44", srv.token, "odo")
            for odd in ODD_NUMBERS:
                err = await grpc_error(stub.get_job(v0044.JobIdReq(job_id=odd)))
                assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
                err = await grpc_error(stub.delete_job(v0044.DeleteJobReq(job_id=odd)))
                assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
                err = await grpc_error(stub.delete_job(v0044.DeleteJobReq(job_id="12", signal=odd)))
                assert err.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_cpu_counts_checked_against_the_partition_and_listing_survives() -> None:
    """tasks x cpus_per_task lands in 32-bit reply fields: 70000 x 70000 and negative counts
    are refused at submit with SLURM's errors, and the listing keeps working."""
    async with LocalServer(ServerConfig()) as srv:
        h = {"Authorization": srv.token}
        url = "/slurm/open/v0.0.44/odo/job/submit"
        async with httpx.AsyncClient(base_url=srv.rest_url, timeout=30) as http:
            for job, number in (
                ({"tasks": 70000, "cpus_per_task": 70000}, 2005),
                ({"tasks": 100000}, 2005),
                ({"tasks": -5}, 2025),
                ({"cpus_per_task": -1}, 2025),
            ):
                body = {"script": "#!/bin/sh\ntrue", "job": {**job, "environment": ENV}}
                resp = await http.post(url, headers=h, json=body)
                assert resp.status_code == 400, job
                assert resp.json()["errors"][0]["error_number"] == number
            ok = await http.post(
                url,
                headers=h,
                json={"script": "#!/bin/sh\ntrue", "job": {"tasks": 4, "environment": ENV}},
            )
            assert ok.status_code == 200
            listing = await http.get("/slurm/open/v0.0.44/odo/jobs", headers=h)
            assert listing.status_code == 200
            assert [j["job_id"] for j in listing.json()["jobs"]] == [ok.json()["job_id"]]


@pytest.mark.parametrize("version", ["v0.0.42", "v0.0.44"])
async def test_one_bad_record_is_reported_not_fatal_to_the_listing(version: str) -> None:
    """A record that cannot be encoded (here: a job whose CPU count no 32-bit field holds, as an
    old state file could carry) is left out of GetJobs with a warning naming it; every other
    job is listed, on both transports."""
    resource = "defiant" if version == "v0.0.42" else "odo"
    async with LocalServer(ServerConfig()) as srv:
        h = {"Authorization": srv.token}
        ids = []
        async with httpx.AsyncClient(base_url=srv.rest_url, timeout=30) as http:
            for _ in range(3):
                sub = await http.post(
                    f"/slurm/open/{version}/{resource}/job/submit",
                    headers=h,
                    json={"job": {"script": "#!/bin/sh\nsleep 30", "environment": ENV}},
                )
                ids.append(sub.json()["job_id"])
            backend = srv.backend
            assert isinstance(backend, SimBackend)
            bad = backend.engine.jobs[ids[1]]
            bad.tasks = bad.cpus_per_task = 70000
            listing = await http.get(f"/slurm/open/{version}/{resource}/jobs", headers=h)
            assert listing.status_code == 200
            reply = listing.json()
            assert [j["job_id"] for j in reply["jobs"]] == [ids[0], ids[2]]
            (warning,) = reply["warnings"]
            assert warning["description"].startswith(f"job {ids[1]} left out of this reply")
        async with grpc.aio.insecure_channel(srv.grpc_target) as channel:
            stub = RawStub(channel, version, srv.token, resource)
            jobs = await stub.get_jobs()
            assert [j.job_id for j in jobs.jobs] == [ids[0], ids[2]]
            assert f"job {ids[1]} left out" in jobs.warnings[0].description


@pytest.mark.parametrize(
    "body",
    [
        {"script": "#!/bin/bash\ntrue\n", "job": {"name": "x", "environment": ["A=1"]}},
        {"job": {"name": "x", "script": "#!/bin/bash\ntrue\n", "nodez": 2}},
    ],
    ids=["v42-has-no-top-level-script", "misspelled-field"],
)
async def test_a_field_the_request_message_lacks_is_refused(
    server: LocalServer, http: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    """As protojson (grpc-gateway) does: a field the version's message lacks is a 400 naming
    it, not silently dropped (a v0.0.42 submit's top-level script would be lost)."""
    reply = await http.post(
        "/slurm/open/v0.0.42/defiant/job/submit",
        json=body,
        headers={"Authorization": server.token},
    )
    assert reply.status_code == 400
    errors = reply.json()["errors"]
    unknown = "script" if "script" in body else "nodez"
    assert unknown in errors[0]["description"]
    assert await server.backend.jobs() == []
