"""Job ownership as SLURM does it: jobs belong to the token's project and user. Another
project sees a job but not its batch script, and may neither cancel nor signal it."""

from __future__ import annotations

import grpc
import grpc.aio
import httpx

from s3m_grpc.server import LocalServer, ServerConfig, TokenInfo
from s3m_grpc.server.config import READONLY, WRITE
from s3m_grpc.slurm import v0044
from tests.server.conftest import RawStub, grpc_error

ENV = ["PATH=/usr/bin:/bin"]
SCRIPT = "#!/bin/sh\nexport API_KEY=hunter2\nsleep 30\n"
TOKENS = {
    "alice-write": TokenInfo("stf040", "alice", frozenset({WRITE})),
    "alice-read": TokenInfo("stf040", "alice", frozenset({READONLY})),
    "bob-write": TokenInfo("abc123", "bob", frozenset({WRITE})),
    "bob-read": TokenInfo("abc123", "bob", frozenset({READONLY})),
}


async def test_other_projects_see_no_script_and_cannot_cancel_or_signal() -> None:
    async with LocalServer(ServerConfig(tokens=TOKENS)) as srv:
        base = "/slurm/open/v0.0.44/odo"
        async with httpx.AsyncClient(base_url=srv.rest_url, timeout=30) as http:
            sub = await http.post(
                f"{base}/job/submit",
                headers={"Authorization": "alice-write"},
                json={"script": SCRIPT, "job": {"environment": ENV}},
            )
            job_id = sub.json()["job_id"]

            async def record(token: str) -> dict[str, object]:
                resp = await http.get(f"{base}/job/{job_id}", headers={"Authorization": token})
                assert resp.status_code == 200
                job: dict[str, object] = resp.json()["jobs"][0]
                return job

            assert (await record("alice-read"))["script"] == SCRIPT
            for token in ("bob-read", "bob-write"):
                job = await record(token)
                assert job.get("script", "") == ""
                assert job["job_id"] == job_id
            for params in ({}, {"signal": "SIGUSR1"}, {"signal": "SIGKILL"}):
                resp = await http.delete(
                    f"{base}/job/{job_id}", headers={"Authorization": "bob-write"}, params=params
                )
                assert resp.status_code == 403
                entry = resp.json()["errors"][0]
                assert (entry["error_number"], entry["error"]) == (2002, "Access/permission denied")
            assert (await record("alice-read"))["state"] == {
                "current": ["RUNNING"],
                "reason": "None",
            }

        async with grpc.aio.insecure_channel(srv.grpc_target) as channel:
            bob = RawStub(channel, "v0.0.44", "bob-write", "odo")
            err = await grpc_error(bob.delete_job(v0044.DeleteJobReq(job_id=str(job_id))))
            assert err.code() == grpc.StatusCode.PERMISSION_DENIED
            seen = await bob.get_job(v0044.JobIdReq(job_id=str(job_id)))
            assert seen.jobs[0].script == ""
            alice = RawStub(channel, "v0.0.44", "alice-write", "odo")
            mine = await alice.get_job(v0044.JobIdReq(job_id=str(job_id)))
            assert mine.jobs[0].script == SCRIPT
            done = await alice.delete_job(v0044.DeleteJobReq(job_id=str(job_id)))
            assert done.status[0].error.code == 0
            after = await alice.get_job(v0044.JobIdReq(job_id=str(job_id)))
            assert after.jobs[0].state.current == ["CANCELLED"]
