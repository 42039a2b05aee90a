"""A real local server (simulated SLURM, short ticks) and clients on it, for the many-jobs tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from s3m_grpc import AsyncClient
from s3m_grpc.observe import CallEvent
from s3m_grpc.server import LocalServer, ServerConfig

# Enough CPUs for a thousand one-CPU jobs at once.
BIG_PARTITION = {
    "name": "batch-cpu",
    "nodes": "node[001-032]",
    "cpus_per_node": 64,
    "default": True,
}


def config(**options: Any) -> ServerConfig:
    return ServerConfig(
        backend="sim",
        backend_options={"tick_interval": 0.05, "kill_wait": 0.2, **options},
    )


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    """Finished jobs stay listed (slurmctld's MinJobAge, 300 s by default)."""
    async with LocalServer(config(partitions=[BIG_PARTITION])) as srv:
        yield srv


@pytest.fixture
async def ageing_server() -> AsyncIterator[LocalServer]:
    """A finished job leaves the listing at once (MinJobAge 0); accounting keeps it."""
    async with LocalServer(config(min_job_age=0)) as srv:
        yield srv


class Calls:
    """The calls a client made, by method (counted with its `on_event` hook)."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.failed: list[str] = []

    def __call__(self, event: CallEvent) -> None:
        if event.kind == "call_started":
            self.started.append(event.method)
        elif event.kind == "call_finished" and event.error:
            self.failed.append(event.method)

    def count(self, method: str) -> int:
        return self.started.count(method)

    def clear(self) -> None:
        self.started.clear()
        self.failed.clear()


ClientOn = Callable[..., AsyncClient]


def client_on(server: LocalServer, calls: Calls | None = None, **options: Any) -> AsyncClient:
    return AsyncClient(
        options.pop("resource", "odo"),
        version=options.pop("version", "v0.0.44"),
        token=server.token,
        endpoint=server.grpc_target,
        rest_url=server.rest_url,
        plaintext=True,
        transport=options.pop("transport", "grpc"),
        on_event=calls,
        **options,
    )


@pytest.fixture
def server_thread() -> Iterator[LocalServer]:
    """The server in a thread of its own, for the blocking client's tests."""
    srv = LocalServer(config()).start_in_thread()
    try:
        yield srv
    finally:
        srv.stop()
