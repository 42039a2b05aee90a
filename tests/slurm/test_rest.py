"""The backend's HTTP side against a real HTTP server on 127.0.0.1 that answers like slurmrestd.

What a live cluster does not do on demand (slow replies, garbage, a rejected JWT, a dropped
connection) is served here with the exact bodies and statuses slurmrestd 22.05 sends.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from s3m_grpc.errors import (
    DeadlineExceededError,
    NotFoundError,
    ProtocolError,
    SubmitOutcomeUnknownError,
    UnavailableError,
    UnsupportedVersionError,
)
from s3m_grpc.server.backend import Caller, SubmitRequest
from s3m_grpc.server.slurm import SlurmBackend

from .conftest import free_ports
from .fakerestd import META, FakeRestd

TOKEN = "jwt-secret-0123456789"
CALLER = Caller("stf040", "alice", frozenset({"compute-ace"}))


def backend(restd: FakeRestd, **extra: Any) -> SlurmBackend:
    opts: dict[str, Any] = {"url": restd.url, "jwt": TOKEN, "user": "svc", **extra}
    opts.setdefault("openapi_version", "v0.0.38")
    return SlurmBackend(opts)


async def test_version_is_detected_from_the_openapi_document(restd: FakeRestd) -> None:
    paths: dict[str, Any] = {f"/slurm/v0.0.{n}/ping": {} for n in (36, 37, 38)}
    restd.json("GET", "/openapi/v3", {"paths": paths})
    b = backend(restd, openapi_version=None)
    pings = await b.ping()
    await b.close()
    assert pings[0]["pinged"] == "UP"
    assert restd.seen[-1][1] == "/slurm/v0.0.38/ping"
    assert restd.seen[-1][2:] == ("svc", TOKEN)


async def test_no_known_version_is_a_clear_error(restd: FakeRestd) -> None:
    restd.json("GET", "/openapi/v3", {"paths": {"/slurm/v0.0.39/ping": {}}})
    b = backend(restd, openapi_version=None)
    with pytest.raises(UnsupportedVersionError, match=r"v0\.0\.39"):
        await b.ping()
    await b.close()


async def test_http_500_job_not_found_is_not_found(restd: FakeRestd) -> None:
    err = {
        "description": "Unable to find JobId=999999",
        "error_number": 2017,
        "error": "Invalid job id specified",
        "source": "slurm_load_job",
    }
    restd.json("GET", "/slurm/v0.0.38/job/999999", {"errors": [err], "jobs": []}, status=500)
    b = backend(restd)
    with pytest.raises(NotFoundError) as info:
        await b.job(999999)
    await b.close()
    assert info.value.errors[0].error_number == 2017
    assert info.value.http_status == 404


async def test_rejected_jwt_is_the_servers_problem_and_never_shown(
    restd: FakeRestd, caplog: pytest.LogCaptureFixture
) -> None:
    async def deny(_: web.Request) -> web.StreamResponse:
        return web.Response(status=401, text="Authentication failure")

    restd.on("GET", "/slurm/v0.0.38/nodes", deny)
    caplog.set_level(logging.DEBUG)
    b = backend(restd)
    with pytest.raises(UnavailableError, match="JWT") as info:
        await b.nodes()
    await b.close()
    assert TOKEN not in str(info.value)
    assert TOKEN not in repr(b)
    assert TOKEN not in caplog.text


async def test_unreachable_slow_and_garbled(restd: FakeRestd) -> None:
    [dead] = free_ports(1)
    gone = SlurmBackend(
        {"url": f"http://127.0.0.1:{dead}", "jwt": TOKEN, "openapi_version": "0.0.38"}
    )
    with pytest.raises(UnavailableError, match="not reachable"):
        await gone.diag()
    await gone.close()

    async def slow(_: web.Request) -> web.StreamResponse:
        await asyncio.sleep(1)
        return web.json_response({})

    async def garbage(_: web.Request) -> web.StreamResponse:
        return web.Response(text="<html>proxy error</html>")

    restd.on("GET", "/slurm/v0.0.38/diag", slow)
    restd.on("GET", "/slurm/v0.0.38/partitions", garbage)
    b = backend(restd, timeout=0.3)
    with pytest.raises(DeadlineExceededError):
        await b.diag()
    with pytest.raises(ProtocolError):
        await b.partitions()
    await b.close()


async def test_a_submit_without_answer_is_sent_once(restd: FakeRestd) -> None:
    posts: list[bytes] = []

    async def slow_submit(request: web.Request) -> web.StreamResponse:
        posts.append(await request.read())
        await asyncio.sleep(1)
        return web.json_response({"job_id": 1})

    restd.on("POST", "/slurm/v0.0.38/job/submit", slow_submit)
    b = backend(restd, timeout=0.3)
    req = SubmitRequest(script="#!/bin/sh\ntrue\n", jobs=[{"name": "once"}], caller=CALLER)
    with pytest.raises(SubmitOutcomeUnknownError, match="list jobs before submitting again"):
        await b.submit(req)
    await asyncio.sleep(0.2)
    await b.close()
    assert len(posts) == 1


async def test_renewed_jwt_file_is_picked_up(restd: FakeRestd, tmp_path: Path) -> None:
    token_file = tmp_path / "jwt.token"
    token_file.write_text("first-token\n")
    b = SlurmBackend({"url": restd.url, "jwt_file": str(token_file), "openapi_version": "v0.0.38"})
    await b.ping()
    token_file.write_text("second-token-renewed\n")
    await b.ping()
    await b.close()
    assert [s[3] for s in restd.seen[-2:]] == ["first-token", "second-token-renewed"]


async def test_sandboxed_paths_are_mapped_and_mapped_back(restd: FakeRestd, tmp_path: Path) -> None:
    bodies: list[Any] = []

    async def submit(request: web.Request) -> web.StreamResponse:
        bodies.append(await request.json())
        return web.json_response({"meta": META, "errors": [], "job_id": 5, "step_id": "BATCH"})

    root = tmp_path / "root"
    cwd_host = str(root / "lustre" / "proj")
    record = {
        "job_id": 5,
        "job_state": "PENDING",
        "current_working_directory": cwd_host,
        "standard_output": cwd_host + "/out/%j.txt",
        "exit_code": 0,
    }
    restd.on("POST", "/slurm/v0.0.38/job/submit", submit)
    restd.json("GET", "/slurm/v0.0.38/jobs", {"jobs": [record]})
    restd.json("GET", "/slurm/v0.0.38/job/5", {"jobs": [record]})
    b = backend(restd, path_root=str(root))
    job = {"current_working_directory": "/lustre/proj", "standard_output": "out/%j.txt"}
    result = await b.submit(SubmitRequest(script="x", jobs=[job], caller=CALLER))
    [listed] = await b.jobs()
    [one] = await b.job(5)
    await b.close()
    sent = bodies[0]["job"]
    assert result.job_id == 5
    assert sent["current_working_directory"] == cwd_host
    assert sent["standard_output"] == cwd_host + "/out/%j.txt"
    assert (root / "lustre" / "proj" / "out").is_dir()  # SLURM does not create it
    assert listed["current_working_directory"] == "/lustre/proj"
    assert one["stdout_expanded"] == "/lustre/proj/out/5.txt"


def _jwt(exp: int) -> str:
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'exp': exp, 'sun': 'svc'})}.c2ln"


async def test_an_expired_jwt_is_reported_before_asking_slurmrestd(restd: FakeRestd) -> None:
    expired = _jwt(int(time.time()) - 60)
    b = SlurmBackend({"url": restd.url, "jwt": expired, "openapi_version": "v0.0.38"})
    with pytest.raises(UnavailableError, match="expired at") as info:
        await b.ping()
    await b.close()
    assert expired not in str(info.value)
    assert restd.seen == []
    fresh = SlurmBackend(
        {"url": restd.url, "jwt": _jwt(int(time.time()) + 600), "openapi_version": "v0.0.38"}
    )
    assert (await fresh.ping())[0]["pinged"] == "UP"
    await fresh.close()
