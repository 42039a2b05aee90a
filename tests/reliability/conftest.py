"""Fixtures for the reliability tests: a real local server, and fronts that misbehave before it."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest

from s3m_grpc import AsyncClient as Client
from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.transports.base import Transport
from s3m_grpc.transports.observed import ObservedTransport
from s3m_grpc.transports.retrying import RetryingTransport
from tests.reliability.proxies import GrpcProxy, RestProxy

if TYPE_CHECKING:
    from s3m_grpc.settings import TransportKind

SCRIPT = "#!/bin/bash\ntrue\n"


@pytest.fixture(scope="package", autouse=True)
def leaves_nothing_behind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """These tests leave no process and no temp folder behind (servers killed with SIGKILL
    included): their temp folders go to a folder of their own (TMPDIR, inherited by the server
    processes they start), which must be empty at the end, and no process may still be working
    in it or in the tests' tmp_path folders (a job's script, or what it started)."""
    own = tmp_path_factory.mktemp("reliability-tmpdir")
    saved_env, saved_dir = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = tempfile.tempdir = str(own)
    try:
        yield
    finally:
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        tempfile.tempdir = saved_dir
    base = tmp_path_factory.getbasetemp().resolve()
    end = time.monotonic() + 20
    while (left := _working_in(base)) and time.monotonic() < end:
        time.sleep(0.1)  # a killed server's sidecar may still be at work
    assert left == [], f"processes left running: {left}"
    assert sorted(p.name for p in own.iterdir()) == []


def _working_in(folder: Path) -> list[str]:
    """`pid: command` of live processes whose working directory is inside `folder`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cwd = Path(os.readlink(f"/proc/{entry}/cwd"))
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and cwd.is_relative_to(folder):
            found.append(f"{entry}: {cmd.decode(errors='replace').strip()}")
    return found


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(
        ServerConfig(backend_options={"tick_interval": 0.05, "kill_wait": 0.2})
    ) as srv:
        yield srv


@pytest.fixture
async def rest_proxy(server: LocalServer) -> AsyncIterator[RestProxy]:
    async with RestProxy(server.rest_url) as proxy:
        yield proxy


@pytest.fixture
async def grpc_proxy(server: LocalServer) -> AsyncIterator[GrpcProxy]:
    async with GrpcProxy(server.grpc_target) as proxy:
        yield proxy


def client_for(
    server: LocalServer,
    transport: str,
    *,
    endpoint: str | None = None,
    rest_url: str | None = None,
    **options: Any,
) -> Client:
    """An async v0.0.44 client on `odo` of the local server (or of a front before it)."""
    return Client(
        "odo",
        version="v0.0.44",
        transport=cast("TransportKind", transport),
        token=options.pop("token", server.token),
        endpoint=endpoint or server.grpc_target,
        rest_url=rest_url or server.rest_url,
        plaintext=True,
        **options,
    )


def single_attempt(client: Client) -> Transport:
    """A client's transport chain under its own retries: one attempt per call."""
    chain = client.factory.transport
    assert isinstance(chain, ObservedTransport)
    assert isinstance(chain.inner, RetryingTransport)
    return chain.inner.inner


async def job_ids(server: LocalServer) -> list[int]:
    """Every job id the backend lists (straight from it, no client in between)."""
    return [int(j["job_id"]) for j in await server.backend.jobs()]
