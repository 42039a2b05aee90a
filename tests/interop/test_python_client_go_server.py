"""Our Python client (generated stubs over grpc.aio) against the Go server built from our protos.

Each reply is compared, after decoding, with the canned contract JSON the Go server answers
from; each request is compared with the Go server's protojson echo of what it decoded. So a
field number (binary) or JSON name (the canned file, the echo) that differs between the Go and
Python code generated from the same protos fails here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import grpc
import grpc.aio
import pytest

from s3m_grpc import jsoncodec
from s3m_grpc.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    S3MError,
    SlurmWarning,
)
from s3m_grpc.factory import S3MClientFactory
from tests.interop import pyside
from tests.interop.conftest import Tokens
from tests.interop.goprocs import GoServer

pytestmark = pytest.mark.go

ODO = "odo"  # serves v0.0.43 and v0.0.44


@pytest.fixture
async def channel(go_server: GoServer) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(go_server.target) as ch:
        yield ch


def stub_for(
    channel: grpc.aio.Channel, version: str, metadata: Sequence[tuple[str, str]]
) -> tuple[Any, pyside.RecordingTransport]:
    transport = pyside.RecordingTransport(channel, metadata)
    return pyside.package(version).SlurmIndirectStub(transport), transport


@pytest.mark.parametrize("method", pyside.METHODS)
@pytest.mark.parametrize("version", pyside.VERSIONS)
async def test_every_method_round_trips(
    channel: grpc.aio.Channel, go_tokens: Tokens, version: str, method: str
) -> None:
    assert await pyside.round_trip_problems(channel, version, method, go_tokens.token) == []


@pytest.mark.parametrize("version", pyside.VERSIONS)
async def test_submit_keeps_optional_presence_and_storage_header(
    channel: grpc.aio.Channel, go_tokens: Tokens, version: str
) -> None:
    metadata = [
        ("authorization", go_tokens.token),
        ("olcf-resource", pyside.RESOURCES[version]),
        ("x-s3m-withstorage", "true"),
    ]
    stub, transport = stub_for(channel, version, metadata)
    request = pyside.sample_request(version, "PostJobSubmit")

    reply = await stub.post_job_submit(request)

    assert reply.job_id == 12346
    assert reply.job_submit_user_msg == ""  # optional, present and empty: not None
    assert transport.trailer_values(pyside.WITHSTORAGE_ECHO_TRAILER) == ["true"]
    [echo] = transport.trailer_values(pyside.REQUEST_ECHO_TRAILER)
    assert isinstance(echo, str)
    seen_by_go: Any = jsoncodec.from_json(type(request), echo)
    desc = seen_by_go.job if pyside.script_in_job(version) else seen_by_go.jobs[0]
    assert desc.tasks == 0
    assert desc.comment == ""
    assert desc.memory_per_node.number == 2**40 + 7


def _bad_metadata_cases(tokens: Tokens) -> list[tuple[str, list[tuple[str, str]], grpc.StatusCode]]:
    return [
        ("no token", [("olcf-resource", ODO)], grpc.StatusCode.UNAUTHENTICATED),
        (
            "unknown token",
            [("authorization", "not-" + tokens.token), ("olcf-resource", ODO)],
            grpc.StatusCode.UNAUTHENTICATED,
        ),
        ("no resource", [("authorization", tokens.token)], grpc.StatusCode.INVALID_ARGUMENT),
        (
            "unknown resource",
            [("authorization", tokens.token), ("olcf-resource", "frontier")],
            grpc.StatusCode.NOT_FOUND,
        ),
    ]


@pytest.mark.parametrize("version", pyside.VERSIONS)
async def test_metadata_errors_arrive_as_grpc_codes(
    channel: grpc.aio.Channel, go_tokens: Tokens, version: str
) -> None:
    for label, metadata, code in _bad_metadata_cases(go_tokens):
        stub, _ = stub_for(channel, version, metadata)
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await stub.ping()
        assert info.value.code() == code, label
        assert go_tokens.token not in (info.value.details() or ""), label


async def test_resource_that_does_not_serve_the_version_is_unimplemented(
    channel: grpc.aio.Channel, go_tokens: Tokens
) -> None:
    # defiant serves v0.0.42 and v0.0.43 only.
    stub, _ = stub_for(
        channel, "v0.0.44", [("authorization", go_tokens.token), ("olcf-resource", "defiant")]
    )
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await stub.get_jobs()
    assert info.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "defiant" in (info.value.details() or "")


@pytest.mark.parametrize("version", pyside.VERSIONS)
async def test_readonly_token_reads_but_cannot_submit_or_cancel(
    channel: grpc.aio.Channel, go_tokens: Tokens, version: str
) -> None:
    stub, _ = stub_for(
        channel,
        version,
        [("authorization", go_tokens.readonly), ("olcf-resource", pyside.RESOURCES[version])],
    )
    assert (await stub.get_jobs()).jobs
    for method in ("PostJobSubmit", "DeleteJob"):
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await pyside.call(stub, version, method, pyside.sample_request(version, method))
        assert info.value.code() == grpc.StatusCode.PERMISSION_DENIED, method


@pytest.mark.parametrize("version", pyside.VERSIONS)
async def test_unknown_job_is_not_found_with_slurm_errors_trailer(
    channel: grpc.aio.Channel, go_tokens: Tokens, version: str
) -> None:
    pkg = pyside.package(version)
    stub, transport = stub_for(
        channel,
        version,
        [("authorization", go_tokens.token), ("olcf-resource", pyside.RESOURCES[version])],
    )
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await stub.get_job(pkg.JobIdReq(job_id="99"))
    assert info.value.code() == grpc.StatusCode.NOT_FOUND
    assert pyside.error_entries(version, transport) == [
        pkg.ErrorResp(
            error_number=2017,
            error="Invalid job id specified",
            source="_handle_job_get",
            description="job 99 not found",
        )
    ]


async def test_v0044_submit_with_job_and_jobs_is_invalid(
    channel: grpc.aio.Channel, go_tokens: Tokens
) -> None:
    pkg = pyside.package("v0.0.44")
    stub, _ = stub_for(
        channel, "v0.0.44", [("authorization", go_tokens.token), ("olcf-resource", ODO)]
    )
    desc = pkg.JobSubmitReqJobDescription(name="x", script="#!/bin/sh\ntrue\n")
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await stub.post_job_submit(pkg.JobSubmitReq(job=desc, jobs=[desc]))
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.filterwarnings("ignore:S3M API v0.0.42 is deprecated")
@pytest.mark.parametrize("version", pyside.VERSIONS)
async def test_factory_client_against_go_server(
    go_server: GoServer, go_tokens: Tokens, version: str
) -> None:
    """The user-facing client (S3MClientFactory over gRPC) reads the Go server's replies whole."""
    factory = S3MClientFactory(
        go_server.target,
        go_tokens.token,
        pyside.RESOURCES[version],
        transport="grpc",
        plaintext=True,
    )
    async with factory:
        client = factory.create_client(pyside.package(version).SlurmIndirectStub)
        for method in pyside.METHODS:
            request = pyside.sample_request(version, method)
            if method == "PostJobSubmit":  # the canned reply carries one SLURM warning
                with pytest.warns(SlurmWarning, match="partition default of 60 minutes"):
                    reply = await pyside.call(client, version, method, request)
            else:
                reply = await pyside.call(client, version, method, request)
            assert pyside.message_diff(pyside.canned_reply(version, method), reply) == [], method


async def test_factory_client_gets_typed_errors_from_go_server(
    go_server: GoServer, go_tokens: Tokens
) -> None:
    pkg = pyside.package("v0.0.44")
    cases: list[tuple[str, str, type[S3MError]]] = [
        ("x" + go_tokens.token, ODO, AuthenticationError),
        (go_tokens.token, "frontier", NotFoundError),
        (go_tokens.readonly, ODO, PermissionDeniedError),
    ]
    for token, resource, error in cases:
        factory = S3MClientFactory(
            go_server.target,
            token,
            resource,
            transport="grpc",
            plaintext=True,
            check_versions=False,  # let the Go server do the routing
        )
        async with factory:
            client = factory.create_client(pkg.SlurmIndirectStub)
            with pytest.raises(error) as info:
                await client.post_job_submit(pyside.sample_request("v0.0.44", "PostJobSubmit"))
            assert go_tokens.token not in str(info.value)
            assert go_tokens.token not in repr(info.value)
