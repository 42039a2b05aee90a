"""Auth and routing errors on both transports: codes, statuses and messages that say why."""

from __future__ import annotations

import time
from typing import Any

import grpc
import grpc.aio
import httpx
import pytest

from s3m_grpc.server import LocalServer, ServerConfig, TokenInfo
from s3m_grpc.server.sim import SimBackend
from s3m_grpc.slurm import v0043
from tests.server.conftest import RawStub, grpc_error

READ = frozenset({"compute-ace-readonly"})
WRITE = frozenset({"compute-ace"})
TOKENS = {
    "tok-write": TokenInfo("stf040", "alice", WRITE),
    "tok-read": TokenInfo("stf040", "bob", READ),
    "tok-expired": TokenInfo("stf040", "carol", WRITE, expires_at=time.time() - 60),
    "tok-later": TokenInfo("stf040", "dave", WRITE, expires_at=time.time() + 3600),
}


@pytest.fixture
async def srv() -> Any:
    async with LocalServer(ServerConfig(tokens=TOKENS)) as server:
        yield server


def stub43(channel: grpc.aio.Channel, token: str | None, resource: str | None) -> Any:
    return RawStub(channel, "v0.0.43", token, resource)


def submit43() -> v0043.JobSubmitReq:
    return v0043.JobSubmitReq(
        job=v0043.JobSubmitReqJobDescription(
            script="#!/bin/sh\ntrue", environment=["PATH=/usr/bin"]
        )
    )


@pytest.mark.parametrize(
    ("token", "code", "words"),
    [
        (None, grpc.StatusCode.UNAUTHENTICATED, "missing token"),
        ("nope", grpc.StatusCode.UNAUTHENTICATED, "unknown token"),
        ("Bearer tok-write", grpc.StatusCode.UNAUTHENTICATED, "without a 'Bearer ' prefix"),
        ("tok-expired", grpc.StatusCode.UNAUTHENTICATED, "expired token"),
    ],
)
async def test_grpc_auth_errors(srv: LocalServer, token: str | None, code: Any, words: str) -> None:
    async with grpc.aio.insecure_channel(srv.grpc_target) as ch:
        err = await grpc_error(stub43(ch, token, "defiant").ping())
    assert err.code() == code
    assert words in (err.details() or "")
    assert "tok-" not in (err.details() or "")  # the token is never echoed


@pytest.mark.parametrize(
    ("token", "status", "words"),
    [
        (None, 401, "missing token"),
        ("nope", 401, "unknown token"),
        ("tok-expired", 401, "expired token"),
    ],
)
async def test_rest_auth_errors(
    srv: LocalServer, token: str | None, status: int, words: str
) -> None:
    headers = {"Authorization": token} if token is not None else {}
    async with httpx.AsyncClient(base_url=srv.rest_url) as http:
        resp = await http.get("/slurm/open/v0.0.43/defiant/ping", headers=headers)
    assert resp.status_code == status
    errors = resp.json()["errors"]
    assert words in errors[0]["description"]


async def test_valid_tokens_pass(srv: LocalServer) -> None:
    async with grpc.aio.insecure_channel(srv.grpc_target) as ch:
        for token in ("tok-write", "tok-read", "tok-later"):
            reply = await stub43(ch, token, "defiant").ping()
            assert reply.pings[0].pinged == "UP"


async def test_readonly_token_cannot_submit_or_cancel(srv: LocalServer) -> None:
    async with grpc.aio.insecure_channel(srv.grpc_target) as ch:
        ro = stub43(ch, "tok-read", "defiant")
        err = await grpc_error(ro.post_job_submit(submit43()))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "read-only" in (err.details() or "")
        err = await grpc_error(ro.delete_job(v0043.DeleteJobReq(job_id="1")))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
        assert (await ro.get_jobs()).jobs == []  # reading is allowed
    async with httpx.AsyncClient(base_url=srv.rest_url) as http:
        h = {"Authorization": "tok-read"}
        body = {"job": {"script": "#!/bin/sh\ntrue"}}
        resp = await http.post("/slurm/open/v0.0.43/defiant/job/submit", headers=h, json=body)
        assert resp.status_code == 403
        resp = await http.delete("/slurm/open/v0.0.43/defiant/job/1", headers=h)
        assert resp.status_code == 403
        assert "compute-ace" in resp.json()["errors"][0]["description"]
    assert isinstance(srv.backend, SimBackend)
    assert srv.backend.engine.jobs == {}  # nothing was submitted


async def test_grpc_routing_errors(srv: LocalServer) -> None:
    async with grpc.aio.insecure_channel(srv.grpc_target) as ch:
        for token in ("tok-write", None):  # the missing header is named, never UNAUTHENTICATED
            err = await grpc_error(stub43(ch, token, None).ping())
            assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert "olcf-resource" in (err.details() or "")
        err = await grpc_error(stub43(ch, "tok-write", "frontier").ping())
        assert err.code() == grpc.StatusCode.NOT_FOUND
        assert "frontier" in (err.details() or "")
        assert "defiant" in (err.details() or "")  # names the known ones
        odo44 = RawStub(ch, "v0.0.44", "tok-write", "wombat")
        err = await grpc_error(odo44.ping())
        assert err.code() == grpc.StatusCode.UNIMPLEMENTED
        assert "v0.0.42" in (err.details() or "")  # the versions wombat serves
        # An unknown method (not in any method table) is gRPC's own UNIMPLEMENTED.
        call = ch.unary_unary("/olcf.s3m.slurm.v0044.SlurmIndirect/Nope", None, None)
        err = await grpc_error(call(b""))
        assert err.code() == grpc.StatusCode.UNIMPLEMENTED


@pytest.mark.parametrize(
    ("path", "headers", "status", "words"),
    [
        ("/slurm/open/v0.0.43/frontier/ping", {}, 404, "unknown resource 'frontier'"),
        ("/slurm/open/v0.0.44/wombat/ping", {}, 404, "it serves v0.0.42"),
        ("/slurm/open/v0.0.44/defiant/jobs", {}, 404, "it serves v0.0.42, v0.0.43"),
        ("/slurm/open/v0.0.41/defiant/ping", {}, 404, "unknown API version"),
        ("/slurm/v0.0.43/ping", {}, 400, "olcf-resource"),
        ("/slurm/v0.0.43/ping", {"olcf-resource": "quokka"}, 404, "it serves v0.0.42"),
        ("/slurm/open/v0.0.43/defiant/nothing", {}, 404, "no such path"),
    ],
)
async def test_rest_routing_errors(
    srv: LocalServer, path: str, headers: dict[str, str], status: int, words: str
) -> None:
    async with httpx.AsyncClient(base_url=srv.rest_url) as http:
        resp = await http.get(path, headers={"Authorization": "tok-write", **headers})
    assert resp.status_code == status, resp.text
    assert words in resp.json()["errors"][0]["description"]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/slurm/open/v0.0.44/odo/{tail}", {}),
        ("/slurm/v0.0.44/{tail}", {"olcf-resource": "odo"}),
        ("/slurm/v0.0.44/odo/{tail}", {}),
        ("/api/slurm-indirect/v0.0.44/{tail}", {"olcf-resource": "odo"}),
    ],
)
async def test_every_path_form(srv: LocalServer, path: str, headers: dict[str, str]) -> None:
    h = {"Authorization": "tok-write", **headers}
    async with httpx.AsyncClient(base_url=srv.rest_url) as http:
        parts = await http.get(path.format(tail="partitions"), headers=h)
        assert parts.status_code == 200, parts.text
        assert parts.json()["partitions"][0]["nodes"]["allowed_allocation"] == "node[001-004]"
        body = {"script": "#!/bin/sh\ntrue", "job": {"name": "form"}}
        sub = await http.post(path.format(tail="job/submit"), headers=h, json=body)
        assert sub.status_code == 200, sub.text
        job_id = sub.json()["job_id"]
        got = await http.get(path.format(tail=f"job/{job_id}"), headers=h)
        assert got.json()["jobs"][0]["name"] == "form"
        gone = await http.delete(path.format(tail=f"job/{job_id}"), headers=h)
        assert gone.status_code == 200


async def test_custom_resource_table(tmp_path: Any) -> None:
    cfg_file = tmp_path / "server.toml"
    cfg_file.write_text(
        '[resources]\nlocal = ["v0.0.44"]\n[tokens.t1]\nproject = "abc123"\nuser = "eve"\n'
    )
    async with LocalServer(ServerConfig.from_toml(cfg_file)) as server:
        async with httpx.AsyncClient(base_url=server.rest_url) as http:
            ok = await http.get("/slurm/open/v0.0.44/local/ping", headers={"Authorization": "t1"})
            gone = await http.get(
                "/slurm/open/v0.0.43/defiant/ping", headers={"Authorization": "t1"}
            )
        assert ok.status_code == 200
        assert gone.status_code == 404
        assert "known resources: local" in gone.json()["errors"][0]["description"]


async def test_wrong_verb_is_json_405(srv: LocalServer) -> None:
    async with httpx.AsyncClient(base_url=srv.rest_url) as http:
        resp = await http.put(
            "/slurm/open/v0.0.43/defiant/ping", headers={"Authorization": "tok-write"}
        )
    assert resp.status_code == 405
    assert "PUT is not allowed" in resp.json()["errors"][0]["description"]


async def test_rate_limit_per_caller() -> None:
    from s3m_grpc.server import Limits

    limits = Limits(requests_per_second=0.5, burst=2)
    async with LocalServer(ServerConfig(tokens=TOKENS, limits=limits)) as server:
        async with httpx.AsyncClient(base_url=server.rest_url) as http:
            url = "/slurm/open/v0.0.43/defiant/ping"
            codes = [
                (await http.get(url, headers={"Authorization": "tok-write"})).status_code
                for _ in range(2)
            ]
            assert codes == [200, 200]
            limited = await http.get(url, headers={"Authorization": "tok-write"})
            assert limited.status_code == 429
            assert limited.headers["Retry-After"] == "2"
            assert "rate limit" in limited.json()["errors"][0]["description"]
            other = await http.get(url, headers={"Authorization": "tok-read"})
            assert other.status_code == 200  # buckets are per caller
        async with grpc.aio.insecure_channel(server.grpc_target) as ch:
            err = await grpc_error(RawStub(ch, "v0.0.43", "tok-write", "defiant").ping())
        assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        trailer: Any = err.trailing_metadata()
        assert float(dict(trailer)["retry-after"]) > 0
