"""transport="auto": REST when gRPC is unreachable; a submit is never sent twice."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from s3m_grpc import errors
from s3m_grpc.observe import CallEvent
from s3m_grpc.server import LocalServer
from s3m_grpc.server.backend import SubmitRequest, SubmitResult
from s3m_grpc.transports.chain import connections
from s3m_grpc.transports.fallback import FallbackTransport
from tests.client.conftest import ClientMaker

SCRIPT = "#!/bin/bash\ntrue\n"


@pytest.fixture
def closed_port() -> int:
    """A 127.0.0.1 port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fallback_of(c: Any) -> FallbackTransport:
    t = connections(c.factory.transport)
    assert isinstance(t, FallbackTransport)
    return t


async def test_grpc_port_closed_calls_succeed_over_rest(
    make_client: ClientMaker, closed_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "s3m_grpc")
    async with make_client("auto", endpoint=f"127.0.0.1:{closed_port}") as c:
        assert await c.ping()
        t = fallback_of(c)
        assert t.last_used == "rest"
        assert t.grpc_down.active
        sub = await c.submit(SCRIPT, name=f"fb-{uuid.uuid4().hex[:6]}")
        assert (await c.get_job(sub.job_id)).job_id == sub.job_id
        assert t.rest_calls == 3
    assert sum("using REST" in r.getMessage() for r in caplog.records) == 1


async def test_grpc_is_probed_again_after_the_cooldown(
    make_client: ClientMaker, closed_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, "s3m_grpc")
    events: list[CallEvent] = []

    def grpc_tries() -> int:
        return sum(e.kind == "attempt" and e.transport == "grpc" for e in events)

    async with make_client(
        "auto", endpoint=f"127.0.0.1:{closed_port}", grpc_cooldown=0.2, on_event=events.append
    ) as c:
        await c.ping()
        await c.ping()  # within the cooldown: straight to REST
        assert grpc_tries() == 1
        await asyncio.sleep(0.3)
        await c.ping()  # cooldown over: gRPC is tried (and fails) again
        assert grpc_tries() == 2
    # One outage: one warning, however many calls fell back; each fallback a DEBUG record.
    warned = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert sum("using REST" in r.getMessage() for r in warned) == 1
    kinds = [getattr(r, "s3m", {}).get("kind") for r in caplog.records]
    assert kinds.count("fallback") == 3
    assert kinds.count("outage_started") == 1


@pytest.mark.parametrize("method", ["ping", "submit"])
async def test_grpc_only_with_port_closed_says_nothing_was_sent(
    make_client: ClientMaker, closed_port: int, method: str
) -> None:
    async with make_client("grpc", endpoint=f"127.0.0.1:{closed_port}") as c:
        call = c.ping() if method == "ping" else c.submit(SCRIPT)
        with pytest.raises(errors.ConnectError, match="not sent"):
            await call


async def test_no_fallback_on_authentication_errors(make_client: ClientMaker) -> None:
    async with make_client("auto", token="wrong-token") as c:
        with pytest.raises(errors.AuthenticationError):
            await c.ping()
        assert fallback_of(c).rest_calls == 0


async def test_no_fallback_on_slurm_or_not_found_errors(make_client: ClientMaker) -> None:
    async with make_client("auto") as c:
        with pytest.raises(errors.NotFoundError):
            await c.get_job(98_765_432)
        assert fallback_of(c).rest_calls == 0


@pytest.fixture
def slow_submit(server: LocalServer) -> Iterator[float]:
    """The backend accepts the job, then answers only after `delay` seconds."""
    delay = 1.5
    backend: Any = server.backend
    real = backend.submit

    async def submit(request: SubmitRequest) -> SubmitResult:
        result: SubmitResult = await real(request)
        await asyncio.sleep(delay)
        return result

    backend.submit = submit
    try:
        yield delay
    finally:
        del backend.submit


@pytest.mark.sim_only(reason="injects a slow submit into the simulated backend")
@pytest.mark.parametrize("transport", ["auto", "grpc", "rest"])
async def test_timed_out_submit_is_not_resent(
    make_client: ClientMaker, slow_submit: float, transport: str
) -> None:
    name = f"once-{uuid.uuid4().hex[:8]}"
    async with make_client(transport) as c:
        t0 = time.monotonic()
        with pytest.raises(errors.SubmitOutcomeUnknownError) as err:
            await c.submit(SCRIPT, name=name, timeout=0.5)
        assert time.monotonic() - t0 < slow_submit
        text = str(err.value)
        assert "NOT re-sent" in text
        assert f"list_jobs(name={name!r})" in text
        await asyncio.sleep(slow_submit + 0.2)  # let the server finish the one submit it got
        jobs = await c.list_jobs(name=name)
    assert len(jobs) == 1


async def test_hung_grpc_connect_falls_back_after_connect_timeout(
    make_client: ClientMaker,
) -> None:
    # A port whose kernel completes TCP handshakes but nobody ever speaks HTTP/2.
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        port = hung.getsockname()[1]
        async with make_client("auto", endpoint=f"127.0.0.1:{port}", connect_timeout=0.5) as c:
            t0 = time.monotonic()
            assert await c.ping()
            assert time.monotonic() - t0 < 5
            assert fallback_of(c).last_used == "rest"
        async with make_client("grpc", endpoint=f"127.0.0.1:{port}", connect_timeout=0.5) as c:
            with pytest.raises(errors.ConnectError, match="not sent"):
                await c.submit(SCRIPT)


async def test_both_unreachable_names_both(make_client: ClientMaker, closed_port: int) -> None:
    target = f"127.0.0.1:{closed_port}"
    async with make_client("auto", endpoint=target, rest_url=f"http://{target}") as c:
        with pytest.raises(errors.ConnectError) as err:
            await c.submit(SCRIPT)
    text = str(err.value)
    assert "REST fallback" in text
    assert text.count("not sent") == 2
