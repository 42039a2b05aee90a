"""`InProcessTransport` answers as the gRPC front end does: same replies, same typed errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from s3m_grpc import jobspec, versions
from s3m_grpc.errors import AuthenticationError, NotFoundError, PermissionDeniedError
from s3m_grpc.factory import S3MClientFactory
from s3m_grpc.listing import READER, Lean
from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.slurm import v0043, v0044
from s3m_grpc.testing import InProcessTransport
from s3m_grpc.testing.plugin import connect_options

SCRIPT = "#!/bin/bash\necho hello\n"


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    srv = await LocalServer(ServerConfig(backend_options={"tick_interval": 0.05})).start()
    try:
        yield srv
    finally:
        await srv.close()


@pytest.fixture
async def grpc_stub(server: LocalServer) -> AsyncIterator[Any]:
    factory = S3MClientFactory(resource="odo", transport="grpc", **connect_options(server))
    try:
        yield factory.create_client(v0044.SlurmIndirectStub)
    finally:
        await factory.close()


def submit_request(name: str) -> Any:
    return jobspec.submit_request(
        jobspec.JobSpec(script=SCRIPT, name=name, time_limit=5), versions.get("v0.0.44")
    )


async def test_replies_match_grpc(server: LocalServer, grpc_stub: Any) -> None:
    stub = v0044.SlurmIndirectStub(InProcessTransport(server, "odo"))
    for method, listed in [
        ("get_partitions", "partitions"),
        ("get_nodes", "nodes"),
        ("get_reservations", "reservations"),
        ("ping", "pings"),
    ]:
        over_grpc = await getattr(grpc_stub, method)()
        in_process = await getattr(stub, method)()
        # Everything but the reply's own timestamp (last_update: now).
        assert getattr(over_grpc, listed) == getattr(in_process, listed), method
        assert over_grpc.meta == in_process.meta, method


async def test_a_job_submitted_in_process_is_seen_over_grpc(
    server: LocalServer, grpc_stub: Any
) -> None:
    stub = v0044.SlurmIndirectStub(InProcessTransport(server, "odo"))
    submitted = await stub.post_job_submit(submit_request("in-process"))
    assert submitted.job_id is not None
    assert submitted.job_id > 0
    reply = await grpc_stub.get_job(v0044.JobIdReq(job_id=str(submitted.job_id)))
    assert [j.name for j in reply.jobs] == ["in-process"]


async def test_errors_are_the_typed_errors_of_grpc(server: LocalServer, grpc_stub: Any) -> None:
    stub = v0044.SlurmIndirectStub(InProcessTransport(server, "odo"))
    with pytest.raises(NotFoundError) as in_process:
        await stub.get_job(v0044.JobIdReq(job_id="987654"))
    with pytest.raises(NotFoundError) as over_grpc:
        await grpc_stub.get_job(v0044.JobIdReq(job_id="987654"))
    assert str(in_process.value) == str(over_grpc.value)

    readonly = v0044.SlurmIndirectStub(
        InProcessTransport(server, "odo", token=server.readonly_token)
    )
    with pytest.raises(PermissionDeniedError):
        await readonly.post_job_submit(submit_request("refused"))
    assert (await readonly.get_jobs()).jobs == []  # nothing was queued

    with pytest.raises(AuthenticationError):
        await v0044.SlurmIndirectStub(InProcessTransport(server, "odo", token="nope")).ping()


async def test_resource_and_version_are_checked() -> None:
    async with LocalServer(ServerConfig()) as srv:
        # quokka serves only v0.0.42: a v0.0.43 call is refused, as over the network.
        stub = v0043.SlurmIndirectStub(InProcessTransport(srv, "quokka"))
        with pytest.raises(Exception, match=r"v0\.0\.42") as refused:
            await stub.ping()
        assert type(refused.value).__module__ == "s3m_grpc.errors"


async def test_headers_from_a_client_layer_win(server: LocalServer) -> None:
    """A client's header layer (token, resource) overrides the transport's defaults."""
    transport = InProcessTransport(server, "odo", token="not-a-token")
    options: Any = {"metadata": (("authorization", server.token), ("olcf-resource", "odo"))}
    reply = await transport.unary(v0044.SERVICE.method("Ping"), v0044.Empty(), options)
    assert reply.pings  # type: ignore[attr-defined]


async def test_no_socket_is_opened() -> None:
    srv = await LocalServer(ServerConfig()).start(listen=False)
    try:
        assert (srv.grpc_port, srv.http_port) == (0, 0)
        reply = await v0044.SlurmIndirectStub(InProcessTransport(srv, "odo")).ping()
        assert reply.pings
    finally:
        await srv.close()


async def test_a_reply_reader_reads_the_reply_as_over_grpc(
    server: LocalServer, grpc_stub: Any
) -> None:
    stub = v0044.SlurmIndirectStub(InProcessTransport(server, "odo"))
    await stub.post_job_submit(submit_request("read-lean"))
    in_process = await stub.get_jobs(reader=READER)
    over_grpc = await grpc_stub.get_jobs(reader=READER)
    assert isinstance(in_process, Lean)
    assert isinstance(over_grpc, Lean)
    ids = [job.job_id for job, _ in in_process]
    assert ids
    assert ids == [job.job_id for job, _ in over_grpc]
