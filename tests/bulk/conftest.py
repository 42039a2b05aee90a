"""Real local servers (gRPC + REST, simulated SLURM) for the bulk submit and cancel tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from s3m_grpc import AsyncClient
from s3m_grpc.jobspec import JobSpec
from s3m_grpc.server import Limits, LocalServer, ServerConfig
from s3m_grpc.server.sim.backend import SimBackend
from s3m_grpc.settings import TransportKind


def start(limits: Limits | None = None) -> LocalServer:
    config = ServerConfig(backend_options={"tick_interval": 0.05}, limits=limits or Limits())
    return LocalServer(config).start_in_thread()


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    srv = start()
    try:
        yield srv
    finally:
        srv.stop()


def client_of(
    srv: LocalServer, transport: str = "grpc", token: str | None = None, **options: Any
) -> AsyncClient:
    return AsyncClient(
        "odo",
        endpoint=srv.grpc_target,
        rest_url=srv.rest_url,
        plaintext=True,
        token=token or srv.token,
        transport=cast("TransportKind", transport),
        **options,
    )


def sim(srv: LocalServer) -> SimBackend:
    backend = srv.backend
    assert isinstance(backend, SimBackend)
    return backend


def later(name: str) -> JobSpec:
    """A job that stays PENDING for an hour (its begin time), so it costs no process."""
    begin = datetime.now(UTC) + timedelta(hours=1)
    return JobSpec(script="#!/bin/bash\ntrue\n", name=name, begin_time=begin)
