"""`LocalServer`: the whole local S3M (gRPC + REST + backend) on free 127.0.0.1 ports.

Use it as `async with LocalServer(cfg) as srv:` inside a running loop, or
`LocalServer(cfg).start_in_thread()` / `srv.stop()` from sync code (it then runs its own loop
on a daemon thread).
"""

from __future__ import annotations

import asyncio
import getpass
import threading
from collections.abc import Coroutine
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

import grpc.aio
from aiohttp import web

from s3m_grpc.errors import UnavailableError
from s3m_grpc.server import grpc_front, registry, rest_front
from s3m_grpc.server.auth import TokenStore
from s3m_grpc.server.backend import Backend
from s3m_grpc.server.config import READONLY, WRITE, ServerConfig, TokenInfo, generate_token
from s3m_grpc.server.sandbox import Sandbox
from s3m_grpc.server.service import SlurmService

T = TypeVar("T")


class LocalServer:
    """A running local S3M Compute server (see the module docstring)."""

    def __init__(self, config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        self._grpc: grpc.aio.Server | None = None
        self._rest: web.AppRunner | None = None
        self._backend: Backend | None = None
        self._service: SlurmService | None = None
        self._sandbox: Sandbox | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.grpc_port = 0
        self.http_port = 0
        tokens = dict(self.config.tokens)
        self.token = ""
        self.readonly_token = ""
        if not tokens:
            user = self.config.user or _login()
            self.token = generate_token()
            self.readonly_token = generate_token()
            tokens[self.token] = TokenInfo(self.config.project, user, frozenset({WRITE}))
            tokens[self.readonly_token] = TokenInfo(
                self.config.project, user, frozenset({READONLY})
            )
        self._tokens = tokens

    def __repr__(self) -> str:
        state = f"grpc={self.grpc_target}, rest={self.rest_url}" if self.grpc_port else "stopped"
        return f"LocalServer({state})"

    @property
    def grpc_target(self) -> str:
        return f"{self.config.host}:{self.grpc_port}"

    @property
    def rest_url(self) -> str:
        return f"http://{self.config.host}:{self.http_port}"

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            raise UnavailableError("the local server is not running")
        return self._backend

    @property
    def sandbox(self) -> Sandbox:
        if self._sandbox is None:
            raise UnavailableError("the local server is not running")
        return self._sandbox

    def host_path(self, job_path: str) -> Path:
        """Where a path named in a job request lives on this host."""
        return self.sandbox.host_path(job_path)

    @property
    def service(self) -> SlurmService:
        """The request path both front ends call (in-process callers too)."""
        if self._service is None:
            raise UnavailableError("the local server is not running")
        return self._service

    async def start(self, *, listen: bool = True) -> Self:
        """Start the backend and the service, then (`listen`) the gRPC and REST front ends.

        `listen=False` opens no socket: only in-process callers reach the service
        (`s3m_grpc.testing.InProcessTransport`).
        """
        cfg = self.config
        root = cfg.sandbox.root
        if root is None and cfg.state is not None and not cfg.sandbox.allowed_roots:
            # Jobs kept across restarts keep their files too: beside the state, not in /tmp.
            root = cfg.state.with_name(f"{cfg.state.stem}-sandbox")
        self._sandbox = Sandbox(root, cfg.sandbox.allowed_roots)
        try:
            self._backend = registry.create(
                cfg.backend, cfg.backend_options, self._sandbox, cfg.state
            )
            await self._backend.start()
            service = self._service = SlurmService(
                self._backend, TokenStore(self._tokens), cfg.resources, cfg.limits
            )
            if not listen:
                return self
            self._grpc, self.grpc_port = await grpc_front.build(
                service, cfg.host, cfg.grpc_port, cfg.limits.max_request_bytes
            )
            await self._grpc.start()
            front = rest_front.RestFront(service, cfg.limits.max_request_bytes, cfg.rest_dialect)
            self._rest, self.http_port = await rest_front.start(front, cfg.host, cfg.http_port)
        except BaseException:
            await self.close()
            raise
        return self

    async def close(self) -> None:
        """Stop serving, stop the backend (killing running sim jobs), free the ports."""
        if self._rest is not None:
            await self._rest.cleanup()
            self._rest = None
        if self._grpc is not None:
            await self._grpc.stop(grace=0.5)
            self._grpc = None
        self._service = None
        if self._backend is not None:
            await self._backend.close()
            self._backend = None
        if self._sandbox is not None:
            self._sandbox.close()
            self._sandbox = None
        self.grpc_port = self.http_port = 0

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # --- sync use: its own loop on a thread -------------------------------------------

    def start_in_thread(self, timeout: float = 30.0) -> Self:
        """Start on a daemon thread with its own event loop; returns once serving."""
        if self._thread is not None:
            return self
        loop = asyncio.new_event_loop()
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:
                failure.append(exc)
                started.set()
                loop.close()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(self.close())
            loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="s3m-local-server", daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            raise UnavailableError("the local server did not start in time")
        if failure:
            self._thread.join()
            self._thread = self._loop = None
            raise failure[0]
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Stop a server started with `start_in_thread`."""
        if self._thread is None or self._loop is None:
            raise RuntimeError("stop() is for start_in_thread(); use `await srv.close()` here")
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        self._thread = self._loop = None

    def run_coroutine(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        """Run a coroutine on the server's own loop (thread mode), e.g. to inspect the backend."""
        if self._loop is None:
            raise RuntimeError("run_coroutine() is for start_in_thread()")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "user"
