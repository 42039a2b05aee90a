"""Every operation, over every transport and API version, against the real local server."""

from __future__ import annotations

import asyncio
import uuid
import warnings
from typing import Any

import pytest

from s3m_grpc import AsyncClient, Client, codec, errors
from s3m_grpc.factory import DeprecatedVersionWarning
from s3m_grpc.server import LocalServer
from s3m_grpc.server.backend import SubmitRequest, SubmitResult
from s3m_grpc.states import JobState
from tests.client.conftest import ClientMaker

LONG = "#!/bin/bash\nsleep 300\n"
COPIES = 6_000


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def test_every_operation(client: AsyncClient, version: str) -> None:
    pinged = await client.ping()
    assert pinged.up
    assert pinged.controllers[0].hostname
    assert pinged.slurm_release
    parts = await client.partitions()
    assert parts
    assert parts[0].name
    assert parts[0].total_nodes > 0
    assert parts.raw.meta is not None
    nodes = await client.nodes()
    assert nodes
    assert nodes[0].cpus > 0
    assert nodes[0].raw.name == nodes[0].name
    assert isinstance(await client.reservations(), list)
    diag = await client.diag()
    assert diag.raw.statistics is not None
    assert diag.jobs_submitted == diag.raw.statistics.jobs_submitted

    name = unique("live")
    sub = await client.submit(LONG, name=name, time_limit=10, nodes=1, tasks=1)
    assert sub.job_id > 0

    info = await client.get_job(sub.job_id)
    assert info.job_id == sub.job_id
    assert info.name == name
    assert info.state in (JobState.PENDING, JobState.RUNNING)
    assert info.raw is not None

    listed = await client.list_jobs(name=name)
    assert [j.job_id for j in listed] == [sub.job_id]
    assert listed[0].time_limit == 10
    assert await client.list_jobs(name=name, state="COMPLETED") == []
    assert await client.list_jobs(name=name, partition="no-such-partition") == []

    assert await client.list_jobs(name="live-*", state=["PD", "R"], user=info.user) != []
    with pytest.raises(errors.ConfigurationError, match="RUNING"):
        await client.list_jobs(state="RUNING")

    cancelled = await client.cancel(sub.job_id)
    assert cancelled.job_id == str(sub.job_id)
    assert cancelled.signal is None
    done = await client.wait(sub.job_id, timeout=60, poll_interval=0.1)
    assert done.state is JobState.CANCELLED
    assert done.finished

    # The raw, versioned messages stay reachable.
    raw = await client.stub.get_jobs(client.messages.Empty())
    assert type(raw).__module__.endswith(version.replace(".", ""))


async def test_exit_code_and_output(make_client: ClientMaker, transport: str) -> None:
    async with make_client(transport, "v0.0.44") as c:
        sub = await c.submit("#!/bin/bash\necho out-$SLURM_JOB_ID\nexit 3\n", name=unique("ec"))
        info = await c.wait(sub.job_id, timeout=60, poll_interval=0.1)
    assert info.state is JobState.FAILED
    assert info.exit_code == 3


async def test_unknown_job_is_not_found(client: AsyncClient) -> None:
    with pytest.raises(errors.NotFoundError):
        await client.get_job(99_999_999)


async def test_readonly_token_cannot_submit(
    make_client: ClientMaker, server: LocalServer, transport: str
) -> None:
    async with make_client(transport, token=server.readonly_token) as c:
        assert await c.ping()
        with pytest.raises(errors.PermissionDeniedError):
            await c.submit(LONG, name=unique("ro"))


async def test_wrong_token_is_an_authentication_error(
    make_client: ClientMaker, transport: str
) -> None:
    async with make_client(transport, token="not-a-valid-token") as c:
        with pytest.raises(errors.AuthenticationError):
            await c.ping()


async def test_bad_submit_is_refused_before_sending(make_client: ClientMaker) -> None:
    async with make_client("grpc") as c:
        with pytest.raises(errors.InvalidRequestError):
            await c.submit("echo no shebang")
        with pytest.raises(errors.InvalidRequestError):
            await c.get_job("12; rm -rf /")


async def test_unsupported_pair_is_refused_by_the_client(make_client: ClientMaker) -> None:
    with pytest.raises(errors.UnsupportedVersionError, match="wombat"):
        make_client("grpc", "v0.0.44", resource="wombat")


async def test_unsupported_pair_is_refused_by_the_server(
    make_client: ClientMaker, transport: str
) -> None:
    async with make_client(transport, "v0.0.44", resource="wombat", check_versions=False) as c:
        with pytest.raises((errors.UnsupportedVersionError, errors.NotFoundError)):
            await c.ping()


def test_v42_warns_once(make_client: ClientMaker, server: LocalServer) -> None:
    from s3m_grpc import factory as factory_module

    factory_module._warned_deprecated.discard(("quokka", "v0.0.42"))
    with pytest.warns(DeprecatedVersionWarning, match="deprecated"):
        make_client("rest", "v0.0.42", resource="quokka")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_client("rest", "v0.0.42", resource="quokka")


def test_sync_client_in_a_plain_script(server: LocalServer) -> None:
    with Client(
        "odo", token=server.token, endpoint=server.grpc_target, rest_url=server.rest_url,
        plaintext=True,
    ) as c:  # fmt: skip
        assert c.version == "v0.0.44"
        sub = c.submit("#!/bin/bash\ntrue\n", name=unique("sync"))
        info = c.wait(sub.job_id, timeout=60, poll_interval=0.1)
        assert info.state is JobState.COMPLETED
        assert c.get_job(sub.job_id).exit_code == 0


async def test_sync_client_inside_a_running_loop(server: LocalServer) -> None:
    # As in Jupyter: a loop is running in this thread and the user calls the blocking API.
    c = Client(
        "defiant", version="v0.0.43", token=server.token, endpoint=server.grpc_target,
        rest_url=server.rest_url, plaintext=True,
    )  # fmt: skip
    try:
        assert c.ping()
        assert c.partitions()
    finally:
        c.close()


def test_sync_client_across_repeated_asyncio_run(server: LocalServer) -> None:
    c = Client(
        "odo", token=server.token, endpoint=server.grpc_target, rest_url=server.rest_url,
        plaintext=True,
    )  # fmt: skip

    async def use() -> int:
        return len(c.nodes())

    try:
        assert asyncio.run(use()) == asyncio.run(use()) > 0
    finally:
        c.close()
    with pytest.raises(RuntimeError, match="closed"):
        c.ping()


def test_async_client_across_repeated_asyncio_run(make_client: ClientMaker) -> None:
    c = make_client("grpc", "v0.0.43")

    async def use() -> int:
        return len(await c.partitions())

    assert asyncio.run(use()) == asyncio.run(use()) > 0


async def test_slurm_errors_arrive_with_their_entries(client: AsyncClient) -> None:
    with pytest.raises(errors.InvalidRequestError) as err:
        await client.submit(LONG, partition="no-such-partition", name=unique("bad"))
    assert err.value.errors
    assert err.value.errors[0].error_number != 0
    with pytest.raises(errors.NotFoundError) as nf:
        await client.cancel(99_999_996)
    assert nf.value.errors


@pytest.mark.sim_only(reason="records the submit requests the simulated backend receives")
@pytest.mark.parametrize("how", ["per-call", "factory", "off"])
async def test_with_storage_reaches_the_server(
    make_client: ClientMaker, server: LocalServer, transport: str, how: str
) -> None:
    backend: Any = server.backend
    real = backend.submit
    seen: list[bool] = []

    async def submit(request: SubmitRequest) -> SubmitResult:
        seen.append(request.with_storage)
        result: SubmitResult = await real(request)
        return result

    backend.submit = submit
    try:
        async with make_client(transport, with_storage=how == "factory") as c:
            await c.submit("#!/bin/bash\ntrue\n", with_storage=how == "per-call")
    finally:
        del backend.submit
    assert seen == [how != "off"]


@pytest.mark.sim_only(reason="predicts the next job id of the simulated backend")
async def test_wait_tolerates_not_found_just_after_submit(make_client: ClientMaker) -> None:
    async with make_client("grpc") as c:
        first = await c.submit("#!/bin/bash\ntrue\n", name=unique("w1"))
        waiter = asyncio.create_task(
            c.wait(first.job_id + 1, timeout=60, poll_interval=0.1, not_found_grace=30)
        )
        await asyncio.sleep(0.4)  # the waiter has seen "not found" a few times by now
        assert not waiter.done()
        second = await c.submit("#!/bin/bash\ntrue\n", name=unique("w2"))
        assert second.job_id == first.job_id + 1
        info = await waiter
    assert info.job_id == second.job_id
    assert info.state is JobState.COMPLETED


async def test_wait_gives_up_on_unknown_jobs_and_at_its_timeout(make_client: ClientMaker) -> None:
    async with make_client("rest") as c:
        with pytest.raises(errors.NotFoundError):
            await c.wait(99_999_995, poll_interval=0.05, max_interval=0.1, not_found_grace=0.3)
        sub = await c.submit(LONG, name=unique("wt"))
        with pytest.raises(errors.WaitTimeoutError, match="keeps running"):
            await c.wait(sub.job_id, timeout=0.5, poll_interval=0.1)
        await c.cancel(sub.job_id)


@pytest.mark.sim_only(reason="makes the simulated backend list thousands of copies of a job")
async def test_job_lists_over_4_mib_fit(make_client: ClientMaker, server: LocalServer) -> None:
    backend: Any = server.backend
    async with make_client("grpc") as c:
        await c.submit(LONG, name=unique("big"))
        listed: Any = server.run_coroutine(backend.jobs())
        one = listed[-1]

        async def jobs() -> list[dict[str, Any]]:
            return [{**one, "job_id": 500_000 + i} for i in range(COPIES)]

        backend.jobs = jobs
        try:
            reply = await c.stub.get_jobs(c.messages.Empty())
        finally:
            del backend.jobs
        await c.cancel(one["job_id"])
    # grpcio's default receive limit is 4 MiB; ours fits S3M's largest lists.
    assert len(codec.encode(reply)) > 4 * 1024 * 1024
    assert len(reply.jobs) == COPIES
    assert reply.jobs[-1].job_id == 500_000 + COPIES - 1
