"""`wait` bounds: its timeout covers calls in flight, an outage is tolerated for `outage_grace`
then raised as the typed connection error, a server's `Retry-After` cannot stall it, and many
jobs are waited for with one poll per interval. Real servers on 127.0.0.1 throughout."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from s3m_grpc import AsyncClient, errors
from s3m_grpc.observe import CallEvent
from s3m_grpc.server import LocalServer
from s3m_grpc.states import JobState
from s3m_grpc.waiting import WaitSettings, retry_after_pause
from tests.client.conftest import ClientMaker

QUICK = "#!/bin/bash\ntrue\n"


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[int]:
    """Accepts TCP connections, reads what it is sent, never answers; yields its port."""
    held: list[asyncio.StreamWriter] = []

    async def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        while await reader.read(65536):
            pass

    server = await asyncio.start_server(on_client, "127.0.0.1", 0)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        for w in held:
            w.close()
        server.close()


@contextlib.asynccontextmanager
async def rate_limiting_server(retry_after: str) -> AsyncIterator[tuple[str, list[float]]]:
    """An HTTP server answering every request 429 with `Retry-After: retry_after`; yields its
    URL and the times requests arrived."""
    seen: list[float] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append(time.monotonic())
        return web.json_response(
            {"errors": [{"error": "slow down", "error_number": 429}]},
            status=429,
            headers={"Retry-After": retry_after},
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()


def client_at(target: str, transport: str, *, retry: bool = True) -> AsyncClient:
    return AsyncClient(
        "odo",
        token="any-token",
        endpoint=target,
        rest_url=f"http://{target}",
        plaintext=True,
        transport=transport,  # type: ignore[arg-type]
        connect_timeout=0.5,
        retry=retry,
    )


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_closed_port_raises_the_connection_error_after_the_outage_grace(
    transport: str,
) -> None:
    async with client_at(f"127.0.0.1:{closed_port()}", transport, retry=False) as c:
        start = time.monotonic()
        with pytest.raises(errors.ConnectError):
            await c.wait(1, poll_interval=0.1, max_interval=0.2, outage_grace=1.0)
        elapsed = time.monotonic() - start
    assert 1.0 <= elapsed < 4.0, elapsed


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_timeout_bounds_a_wait_on_a_server_that_never_answers(transport: str) -> None:
    async with silent_server() as port, client_at(f"127.0.0.1:{port}", transport) as c:
        start = time.monotonic()
        with pytest.raises(errors.WaitTimeoutError) as info:
            await c.wait(7, timeout=2)
        elapsed = time.monotonic() - start
    assert elapsed < 3.0, elapsed
    assert info.value.job_ids == ("7",)
    assert isinstance(info.value, errors.DeadlineExceededError)


@pytest.mark.parametrize("header", ["inf", "1e999", "-5", "nan"])
async def test_retry_after_that_is_not_a_finite_pause_does_not_stall_a_wait(header: str) -> None:
    async with rate_limiting_server(header) as (url, seen):
        target = url.removeprefix("http://")
        # The engine alone (one attempt per poll): it keeps polling through the grace.
        async with client_at(target, "rest", retry=False) as c:
            start = time.monotonic()
            with pytest.raises(errors.RateLimitedError):
                await c.wait(3, poll_interval=0.1, max_interval=0.2, outage_grace=1.0)
            elapsed = time.monotonic() - start
            assert 1.0 <= elapsed < 3.0, elapsed
            assert len(seen) >= 3, seen
        # With the retry policy underneath, the timeout still bounds everything.
        async with client_at(target, "rest") as c:
            start = time.monotonic()
            with pytest.raises(errors.WaitTimeoutError):
                await c.wait(3, timeout=2, poll_interval=0.1)
            assert time.monotonic() - start < 3.0


def test_retry_after_is_capped() -> None:
    assert retry_after_pause(errors.RateLimitedError("x", retry_after=3600.0), 30.0) == 30.0
    assert retry_after_pause(errors.RateLimitedError("x", retry_after=2.5), 30.0) == 2.5
    for bad in (float("inf"), float("nan"), -1.0, None):
        assert retry_after_pause(errors.RateLimitedError("x", retry_after=bad), 30.0) is None


def test_wait_settings_refuse_nonsense() -> None:
    for bad in (
        {"timeout": 0},
        {"timeout": float("inf")},
        {"poll_interval": -1},
        {"outage_grace": float("nan")},
    ):
        with pytest.raises(errors.ConfigurationError):
            WaitSettings(**bad)


async def test_many_jobs_one_poll_per_interval(
    make_client: ClientMaker, server: LocalServer
) -> None:
    calls: list[str] = []

    def on_event(event: CallEvent) -> None:
        if event.kind == "call_started":
            calls.append(event.method)

    async with make_client("grpc", on_event=on_event) as c:
        subs = [await c.submit(QUICK, name=f"many-{i}") for i in range(3)]
        long = await c.submit("#!/bin/bash\nsleep 300\n", name="many-long")
        ids = [str(s.job_id) for s in subs]
        calls.clear()
        found = await c.wait_all(ids, timeout=60, poll_interval=0.1)
        assert list(found) == ids
        assert all(info.state is JobState.COMPLETED for info in found.values())
        # Every poll is one listing that answers for every job still pending.
        assert calls
        assert set(calls) == {"GetJobs"}, calls
        assert len(calls) == c.watcher.polls
        # A timed-out wait names the unfinished jobs and keeps the states it saw.
        with pytest.raises(errors.WaitTimeoutError) as info:
            await c.wait_all([*ids, long.job_id], timeout=0.5, poll_interval=0.1)
        assert info.value.job_ids == (str(long.job_id),)
        assert info.value.states[ids[0]] == "COMPLETED"
        await c.cancel(long.job_id)
