"""Serving: reflection, health, the thread mode, `s3m serve` as a process, config files."""

from __future__ import annotations

import asyncio
import json
import socket
import stat
import time
from pathlib import Path
from typing import Any

import grpc
import grpc.aio
import httpx
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from s3m_grpc.errors import InvalidRequestError
from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.server.config import load_tokens
from s3m_grpc.server.sim import ManualClock, SimBackend
from tests.server.conftest import RawStub
from tests.server.serve_process import serve

SERVICES = [f"olcf.s3m.slurm.v004{n}.SlurmIndirect" for n in (2, 3, 4)]


async def test_reflection_lists_and_describes_every_version(server: LocalServer) -> None:
    async with grpc.aio.insecure_channel(server.grpc_target) as ch:
        stub: Any = reflection_pb2_grpc.ServerReflectionStub(ch)
        reqs = [reflection_pb2.ServerReflectionRequest(list_services="")] + [
            reflection_pb2.ServerReflectionRequest(file_containing_symbol=name) for name in SERVICES
        ]
        replies = [r async for r in stub.ServerReflectionInfo(iter(reqs))]
    listed = {s.name for s in replies[0].list_services_response.service}
    assert set(SERVICES) <= listed
    assert "grpc.health.v1.Health" in listed
    for reply in replies[1:]:
        assert reply.file_descriptor_response.file_descriptor_proto  # a real descriptor


async def test_health(server: LocalServer) -> None:
    async with grpc.aio.insecure_channel(server.grpc_target) as ch:
        stub: Any = health_pb2_grpc.HealthStub(ch)
        for name in ["", *SERVICES]:
            reply = await stub.Check(health_pb2.HealthCheckRequest(service=name))
            assert reply.status == health_pb2.HealthCheckResponse.SERVING


def port_open(host_port: str) -> bool:
    host, port = host_port.rsplit(":", 1)
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, int(port))) == 0


def test_start_in_thread_and_stop() -> None:
    srv = LocalServer().start_in_thread()
    try:
        resp = httpx.get(
            f"{srv.rest_url}/slurm/open/v0.0.43/defiant/ping",
            headers={"Authorization": srv.token},
        )
        assert resp.status_code == 200
        assert resp.json()["pings"][0]["pinged"] == "UP"
        # Scripts run from the server's own thread and loop too.
        sub = httpx.post(
            f"{srv.rest_url}/slurm/open/v0.0.44/odo/job/submit",
            headers={"Authorization": srv.token},
            json={"script": "#!/bin/sh\necho Hello World", "jobs": [{"name": "t"}]},
        )
        job_id = sub.json()["job_id"]
        out = srv.host_path(f"{srv.sandbox.root}/slurm-{job_id}.out")
        for _ in range(250):
            if out.exists() and out.read_text():
                break
            time.sleep(0.02)
        assert out.read_text() == "Hello World\n"
        grpc_target, rest = srv.grpc_target, srv.rest_url.removeprefix("http://")
        assert port_open(grpc_target)
    finally:
        srv.stop()
    assert not port_open(grpc_target)
    assert not port_open(rest)


async def test_manual_clock_through_server_config() -> None:
    clock = ManualClock(1_800_000_000)
    cfg = ServerConfig(backend_options={"clock": clock, "tick_interval": 0})
    async with LocalServer(cfg) as srv, grpc.aio.insecure_channel(srv.grpc_target) as ch:
        assert isinstance(srv.backend, SimBackend)
        assert srv.backend.clock is clock
        stub = RawStub(ch, "v0.0.44", srv.token, "odo")
        diag = await stub.get_diag()
        assert diag.statistics.req_time.number == 1_800_000_000


def test_serve_process(tmp_path: Path) -> None:
    srv = serve(tmp_path)
    try:
        token_file = tmp_path / "token"
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
        assert srv.token not in "\n".join(srv.output)  # not echoed by default
        resp = httpx.get(
            f"{srv.rest_url}/slurm/open/v0.0.44/odo/ping", headers={"Authorization": srv.token}
        )
        assert resp.status_code == 200
        with grpc.insecure_channel(srv.grpc_target) as ch:
            stub: Any = health_pb2_grpc.HealthStub(ch)
            status = stub.Check(health_pb2.HealthCheckRequest(service=SERVICES[2])).status
            assert status == health_pb2.HealthCheckResponse.SERVING
    finally:
        assert srv.stop() == 0
    assert srv.output[-1] == "stopped"
    assert srv.token not in "\n".join(srv.output)


def test_serve_with_tokens_file_and_bad_config(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({"secret-1": {"project": "abc", "user": "u1"}}))
    srv = serve(tmp_path, "", "--tokens", str(tokens))
    try:
        assert srv.token == ""
        ok = httpx.get(
            f"{srv.rest_url}/slurm/open/v0.0.43/defiant/ping", headers={"Authorization": "secret-1"}
        )
        assert ok.status_code == 200
    finally:
        assert srv.stop() == 0
    assert "secret-1" not in "\n".join(srv.output)
    import subprocess
    import sys

    bad = tmp_path / "bad.toml"
    bad.write_text('[resources]\nodo = ["v0.0.99"]\n')
    run = subprocess.run(
        [sys.executable, "-m", "s3m_grpc.server", "--config", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert "unknown API version" in run.stderr
    assert "Traceback" not in run.stderr


def test_tokens_files(tmp_path: Path) -> None:
    toml = tmp_path / "tokens.toml"
    toml.write_text(
        '[tokens."abc"]\nproject = "stf040"\nuser = "ann"\npermissions = "compute-ace-readonly"\n'
        "expires_at = 2000-01-01T00:00:00Z\n"
        '[tokens."def"]\nproject = "stf041"\nuser = "ben"\n'
        'permissions = ["compute-ace"]\nexpires_at = "2099-01-01T00:00:00+00:00"\n'
    )
    table = load_tokens(toml)
    assert table["abc"].permissions == frozenset({"compute-ace-readonly"})
    assert table["abc"].expires_at == 946684800
    assert table["def"].can_write
    assert not table["def"].expired(1_900_000_000)
    bad = tmp_path / "bad.toml"
    bad.write_text('[tokens."s3cr3t"]\npermissions = ["root"]\n')
    with pytest.raises(InvalidRequestError) as info:
        load_tokens(bad)
    assert "s3cr3t" not in str(info.value)
    broken = tmp_path / "broken.json"
    broken.write_text('{"s3cr3t": ')
    with pytest.raises(InvalidRequestError) as info:
        load_tokens(broken)
    assert "s3cr3t" not in str(info.value)
    cfg = ServerConfig(tokens=table)
    assert "abc" not in repr(cfg)


def test_backend_registry(tmp_path: Path) -> None:
    from s3m_grpc.server import registry
    from s3m_grpc.server.sandbox import Sandbox

    sandbox = Sandbox(tmp_path)
    sim = registry.create("sim", {"cluster": "odo"}, sandbox)
    assert isinstance(sim, SimBackend)
    assert sim.sandbox is sandbox
    assert sim.cluster.name == "odo"
    # The slurm backend is imported lazily and only constructed here (no cluster needed).
    slurm = registry.create("slurm", {"url": "http://127.0.0.1:9", "jwt": "x"}, sandbox)
    assert type(slurm).__name__ == "SlurmBackend"
    with pytest.raises(InvalidRequestError, match="jwt"):
        registry.create("slurm", {}, sandbox)  # a set-up error, typed
    with pytest.raises(InvalidRequestError, match="known backends: sim, slurm"):
        registry.create("pbs", {}, sandbox)


async def test_concurrent_submits_get_distinct_ids(
    server: LocalServer, channel: grpc.aio.Channel
) -> None:
    """40 submits at once over each transport: 80 jobs, 80 distinct increasing ids."""
    import asyncio

    from s3m_grpc.slurm import v0044

    later = {"set": True, "number": 4_000_000_000}  # keep them pending: no processes
    stub = RawStub(channel, "v0.0.44", server.token, "odo")
    req = v0044.JobSubmitReq(
        script="#!/bin/sh\ntrue",
        jobs=[
            v0044.JobSubmitReqJobDescription(
                begin_time=v0044.Uint64NoVal(set=True, number=4_000_000_000)
            )
        ],
    )
    body = {"script": "#!/bin/sh\ntrue", "jobs": [{"begin_time": later}]}
    async with httpx.AsyncClient(base_url=server.rest_url) as http:
        grpc_calls = [stub.post_job_submit(req) for _ in range(40)]
        rest_calls = [
            http.post(
                "/slurm/open/v0.0.44/odo/job/submit",
                headers={"Authorization": server.token},
                json=body,
            )
            for _ in range(40)
        ]
        results = await asyncio.gather(*grpc_calls, *rest_calls)
    ids = [r.job_id for r in results[:40]] + [r.json()["job_id"] for r in results[40:]]
    assert sorted(ids) == list(range(1, 81))
    assert isinstance(server.backend, SimBackend)
    assert len(server.backend.engine.jobs) == 80


async def test_tokens_never_logged(
    server: LocalServer, http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    for token in (server.token, "wrong-" + server.token, "Bearer " + server.token):
        await http.get("/slurm/open/v0.0.43/defiant/ping", headers={"Authorization": token})
        await http.post(
            "/slurm/open/v0.0.44/odo/job/submit",
            headers={"Authorization": token},
            content=b"{bad json",
        )
    assert server.token not in caplog.text
    assert server.token not in repr(server)
    assert server.token not in repr(server.config)


def test_config_file_errors(tmp_path: Path) -> None:
    cases = {
        "typo.toml": ('[resource]\nodo = ["v0.0.44"]\n', "unknown server config keys"),
        "limits.toml": ("[limits]\nmax_bytes = 3\n", "invalid [limits]"),
        "syntax.toml": ("[limits\n", "cannot read server config"),
    }
    for name, (text, words) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(InvalidRequestError, match=words.replace("[", r"\[")):
            ServerConfig.from_toml(path)
    ok = tmp_path / "ok.toml"
    ok.write_text(
        'host = "127.0.0.1"\n[limits]\nrequests_per_second = 2.5\n'
        '[backend]\nname = "sim"\nfirst_job_id = 7\n[sandbox]\nallowed_roots = ["work"]\n'
    )
    cfg = ServerConfig.from_toml(ok)
    assert cfg.limits.requests_per_second == 2.5
    assert cfg.backend_options == {"first_job_id": 7}
    assert cfg.sandbox.allowed_roots == (tmp_path / "work",)


def test_token_file_is_replaced_never_rewritten_in_place_nor_followed(tmp_path: Path) -> None:
    """`s3m serve` writes its tokens to a new file renamed over the old one: a hard link to the
    old file (say, in a shared folder) keeps the old content; a symlink is refused, so the
    tokens never land where it points."""
    import click

    from s3m_grpc.server.cli import write_tokens

    token_file = tmp_path / "token"
    token_file.write_text("old\nold-ro\n")
    shared = tmp_path / "shared-copy"
    shared.hardlink_to(token_file)
    write_tokens(token_file, "new", "new-ro")
    assert token_file.read_text() == "new\nnew-ro\n"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert shared.read_text() == "old\nold-ro\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shared-copy", "token"]

    target = tmp_path / "elsewhere"
    target.write_text("precious\n")
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(click.ClickException, match="symbolic link"):
        write_tokens(link, "new", "new-ro")
    assert target.read_text() == "precious\n"
    assert link.is_symlink()


async def test_a_burst_of_calls_is_served_not_dropped(
    server: LocalServer, channel: grpc.aio.Channel
) -> None:
    """gRPC's server core drops calls beyond 1,000 waiting for the application, as CANCELLED
    (a submit's outcome unknown to its client). The local server queues them: every call of
    a burst of 3,000 is answered."""
    from collections import Counter

    from s3m_grpc.slurm import v0044

    stub = RawStub(channel, "v0.0.44", server.token, "odo")
    codes: Counter[grpc.StatusCode] = Counter()

    async def one() -> None:
        try:
            await stub.get_job(v0044.JobIdReq(job_id="999999"))
        except grpc.aio.AioRpcError as exc:
            codes[exc.code()] += 1

    await asyncio.gather(*(one() for _ in range(3000)))
    assert codes == {grpc.StatusCode.NOT_FOUND: 3000}
