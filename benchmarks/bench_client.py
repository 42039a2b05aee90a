#!/usr/bin/env python
"""Calls/s of our client against raw grpc.aio with upb stubs, over gRPC and REST.

    python benchmarks/bench_client.py [--seconds 1.2] [--rounds 3] [--quick]

Scenarios: Ping (1 caller, and 64 concurrent), and GetJobs with 1 / 1,000 / 10,000 jobs.
Replies are real local-server replies (a `LocalServer` on the sim backend answers Ping and
a one-job GetJobs; the job is copied N times with upb), replayed by a server in a child
process that returns the same pre-encoded bytes (gRPC) or JSON (REST) for every call, so the
figures measure the client, not the server. On a shared machine runs differ a lot: compare
ratios within one run, and repeat. The resource name picks the reply size (`n1`, `n1000`, `n10000`).

Clients compared, same channel options and metadata:
- raw gRPC: `grpc.aio` + `channel.unary_unary(path, SerializeToString, FromString)` on the
  upb `*_pb2` classes generated from the same protos (the baseline);
- ours gRPC: `S3MClientFactory(transport="grpc").create_client(SlurmIndirectStub)`;
- ours REST: the same stub over `transport="rest"`;
- raw REST: `aiohttp` + `orjson.loads` (no message classes), for scale;
- ours list_jobs: the version-neutral `Client.list_jobs` (JobInfo for every job), gRPC.

Scenario `otel` (Ping, 1 caller, gRPC) prints the cost of OpenTelemetry: our client with no
OpenTelemetry at all, with the API and no SDK (what a user who installs `[otel]` gets), and
with an SDK configured (spans through a batch processor to an exporter that drops them, metrics
through a reader), in interleaved rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import aiohttp
import grpc
import grpc.aio
import orjson

SIZES = (1, 1000, 10000)
PING_PATH = "/olcf.s3m.slurm.v0044.SlurmIndirect/Ping"
JOBS_PATH = "/olcf.s3m.slurm.v0044.SlurmIndirect/GetJobs"
TOKEN = "bench-token"
REST_CONCURRENCY = 8  # HTTP/1.1: one call per connection at a time


# --- replay server (child process) --------------------------------------------------------


async def build_replies() -> dict[str, bytes]:
    """Real local-server replies: Ping, and GetJobs copied to each size; binary and JSON."""
    from s3m_grpc import jsoncodec
    from s3m_grpc._upb.olcf.s3m.slurm.v0044 import slurm_pb2
    from s3m_grpc.server import LocalServer, ServerConfig

    async def fetch() -> tuple[bytes, bytes]:
        async with LocalServer(ServerConfig(backend="sim")) as srv:
            md = (("authorization", srv.token), ("olcf-resource", "odo"))
            async with grpc.aio.insecure_channel(srv.grpc_target) as ch:
                submit = ch.unary_unary(
                    "/olcf.s3m.slurm.v0044.SlurmIndirect/PostJobSubmit",
                    request_serializer=None,
                    response_deserializer=None,
                )
                req = slurm_pb2.JobSubmitReq(script="#!/bin/bash\nsleep 60\n")
                req.jobs.add(name="bench", account="stf040", environment=["PATH=/bin"])
                await submit(req.SerializeToString(), metadata=md)
                ping = await ch.unary_unary(PING_PATH, None, None)(b"", metadata=md)
                jobs = await ch.unary_unary(JOBS_PATH, None, None)(b"", metadata=md)
            return ping, jobs

    ping, one = await fetch()
    base = slurm_pb2.JobsResp.FromString(one)
    out = {"ping.bin": ping, "ping.json": orjson.dumps(_json(slurm_pb2.PingResp, ping))}
    for n in SIZES:
        resp = slurm_pb2.JobsResp()
        resp.CopyFrom(base)
        del resp.jobs[:]
        for i in range(n):
            job = resp.jobs.add()
            job.CopyFrom(base.jobs[0])
            job.job_id = 1000 + i
        data = resp.SerializeToString()
        out[f"n{n}.bin"] = data
        out[f"n{n}.json"] = orjson.dumps(jsoncodec.upb_to_dict(resp))
    return out


def _json(cls: Any, data: bytes) -> Any:
    from s3m_grpc import jsoncodec

    return jsoncodec.upb_to_dict(cls.FromString(data))


async def serve() -> None:
    from aiohttp import web

    replies = await build_replies()

    def pick(resource: str, kind: str) -> bytes:
        return replies.get(f"{resource}.{kind}", replies["n1." + kind])

    async def ping(request: bytes, context: grpc.aio.ServicerContext[Any, Any]) -> bytes:
        return replies["ping.bin"]

    async def jobs(request: bytes, context: grpc.aio.ServicerContext[Any, Any]) -> bytes:
        md = dict(context.invocation_metadata() or ())
        return pick(str(md.get("olcf-resource", "n1")), "bin")

    server = grpc.aio.server(
        options=[("grpc.max_send_message_length", 512 * 1024 * 1024)],
    )
    handler = grpc.method_handlers_generic_handler(
        "olcf.s3m.slurm.v0044.SlurmIndirect",
        {
            "Ping": grpc.unary_unary_rpc_method_handler(ping),
            "GetJobs": grpc.unary_unary_rpc_method_handler(jobs),
        },
    )
    server.add_generic_rpc_handlers((handler,))
    grpc_port = server.add_insecure_port("127.0.0.1:0")
    await server.start()

    async def rest_ping(request: web.Request) -> web.Response:
        return web.Response(body=replies["ping.json"], content_type="application/json")

    async def rest_jobs(request: web.Request) -> web.Response:
        body = pick(request.match_info["resource"], "json")
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/slurm/open/v0.0.44/{resource}/ping", rest_ping)
    app.router.add_get("/slurm/open/v0.0.44/{resource}/jobs", rest_jobs)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    http_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(json.dumps({"grpc": grpc_port, "http": http_port}), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until parent exits
    await server.stop(0)
    await runner.cleanup()


# --- measurement --------------------------------------------------------------------------


async def rate(
    call: Callable[[], Awaitable[Any]], concurrency: int, seconds: float, min_calls: int = 1
) -> float:
    """Calls/s with `concurrency` callers for about `seconds` (at least `min_calls` calls)."""
    count = 0
    loop = asyncio.get_running_loop()
    start = loop.time()
    end = start + seconds

    async def worker() -> None:
        nonlocal count
        while loop.time() < end or count < min_calls:
            await call()
            count += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count / (loop.time() - start)


def concurrency_for(scenario: str) -> int:
    return {"ping1": 1, "ping": 64, "n1": 64, "n1000": 8, "n10000": 2}[scenario]


async def run_otel(ports: dict[str, int], seconds: float, rounds: int) -> None:
    """Ping calls/s with no OpenTelemetry, the API alone, and a configured SDK."""
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

    from s3m_grpc.factory import S3MClientFactory
    from s3m_grpc.slurm.v0044 import Empty, SlurmIndirectStub
    from s3m_grpc.telemetry import ClientTelemetry
    from s3m_grpc.transports.observed import ObservedTransport

    class Drop(SpanExporter):
        def export(self, spans: Any) -> SpanExportResult:
            return SpanExportResult.SUCCESS

    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(BatchSpanProcessor(Drop()))
    meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()])
    variants: dict[str, ClientTelemetry | None] = {
        "no OpenTelemetry": None,
        "API, no SDK": ClientTelemetry(),
        "SDK configured": ClientTelemetry(tracer_provider, meter_provider),
    }
    factories = {}
    calls: dict[str, Callable[[], Awaitable[Any]]] = {}
    for name, tel in variants.items():
        f = S3MClientFactory(
            f"127.0.0.1:{ports['grpc']}", TOKEN, "odo", transport="grpc", plaintext=True
        )
        assert isinstance(f.transport, ObservedTransport)
        f.transport.telemetry = tel
        factories[name] = f
        calls[name] = partial(f.create_client(SlurmIndirectStub).ping, Empty())
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for fn in calls.values():
        await rate(fn, 1, 0.3)
    # Many short interleaved rounds: on a busy machine the median of each is what is stable.
    n_rounds = rounds * 5
    for _ in range(n_rounds):
        for name, fn in calls.items():
            samples[name].append(await rate(fn, 1, seconds / n_rounds))
    for f in factories.values():
        await f.close()
    tracer_provider.shutdown()
    base = statistics.median(samples["no OpenTelemetry"])
    print(f"{'scenario':<10} {'ours gRPC Ping':<18} {'conc':>4} {'calls/s':>10} {'overhead':>12}")
    for name, values in samples.items():
        value = statistics.median(values)
        print(f"{'otel':<10} {name:<18} {1:>4} {value:>10.1f} {base / value - 1:>11.1%}")
    print(flush=True)


async def run(ports: dict[str, int], seconds: float, rounds: int, scenarios: list[str]) -> None:
    from google.protobuf import empty_pb2

    from s3m_grpc import AsyncClient as Client
    from s3m_grpc._upb.olcf.s3m.slurm.v0044 import slurm_pb2
    from s3m_grpc.factory import S3MClientFactory
    from s3m_grpc.slurm.v0044 import Empty, SlurmIndirectStub
    from s3m_grpc.transports.grpc import channel_options

    target = f"127.0.0.1:{ports['grpc']}"
    rest = f"http://127.0.0.1:{ports['http']}"
    print(
        f"median of {rounds} interleaved rounds of {seconds / rounds:.2f} s per client\n"
        f"{'scenario':<10} {'client':<18} {'conc':>4} {'calls/s':>10} {'vs raw gRPC':>12}"
    )
    for scenario in scenarios:
        is_ping = scenario.startswith("ping")
        resource = "odo" if is_ping else scenario
        conc = concurrency_for(scenario)
        rest_conc = min(conc, REST_CONCURRENCY)
        md = (("authorization", TOKEN), ("olcf-resource", resource))
        reply_cls = slurm_pb2.PingResp if is_ping else slurm_pb2.JobsResp
        path = PING_PATH if is_ping else JOBS_PATH
        rest_path = f"/slurm/open/v0.0.44/{resource}/{'ping' if is_ping else 'jobs'}"

        channel = grpc.aio.insecure_channel(target, options=channel_options())
        raw = channel.unary_unary(
            path,
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=reply_cls.FromString,
        )
        empty = empty_pb2.Empty()
        factories = {
            kind: S3MClientFactory(
                target,
                TOKEN,
                resource,
                transport=kind,
                rest_url=rest,
                plaintext=True,
                check_versions=False,
            )
            for kind in ("grpc", "rest")
        }
        stubs = {k: f.create_client(SlurmIndirectStub) for k, f in factories.items()}
        session = aiohttp.ClientSession(rest, headers={"authorization": TOKEN})

        async def raw_rest(session: aiohttp.ClientSession = session, p: str = rest_path) -> Any:
            async with session.get(p) as r:
                return orjson.loads(await r.read())

        msg = Empty()
        clients: dict[str, tuple[Callable[[], Awaitable[Any]], int]] = {
            "raw gRPC (upb)": (partial(raw, empty, metadata=md, timeout=60), conc),
        }
        for kind, stub in stubs.items():
            call = stub.ping if is_ping else stub.get_jobs
            n = conc if kind == "grpc" else rest_conc
            clients[f"ours {kind.upper()}"] = (partial(call, msg), n)
        clients["raw REST (aiohttp)"] = (raw_rest, rest_conc)
        client = None
        if not is_ping:
            client = Client(
                resource,
                version="v0.0.44",
                endpoint=target,
                token=TOKEN,
                transport="grpc",
                plaintext=True,
                check_versions=False,
            )
            clients["ours list_jobs"] = (client.list_jobs, conc)

        samples: dict[str, list[float]] = {name: [] for name in clients}
        for fn, n in clients.values():
            # Warm up: connections, caches, the server's first calls (one call for huge replies).
            await (fn() if scenario == "n10000" else rate(fn, n, 0.2))
        n_rounds = 1 if scenario == "n10000" else rounds
        for _ in range(n_rounds):
            for name, (fn, n) in clients.items():
                samples[name].append(await rate(fn, n, seconds / n_rounds))

        await channel.close(None)
        await session.close()
        for f in factories.values():
            await f.close()
        if client is not None:
            await client.close()
        base = statistics.median(samples["raw gRPC (upb)"])
        for name, values in samples.items():
            value = statistics.median(values)
            n = clients[name][1]
            print(f"{scenario:<10} {name:<18} {n:>4} {value:>10.1f} {value / base:>11.2f}x")
        print(flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.2, help="per client and scenario")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--quick", action="store_true", help="Ping and 1,000 jobs only")
    parser.add_argument("--otel-only", action="store_true", help="only the OpenTelemetry cost")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve())
        return
    scenarios = ["ping1", "ping", "n1", "n1000"]
    if not args.quick:
        scenarios.append("n10000")
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert child.stdout is not None
        ports = json.loads(child.stdout.readline())
        t0 = time.monotonic()
        if not args.otel_only:
            asyncio.run(run(ports, args.seconds, args.rounds, scenarios))
        asyncio.run(run_otel(ports, args.seconds, args.rounds))
        print(f"total {time.monotonic() - t0:.1f} s (client and replay server on one machine)")
    finally:
        if child.stdin:
            child.stdin.close()
        child.wait(timeout=30)


if __name__ == "__main__":
    main()
