"""The local server answers malformed requests with clear errors, never an internal error:
garbage bytes on every gRPC method, bad or mutated JSON, huge bodies and scripts, wrong
content types. Afterwards it still serves, and a refused submit queued nothing.
"""

from __future__ import annotations

import random
from typing import Any

import grpc
import grpc.aio
import httpx
import orjson
import pytest

from s3m_grpc import codec, jsoncodec, versions
from s3m_grpc.jobspec import JobSpec, submit_request
from s3m_grpc.server import LocalServer
from s3m_grpc.slurm import v0044
from tests.reliability.conftest import job_ids

SUBMIT = v0044.SERVICE.method("PostJobSubmit")
BASE = "/slurm/open/v0.0.44/odo"
# Codes a malformed request may get; UNKNOWN / INTERNAL would mean the server did not cope.
CLEAR_CODES = {
    grpc.StatusCode.OK,
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
}


def valid_submit() -> Any:
    return submit_request(
        JobSpec(
            script="#!/bin/bash\ntrue\n",
            name="malformed",
            environment={"PATH": "/bin"},
            current_working_directory="/tmp",
        ),
        versions.get("v0.0.44"),
    )


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not out:
            break
        i = rng.randrange(len(out))
        op = rng.choice(("flip", "cut", "insert", "truncate"))
        if op == "flip":
            out[i] ^= 1 << rng.randrange(8)
        elif op == "cut":
            del out[i : i + rng.randint(1, 8)]
        elif op == "insert":
            out[i:i] = rng.randbytes(rng.randint(1, 8))
        else:
            del out[i:]
    return bytes(out)


async def raw_call(
    server: LocalServer, path: str, data: bytes, token: str | None = None
) -> tuple[grpc.StatusCode, str]:
    """One call with raw bytes (identity serializers) on a gRPC method."""
    async with grpc.aio.insecure_channel(server.grpc_target) as ch:
        call = ch.unary_unary(path, request_serializer=None, response_deserializer=None)
        md = (("authorization", token or server.token), ("olcf-resource", "odo"))
        try:
            await call(data, metadata=md, timeout=10)
        except grpc.aio.AioRpcError as exc:
            return exc.code(), exc.details() or ""
        return grpc.StatusCode.OK, ""


# -- gRPC -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", [m.name for m in v0044.SERVICE.methods])
async def test_garbage_bytes_on_every_grpc_method_are_invalid_argument(
    server: LocalServer, method: str
) -> None:
    info = v0044.SERVICE.method(method)
    code, details = await raw_call(server, info.grpc_path, b"\xff\xff\xff\xff\x0f garbage")
    assert code == grpc.StatusCode.INVALID_ARGUMENT, details
    assert "cannot decode" in details


async def test_mutated_grpc_submits_get_clear_answers(server: LocalServer) -> None:
    rng = random.Random(9)
    good = codec.encode(valid_submit())
    accepted = 0
    for _ in range(120):
        code, details = await raw_call(server, SUBMIT.grpc_path, mutate(good, rng))
        assert code in CLEAR_CODES, (code, details)
        accepted += code == grpc.StatusCode.OK
    assert len(await job_ids(server)) == accepted  # each accepted submit: one job, no more
    assert (await raw_call(server, v0044.SERVICE.method("Ping").grpc_path, b""))[0] == (
        grpc.StatusCode.OK
    )


async def test_a_grpc_message_over_the_limit_is_resource_exhausted(server: LocalServer) -> None:
    huge = b"\n" + b"\xff\xff\x7f" + b"x" * (2 << 20)  # field 1, ~2 MiB: over the 1 MiB limit
    code, _ = await raw_call(server, SUBMIT.grpc_path, huge)
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert await job_ids(server) == []


# -- REST -------------------------------------------------------------------------------------


async def post(
    server: LocalServer,
    body: bytes,
    content_type: str = "application/json",
    http: httpx.AsyncClient | None = None,
) -> httpx.Response:
    headers = {"authorization": server.token, "content-type": content_type}
    if http is not None:
        return await http.post(f"{BASE}/job/submit", content=body, headers=headers)
    async with httpx.AsyncClient(base_url=server.rest_url, timeout=30) as own:
        return await own.post(f"{BASE}/job/submit", content=body, headers=headers)


def assert_clear(resp: httpx.Response, *statuses: int) -> None:
    """A 4xx with JSON whose errors[] says what was wrong."""
    assert resp.status_code in statuses, (resp.status_code, resp.text[:300])
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert body["errors"], body
    assert body["errors"][0]["description"] or body["errors"][0]["error"]


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"[]",
        b'"a string"',
        b"\xff\xfe\x00b\x00a\x00d",
        b'{"job": {"nodes": {"a": 1}}, "script": 5}',
        b'{"job": ' * 5000 + b"1" + b"}" * 5000,
        b'{"job": {"environment": "PATH=/bin"}, "script": "#!/bin/bash\\ntrue"}',
    ],
    ids=["broken", "empty", "array", "string", "utf16", "wrong-types", "deep", "env-not-list"],
)
async def test_bad_json_submits_are_400_and_queue_nothing(server: LocalServer, body: bytes) -> None:
    assert_clear(await post(server, body), 400)
    assert await job_ids(server) == []


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/xml", b"<job><script>#!/bin/bash</script></job>"),
        ("application/x-www-form-urlencoded", b"script=%23%21%2Fbin%2Fbash&job=1"),
        ("text/plain", b"#!/bin/bash\nhostname\n"),
    ],
    ids=["xml", "form", "text"],
)
async def test_wrong_content_types_are_clear_errors(
    server: LocalServer, content_type: str, body: bytes
) -> None:
    assert_clear(await post(server, body, content_type), 400, 415)
    assert await job_ids(server) == []


async def test_a_huge_body_is_413_before_it_is_read_whole(server: LocalServer) -> None:
    resp = await post(server, b'{"script": "' + b"x" * (3 << 19) + b'"}')
    assert_clear(resp, 413)
    assert await job_ids(server) == []


@pytest.mark.parametrize("transport", ["rest", "grpc"])
async def test_a_script_over_the_limit_is_refused(server: LocalServer, transport: str) -> None:
    script = "#!/bin/bash\n" + "# padding\n" * 30_000  # ~300 KB: over 256 KiB, under 1 MiB
    spec = JobSpec(
        script=script, name="big", environment={"PATH": "/bin"}, current_working_directory="/tmp"
    )
    req = submit_request(spec, versions.get("v0.0.44"))
    if transport == "rest":
        assert_clear(await post(server, jsoncodec.to_json(req)), 413)
    else:
        code, details = await raw_call(server, SUBMIT.grpc_path, codec.encode(req))
        assert code == grpc.StatusCode.RESOURCE_EXHAUSTED, details
        assert "script" in details.lower()
    assert await job_ids(server) == []


async def test_mutated_json_submits_never_get_a_5xx(server: LocalServer) -> None:
    rng = random.Random(5)
    good = orjson.dumps(jsoncodec.to_dict(valid_submit()))
    accepted = 0
    async with httpx.AsyncClient(base_url=server.rest_url, timeout=30) as http:
        for _ in range(100):
            resp = await post(server, mutate(good, rng), http=http)
            assert resp.status_code < 500, (resp.status_code, resp.text[:300])
            if resp.status_code == 200:
                accepted += 1
            else:
                assert resp.json()["errors"]
    assert len(await job_ids(server)) == accepted


@pytest.mark.parametrize(
    "path",
    [
        f"{BASE}/job/%00",
        f"{BASE}/job/-1",
        f"{BASE}/job/99999999999999999999999",
        f"{BASE}/job/1;rm",
        "/slurm/open/v0.0.44/" + "x" * 5000 + "/ping",
        "/slurm/open/v9.9.9/odo/ping",
        "/slurm/open/v0.0.44/odo/../../etc/passwd",
    ],
)
async def test_odd_paths_are_clear_errors(server: LocalServer, path: str) -> None:
    async with httpx.AsyncClient(base_url=server.rest_url, timeout=30) as http:
        resp = await http.get(path, headers={"authorization": server.token})
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.text[:300])
    assert resp.json()["errors"]
