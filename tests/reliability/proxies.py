"""Misbehaving fronts for the real local server, all on 127.0.0.1, for the fault tests.

`RestProxy` (aiohttp) and `GrpcProxy` (grpc.aio, bytes in and out) sit in front of a real
`LocalServer` and follow a plan, one step per incoming call: fail with a status, hang, answer
garbage or a truncated reply, or forward the call upstream. When the plan runs out they
forward. `blackhole` accepts TCP connections and never says a word.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp
import grpc
import grpc.aio
from aiohttp import web


@dataclass(frozen=True, slots=True)
class Step:
    """What the proxy does with one call.

    kind: "forward", "status" (answer `status`, with `headers`), "hang" (never answer),
    "garbage" (answer 200 / OK with bytes that are no reply), "truncate" (forward, then answer
    only the first half of the reply), "cut" (REST: announce the full length, send half, close).
    """

    kind: str
    status: int = 503
    headers: tuple[tuple[str, str], ...] = ()
    grpc_code: grpc.StatusCode = grpc.StatusCode.UNAVAILABLE


FORWARD = Step("forward")
HANG = Step("hang")
GARBAGE = Step("garbage")
TRUNCATE = Step("truncate")
CUT = Step("cut")
GARBAGE_BYTES = b"\xff\xfe{not a reply\x00\x01\x02" * 8


def status(code: int, retry_after: str | None = None) -> Step:
    headers = (("Retry-After", retry_after),) if retry_after is not None else ()
    return Step("status", status=code, headers=headers)


def grpc_status(code: grpc.StatusCode) -> Step:
    return Step("status", grpc_code=code)


@dataclass
class Plan:
    """Steps for the next calls (then forward), and a log of (kind, method/path) seen."""

    steps: list[Step] = field(default_factory=list)
    seen: list[tuple[str, str]] = field(default_factory=list)

    def set(self, steps: Iterable[Step]) -> None:
        self.steps = list(steps)
        self.seen.clear()

    def next(self, what: str) -> Step:
        step = self.steps.pop(0) if self.steps else FORWARD
        self.seen.append((step.kind, what))
        return step

    def count(self, needle: str) -> int:
        """Calls seen whose method or path contains `needle`."""
        return sum(needle in what for _, what in self.seen)


class RestProxy:
    """An HTTP front that follows a `Plan` and otherwise forwards to `upstream`
    (HTTPS when given an `ssl_context`)."""

    def __init__(self, upstream: str, ssl_context: ssl.SSLContext | None = None) -> None:
        self.upstream = upstream.rstrip("/")
        self.ssl_context = ssl_context
        self.plan = Plan()
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._release = asyncio.Event()  # set on exit: hung calls end

    @property
    def url(self) -> str:
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    async def __aenter__(self) -> RestProxy:
        app = web.Application(client_max_size=64 << 20)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self.ssl_context)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._release.set()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> tuple[int, bytes]:
        assert self._session is not None
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower() in ("authorization", "olcf-resource", "content-type", "x-s3m-withstorage")
        }
        async with self._session.request(
            request.method,
            self.upstream + request.rel_url.path_qs,
            data=await request.read(),
            headers=headers,
        ) as resp:
            return resp.status, await resp.read()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        step = self.plan.next(f"{request.method} {request.path}")
        if step.kind == "status":
            body = b'{"errors": [], "warnings": []}'
            return web.Response(
                status=step.status,
                body=body,
                headers=dict(step.headers),
                content_type="application/json",
            )
        if step.kind == "hang":
            await self._release.wait()
            return web.Response(status=503)
        if step.kind == "garbage":
            return web.Response(status=200, body=GARBAGE_BYTES, content_type="application/json")
        code, body = await self._forward(request)
        if step.kind == "truncate":
            return web.Response(status=code, body=body[: len(body) // 2])
        if step.kind == "cut":
            resp = web.StreamResponse(status=code)
            resp.content_length = len(body)
            resp.content_type = "application/json"
            await resp.prepare(request)
            await resp.write(body[: len(body) // 2])
            assert request.transport is not None
            request.transport.close()
            return resp
        return web.Response(status=code, body=body, content_type="application/json")


_FORWARDED_METADATA = ("authorization", "olcf-resource", "x-s3m-withstorage")


class GrpcProxy:
    """A gRPC front (any method, raw bytes) that follows a `Plan`, else forwards upstream.

    With `tls=(key PEM, certificate chain PEM)` it serves TLS.
    """

    def __init__(self, upstream: str, tls: tuple[bytes, bytes] | None = None) -> None:
        self.upstream = upstream
        self.tls = tls
        self.plan = Plan()
        self.port = 0
        self._server: grpc.aio.Server | None = None
        self._channel: grpc.aio.Channel | None = None
        self._release = asyncio.Event()  # set on exit: hung calls end

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def __aenter__(self) -> GrpcProxy:
        self._channel = grpc.aio.insecure_channel(self.upstream)
        self._server = grpc.aio.server()
        self._server.add_generic_rpc_handlers([_AnyMethod(self)])
        if self.tls is None:
            self.port = self._server.add_insecure_port("127.0.0.1:0")
        else:
            creds = grpc.ssl_server_credentials([self.tls])
            self.port = self._server.add_secure_port("127.0.0.1:0", creds)
        await self._server.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._release.set()
        if self._server is not None:
            await self._server.stop(grace=0)
        if self._channel is not None:
            await self._channel.close(None)

    async def handle(
        self, method: str, data: bytes, context: grpc.aio.ServicerContext[Any, Any]
    ) -> bytes:
        step = self.plan.next(method)
        if step.kind == "status":
            await context.abort(step.grpc_code, f"proxy says {step.grpc_code.name}")
        if step.kind == "hang":
            await self._release.wait()
            await context.abort(grpc.StatusCode.UNAVAILABLE, "proxy closing")
        if step.kind == "garbage":
            return GARBAGE_BYTES
        assert self._channel is not None
        call = self._channel.unary_unary(method, None, None)
        metadata = tuple(
            (k, v) for k, v in context.invocation_metadata() or () if k in _FORWARDED_METADATA
        )
        try:
            reply: bytes = await call(data, metadata=metadata, timeout=30)
        except grpc.aio.AioRpcError as exc:
            trailers: Any = tuple(exc.trailing_metadata() or ())
            await context.abort(exc.code(), exc.details() or "", trailers)
            raise
        if step.kind == "truncate":
            return reply[: len(reply) // 2]
        return reply


if TYPE_CHECKING:
    _Handler = grpc.GenericRpcHandler[Any, Any]
else:
    _Handler = grpc.GenericRpcHandler


class _AnyMethod(_Handler):
    def __init__(self, proxy: GrpcProxy) -> None:
        self._proxy = proxy

    def service(self, details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler[Any, Any]:
        method: str = details.method

        async def behaviour(data: bytes, context: grpc.aio.ServicerContext[Any, Any]) -> bytes:
            return await self._proxy.handle(method, data, context)

        return grpc.unary_unary_rpc_method_handler(behaviour)


@contextlib.asynccontextmanager
async def blackhole() -> AsyncIterator[int]:
    """A 127.0.0.1 port that accepts connections and never answers; yields the port."""
    held: list[asyncio.StreamWriter] = []

    async def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # keep it open, read nothing, say nothing

    server = await asyncio.start_server(on_client, "127.0.0.1", 0)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        for w in held:
            w.close()
        server.close()
        await server.wait_closed()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
