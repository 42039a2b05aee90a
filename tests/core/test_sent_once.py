"""Calls that change something are sent exactly once at the HTTP level too, replies are bounded,
and no error carries the token: redirects, dropped pooled connections, endless and inflating
bodies, truncated OK replies, redirect loops, and a clear-text fallback."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from s3m_grpc import AsyncClient as Client
from s3m_grpc import errors
from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.settings import ClientSettings, TransportKind
from s3m_grpc.slurm import v0044
from s3m_grpc.transports.base import CallOptions
from s3m_grpc.transports.rest import RestTransport
from tests.reliability.proxies import TRUNCATE, GrpcProxy, RestProxy

TOKEN = "sent-once-" + "k" * 24
SCRIPT = "#!/bin/bash\ntrue\n"
SUBMIT = v0044.SERVICE.method("PostJobSubmit")
DELETE = v0044.SERVICE.method("DeleteJob")
JOBS = v0044.SERVICE.method("GetJobs")
AUTH: CallOptions = {"metadata": (("authorization", TOKEN),)}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Front:
    """A tiny HTTP server with one handler for every path; counts requests per method."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.seen: list[str] = []
        self.url = ""

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(request.method)
        return await self.handler(request)


@pytest.fixture
async def front() -> AsyncIterator[Callable[[Handler], Awaitable[Front]]]:
    runners: list[web.AppRunner] = []

    async def start(handler: Handler) -> Front:
        f = Front(handler)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", f._handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        f.url = f"http://127.0.0.1:{port}"
        return f

    yield start
    for r in runners:
        await r.cleanup()


def submit_request() -> v0044.JobSubmitReq:
    return v0044.JobSubmitReq(
        script=SCRIPT, job=v0044.JobSubmitReqJobDescription(name="once", environment=["A=1"])
    )


def chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and seen not in out:
        out.append(seen)
        seen = seen.__cause__ or seen.__context__
    return out


@pytest.mark.parametrize("location", ["http://[bad", "http://elsewhere.invalid/submit", "/x"])
async def test_a_redirected_submit_is_sent_once_and_not_followed(
    front: Callable[[Handler], Awaitable[Front]], location: str
) -> None:
    async def redirect(request: web.Request) -> web.StreamResponse:
        return web.Response(status=307, headers={"Location": location})

    f = await front(redirect)
    async with Client(
        "odo", version="v0.0.44", transport="rest", token=TOKEN, rest_url=f.url,
        endpoint="127.0.0.1:1", plaintext=True,
    ) as c:  # fmt: skip
        with pytest.raises(errors.ConfigurationError, match="redirect"):
            await c.submit(SCRIPT, name="once")
        with pytest.raises(errors.ConfigurationError, match="redirect"):
            await c.cancel(7, signal="SIGUSR1")
    assert f.seen == ["POST", "DELETE"]


async def test_a_cancel_whose_connection_drops_is_not_resent(
    front: Callable[[Handler], Awaitable[Front]],
) -> None:
    async def act_then_drop(request: web.Request) -> web.StreamResponse:
        if request.method == "GET":
            return web.json_response({"pings": [], "errors": [], "warnings": []})
        assert request.transport is not None
        request.transport.close()  # the server acted; its answer never comes
        return web.Response(status=200)

    f = await front(act_then_drop)
    t = RestTransport(f.url, resource="odo", headers={})
    try:
        ping = v0044.SERVICE.method("Ping")
        await t.unary(ping, v0044.Empty(), AUTH)  # a pooled connection now exists
        with pytest.raises(errors.OutcomeUnknownError, match="NOT re-sent") as err:
            await t.unary(DELETE, v0044.DeleteJobReq(job_id="7", signal="SIGUSR1"), AUTH)
        assert "get_job('7')" in str(err.value)
        assert not isinstance(err.value, errors.SubmitOutcomeUnknownError)
    finally:
        await t.close()
    assert f.seen == ["GET", "DELETE"]


async def test_endless_and_inflating_bodies_are_refused(
    front: Callable[[Handler], Awaitable[Front]],
) -> None:
    limit = 1 << 20

    async def endless(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(status=200, headers={"content-type": "application/json"})
        await resp.prepare(request)
        chunk = b" " * 65536
        for _ in range(10_000):  # 640 MiB if nobody stops reading
            await resp.write(chunk)
        return resp

    bomb = gzip.compress(b" " * (64 << 20))  # 64 MiB of spaces in ~64 KiB

    async def inflating(request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=bomb, headers={"content-type": "application/json", "content-encoding": "gzip"}
        )

    for handler in (endless, inflating):
        f = await front(handler)
        t = RestTransport(f.url, resource="odo", headers={}, max_reply_bytes=limit)
        try:
            with pytest.raises(errors.ReplyTooLargeError):
                await t.unary(JOBS, v0044.Empty(), AUTH)
        finally:
            await t.close()


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_a_truncated_ok_submit_reply_says_the_outcome_is_unknown(
    transport: TransportKind,
) -> None:
    async with (
        LocalServer(ServerConfig()) as srv,
        GrpcProxy(srv.grpc_target) as gp,
        RestProxy(srv.rest_url) as rp,
        Client(
            "odo", version="v0.0.44", transport=transport, token=srv.token,
            endpoint=gp.target, rest_url=rp.url, plaintext=True,
        ) as c,
    ):  # fmt: skip
        (gp if transport == "grpc" else rp).plan.set([TRUNCATE])
        with pytest.raises(errors.SubmitOutcomeUnknownError, match="NOT re-sent"):
            await c.submit(SCRIPT, name="truncated-ok")
        assert [j["name"] for j in await srv.backend.jobs()] == ["truncated-ok"]


async def test_a_redirect_loop_leaves_no_token_in_the_error_chain(
    front: Callable[[Handler], Awaitable[Front]],
) -> None:
    async def loop(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": request.path})

    f = await front(loop)
    async with Client(
        "odo", version="v0.0.44", transport="rest", token=TOKEN, rest_url=f.url,
        endpoint="127.0.0.1:1", plaintext=True, retry=False,
    ) as c:  # fmt: skip
        with pytest.raises(errors.S3MError) as err:
            await c.ping()
    for exc in chain(err.value):
        shown: Any = (repr(exc), str(exc), repr(vars(exc)) if hasattr(exc, "__dict__") else "")
        assert TOKEN not in "".join(shown)
    assert err.value.__context__ is None


def test_tls_grpc_with_a_clear_text_rest_fallback_is_refused() -> None:
    with pytest.raises(errors.ConfigurationError, match="clear text"):
        ClientSettings.resolve(
            resource="odo", endpoint="s3m.example.org:443", rest_url="http://s3m.example.org"
        )
    # Loopback (a local server) and an explicit single transport are fine.
    ClientSettings.resolve(resource="odo", endpoint="example.org:443", rest_url="http://[::1]:8")
    ClientSettings.resolve(
        resource="odo", endpoint="example.org:443", rest_url="http://x.org", transport="grpc"
    )
