"""`rest_dialect="gateway"`: the local server answers REST as the real grpc-gateway in front of
it does (same keys, same JSON types, 64-bit integers as strings, google.rpc.Status errors with
the same HTTP statuses), so users can test against what S3M most likely sends."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from s3m_grpc import AsyncClient
from s3m_grpc.errors import NotFoundError, PermissionDeniedError
from s3m_grpc.server import LocalServer
from tests.gateway.conftest import Gateway

PATHS = ["ping", "partitions", "nodes", "reservations", "diag", "jobs", "job/{job_id}"]


def shape(value: Any) -> Any:
    """The JSON's structure: keys and value types (numbers as text stay text)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in sorted(value.items()) if k != "@type"}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "number"  # Go writes a double 1.0 as 1, Python as 1.0: the same JSON number
    return type(value).__name__


@pytest.fixture(scope="module")
def dialect_server(gateway: Gateway) -> Iterator[LocalServer]:
    config = dataclasses.replace(gateway.server.config, rest_dialect="gateway")
    server = LocalServer(config).start_in_thread()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("path", PATHS)
def test_replies_have_the_gateways_shape(
    gateway: Gateway, dialect_server: LocalServer, path: str
) -> None:
    answers = []
    for base, server in ((gateway.url, gateway.server), (dialect_server.rest_url, dialect_server)):
        headers = {"Authorization": server.token}
        prefix = f"{base}/slurm/open/v0.0.44/odo"
        submitted = httpx.post(
            f"{prefix}/job/submit",
            headers=headers,
            json={"job": {"script": "#!/bin/bash\ntrue\n", "environment": ["A=1"], "name": "d"}},
        ).json()
        job_id = str(submitted["job_id"])
        reply = httpx.get(f"{prefix}/{path.format(job_id=job_id)}", headers=headers)
        assert reply.status_code == 200
        answers.append(reply.json())
    theirs, ours = answers
    assert shape(ours) == shape(theirs)


@pytest.mark.parametrize(
    ("path", "status"),
    [("job/999999", 404), ("jobs", 401)],
)
def test_errors_are_status_bodies_like_the_gateways(
    gateway: Gateway, dialect_server: LocalServer, path: str, status: int
) -> None:
    answers = []
    for base, server in ((gateway.url, gateway.server), (dialect_server.rest_url, dialect_server)):
        token = "not-a-token-" + "x" * 20 if status == 401 else server.token
        reply = httpx.get(f"{base}/slurm/open/v0.0.44/odo/{path}", headers={"Authorization": token})
        assert reply.status_code == status
        answers.append(reply.json())
    theirs, ours = answers
    assert ours["code"] == theirs["code"]
    assert shape(ours) == shape(theirs)


async def test_our_client_reads_the_dialect(dialect_server: LocalServer) -> None:
    async with AsyncClient(
        "odo", transport="rest", rest_url=dialect_server.rest_url, token=dialect_server.token,
        endpoint="127.0.0.1:1", plaintext=True, retry=False,
    ) as c:  # fmt: skip
        job = await c.submit("#!/bin/bash\ntrue\n", name="dialect")
        assert (await c.get_job(job.job_id)).job_id == job.job_id
        with pytest.raises(NotFoundError) as missing:
            await c.get_job(999999)
        assert [e.error_number for e in missing.value.errors] == [2017]
        readonly = dialect_server.readonly_token
    async with AsyncClient(
        "odo", transport="rest", rest_url=dialect_server.rest_url, token=readonly,
        endpoint="127.0.0.1:1", plaintext=True, retry=False,
    ) as ro:  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            await ro.submit("#!/bin/bash\ntrue\n")
