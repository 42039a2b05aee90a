"""A real HTTP server on 127.0.0.1 that answers like slurmrestd, for what a cluster cannot do
on demand (slow replies, garbage, a rejected JWT) and for API versions not installed here."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

META = {
    "plugin": {"type": "openapi/v0.0.38", "name": "Slurm OpenAPI v0.0.38"},
    "Slurm": {"version": {"major": 22, "micro": 8, "minor": 5}, "release": "22.05.8"},
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class FakeRestd:
    """Routes and a log of what arrived (method, path with query, user and token headers)."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Handler] = {}
        self.seen: list[tuple[str, str, str, str]] = []
        self.url = ""
        self.meta: dict[str, Any] = META

    def on(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method, path)] = handler

    def json(self, method: str, path: str, body: dict[str, Any], status: int = 200) -> None:
        async def reply(_: web.Request) -> web.StreamResponse:
            return web.json_response({"meta": self.meta, "errors": [], **body}, status=status)

        self.on(method, path, reply)

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(
            (
                request.method,
                request.path_qs,
                request.headers.get("X-SLURM-USER-NAME", ""),
                request.headers.get("X-SLURM-USER-TOKEN", ""),
            )
        )
        handler = self.routes.get((request.method, request.path))
        if handler is None:
            return web.Response(
                status=404, text="Unable find requested URL. Please view /openapi/v3"
            )
        return await handler(request)


@pytest.fixture
async def restd() -> AsyncIterator[FakeRestd]:
    fake = FakeRestd()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fake.dispatch)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    fake.url = f"http://127.0.0.1:{port}"
    fake.json("GET", "/slurm/v0.0.38/ping", {"pings": [{"hostname": "h", "ping": "UP"}]})
    yield fake
    await runner.cleanup()
