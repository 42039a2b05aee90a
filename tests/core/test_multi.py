"""One object for a whole endpoint: per-resource clients share one channel, one HTTP session
and one token; cross-resource calls run at once and keep each resource's failure apart."""

from __future__ import annotations

import inspect
from typing import cast

import pytest

from s3m_grpc import S3M, AsyncS3M, S3MClientFactory, errors
from s3m_grpc.multi import ConnectionOptions
from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.settings import TransportKind
from s3m_grpc.transports.chain import connections

SCRIPT = "#!/bin/bash\ntrue\n"
TABLE = {"odo": ("v0.0.43", "v0.0.44"), "defiant": ("v0.0.42", "v0.0.43")}


def test_the_options_are_the_factorys() -> None:
    factory = set(inspect.signature(S3MClientFactory.__init__).parameters) - {"self", "resource"}
    assert set(ConnectionOptions.__annotations__) == factory


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_resources_share_connections_and_token(transport: str) -> None:
    config = ServerConfig(resources=TABLE)
    async with (
        LocalServer(config) as srv,
        AsyncS3M(
            ["odo", "defiant", "frontier"],
            endpoint=srv.grpc_target, token=srv.token, plaintext=True, rest_url=srv.rest_url,
            transport=cast("TransportKind", transport),
            resources={**TABLE, "frontier": ("v0.0.44",)},
        ) as s3m,
    ):  # fmt: skip
        odo, defiant = s3m.client("odo"), s3m.client("defiant")
        assert s3m.client("odo") is odo
        assert (odo.version, defiant.version) == ("v0.0.44", "v0.0.43")
        assert odo.factory.tokens is defiant.factory.tokens
        job = await odo.submit(SCRIPT, name="on-odo")
        other = await defiant.submit(SCRIPT, name="on-defiant")
        assert connections(odo.factory.transport) is connections(defiant.factory.transport)

        pings = await s3m.ping()
        assert set(pings) == {"odo", "defiant"}
        # The server serves no "frontier": that resource fails alone, with its typed error.
        assert isinstance(pings.errors["frontier"], errors.NotFoundError)

        listed = await s3m.list_jobs(["odo", "defiant"], name="on-*")
        assert set(listed) == {"odo", "defiant"}
        for listing in listed.values():
            assert {j.job_id for j in listing} >= {job.job_id, other.job_id}
        assert listed.errors == {}


def test_the_blocking_twin() -> None:
    srv = LocalServer(ServerConfig(resources=TABLE)).start_in_thread()
    try:
        with S3M(
            endpoint=srv.grpc_target, token=srv.token, plaintext=True, rest_url=srv.rest_url,
            resources=TABLE,
        ) as s3m:  # fmt: skip
            assert s3m.resources == ("odo", "defiant")
            odo = s3m.client("odo")
            job = odo.submit(SCRIPT, name="blocking-twin")
            listed = s3m.list_jobs(name="blocking-twin")
            assert [j.job_id for j in listed["odo"]] == [job.job_id]
            assert set(s3m.ping()) == {"odo", "defiant"}
            odo.close()  # a shared client's close leaves the others working
            assert s3m.client("defiant").ping().controllers
    finally:
        srv.stop()
