"""Faults between the client and a real server: killed mid-call, restarted between calls, a
server that accepts and never answers, truncated and garbled replies.

Each must end in a typed error within the call's deadline (never a hang or a traceback), a
submit must never be sent twice, and a restarted server must be reached again by the same
client.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest

from s3m_grpc import AsyncClient as Client
from s3m_grpc import errors
from s3m_grpc.server import LocalServer
from s3m_grpc.transports.retrying import RetryingTransport, RetryPolicy
from tests.reliability.conftest import SCRIPT, client_for, job_ids, single_attempt
from tests.reliability.proxies import (
    CUT,
    GARBAGE,
    HANG,
    TRUNCATE,
    GrpcProxy,
    RestProxy,
    Step,
    blackhole,
    free_port,
)
from tests.reliability.served import ServedProcess

if TYPE_CHECKING:
    from s3m_grpc.settings import TransportKind


def served_client(served: ServedProcess, transport: str, **options: object) -> Client:
    """A client of the served process; one attempt per call unless a test adds retries."""
    options.setdefault("retry", False)
    return Client(
        "odo",
        version="v0.0.44",
        transport=cast("TransportKind", transport),
        token=served.token,
        endpoint=served.grpc_target,
        rest_url=served.rest_url,
        plaintext=True,
        **options,  # type: ignore[arg-type]
    )


def retrying(client: Client, policy: RetryPolicy) -> RetryingTransport:
    transport = RetryingTransport(single_attempt(client), policy)
    client.stub = client.messages.SlurmIndirectStub(transport)
    return transport


@pytest.fixture
def slow_served(tmp_path: Path) -> Iterator[ServedProcess]:
    """A server process whose job listing and submits take 30 s (time to kill it mid-call)."""
    served = ServedProcess(
        free_port(), free_port(), tmp_path / "sandbox", secrets.token_urlsafe(24), delay=30
    )
    served.start()
    try:
        yield served
    finally:
        served.kill()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedProcess]:
    served = ServedProcess(
        free_port(), free_port(), tmp_path / "sandbox", secrets.token_urlsafe(24)
    )
    served.start()
    try:
        yield served
    finally:
        served.kill()


async def read_every_field(c: Client) -> list[dict[str, object]]:
    """List jobs and read every field (replies are decoded lazily, on first read)."""
    return [j.to_dict() for j in await c.list_jobs()]


async def kill_after(served: ServedProcess, seconds: float) -> None:
    await asyncio.sleep(seconds)
    await asyncio.to_thread(served.kill)


# -- killed mid-call ----------------------------------------------------------------------


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_server_killed_mid_call(slow_served: ServedProcess, transport: str) -> None:
    """A GET in flight fails as unavailable at once; a submit in flight is outcome-unknown
    and never re-sent, even with retries on."""
    async with served_client(slow_served, transport) as c:
        await c.ping()
        start = time.monotonic()
        killer = asyncio.create_task(kill_after(slow_served, 0.5))
        with pytest.raises(errors.UnavailableError):
            await c.list_jobs(timeout=20)
        await killer
        assert time.monotonic() - start < 10  # not the 20 s deadline: the loss is seen

        await asyncio.to_thread(slow_served.start)
        transport_used = retrying(c, RetryPolicy(max_attempts=20, initial_backoff=0.1))
        assert await c.ping(timeout=20)  # the same client, reconnected
        retries_before = transport_used.retries
        killer = asyncio.create_task(kill_after(slow_served, 0.5))
        with pytest.raises(errors.SubmitOutcomeUnknownError, match="NOT re-sent") as info:
            await c.submit(SCRIPT, name="killed-mid-submit", timeout=20)
        await killer
        assert "killed-mid-submit" in str(info.value)
        assert transport_used.retries == retries_before


# -- restarted ----------------------------------------------------------------------------


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_the_same_client_reaches_a_restarted_server(
    served: ServedProcess, transport: str
) -> None:
    """Down: GETs fail as unavailable, a submit as not sent. A GET made while the server is
    down, retried, succeeds once it is back; later calls need nothing special."""
    async with served_client(served, transport, connect_timeout=1.0) as c:
        first = await c.submit(SCRIPT, name="before-restart")
        served.kill()
        with pytest.raises(errors.UnavailableError):
            await c.ping(timeout=5)
        with pytest.raises(errors.ConnectError, match="not sent"):
            await c.submit(SCRIPT, name="while-down", timeout=5)

        transport_used = retrying(
            c, RetryPolicy(max_attempts=40, initial_backoff=0.2, max_backoff=0.5)
        )

        async def restart_later() -> None:
            await asyncio.sleep(0.5)
            await asyncio.to_thread(served.start)

        restarter = asyncio.create_task(restart_later())
        assert await c.ping(timeout=30)
        await restarter
        assert transport_used.retries >= 1
        second = await c.submit(SCRIPT, name="after-restart")
        assert second.job_id == first.job_id  # a fresh simulator: ids start again at 1
        assert [j.name for j in await c.list_jobs()] == ["after-restart"]


# -- accepts and never answers --------------------------------------------------------------


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_a_server_that_never_answers_hits_the_deadline(
    server: LocalServer, transport: str
) -> None:
    async with blackhole() as port:
        target = f"127.0.0.1:{port}"
        async with client_for(
            server, transport, endpoint=target, rest_url=f"http://{target}", connect_timeout=0.5
        ) as c:
            start = time.monotonic()
            with pytest.raises((errors.DeadlineExceededError, errors.UnavailableError)):
                await c.ping(timeout=0.5)
            with pytest.raises((errors.ConnectError, errors.SubmitOutcomeUnknownError)) as info:
                await c.submit(SCRIPT, name="into-the-void", timeout=0.5)
            assert time.monotonic() - start < 4
            if transport == "grpc":  # no HTTP/2 handshake: the submit is known not sent
                assert isinstance(info.value, errors.ConnectError)


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_a_hung_call_hits_the_deadline_and_a_hung_submit_is_not_resent(
    server: LocalServer, grpc_proxy: GrpcProxy, rest_proxy: RestProxy, transport: str
) -> None:
    proxy = grpc_proxy if transport == "grpc" else rest_proxy
    async with client_for(
        server, transport, endpoint=grpc_proxy.target, rest_url=rest_proxy.url
    ) as c:
        await c.ping()
        retrying(c, RetryPolicy(initial_backoff=0.01))
        proxy.plan.set([HANG, HANG])
        start = time.monotonic()
        with pytest.raises(errors.DeadlineExceededError):
            await c.ping(timeout=0.5)
        with pytest.raises(errors.SubmitOutcomeUnknownError):
            await c.submit(SCRIPT, name="hung", timeout=0.5)
        assert time.monotonic() - start < 3
        assert proxy.plan.count("ubmit") == 1
    assert await job_ids(server) == []  # the proxy held it: nothing reached the server


# -- truncated / garbled replies --------------------------------------------------------------


@pytest.mark.parametrize("transport", ["grpc", "rest"])
@pytest.mark.parametrize("step", [GARBAGE, TRUNCATE], ids=["garbage", "truncated"])
async def test_a_garbled_or_truncated_reply_is_a_protocol_error(
    server: LocalServer,
    grpc_proxy: GrpcProxy,
    rest_proxy: RestProxy,
    transport: str,
    step: Step,
) -> None:
    proxy = grpc_proxy if transport == "grpc" else rest_proxy
    async with client_for(
        server, transport, endpoint=grpc_proxy.target, rest_url=rest_proxy.url
    ) as c:
        await c.submit(SCRIPT, name="garbled-reply")
        proxy.plan.set([step])
        with pytest.raises(errors.ProtocolError):
            await read_every_field(c)
        assert len(await c.list_jobs()) == 1  # the next reply is whole again


async def test_a_connection_cut_mid_reply_is_unavailable_for_a_get(
    server: LocalServer, rest_proxy: RestProxy
) -> None:
    async with client_for(server, "rest", rest_url=rest_proxy.url, retry=False) as c:
        rest_proxy.plan.set([CUT])
        with pytest.raises(errors.UnavailableError):
            await c.ping()
        retrying(c, RetryPolicy(initial_backoff=0.01))
        rest_proxy.plan.set([CUT])
        assert await c.ping()  # retried: the second reply is whole
