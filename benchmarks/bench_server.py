"""Local server: cost of building a large GetJobs reply, and end-to-end GetJobs/Ping latency.

    python benchmarks/bench_server.py [--jobs 2000] [--pings 300]

Times the server's reply path (`shapes.adapt`, then `codec.encode_dict` for gRPC or
`jsoncodec.dict_to_json` for REST, straight from the backend's dicts) against protobuf's own
`json_format.ParseDict` into the upb class and `orjson.dumps`, then real calls over gRPC and
REST against a `LocalServer` holding that many jobs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

import grpc.aio
import httpx
import orjson
from google.protobuf import json_format

from s3m_grpc import codec, jsoncodec
from s3m_grpc.server import LocalServer, ServerConfig, shapes
from s3m_grpc.server.backend import Caller, SubmitRequest
from s3m_grpc.server.sim import ManualClock, SimBackend
from s3m_grpc.slurm import v0043

CALLER = Caller("stf040", "bench", frozenset({"compute-ace"}))


def timed(fn: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def queue(backend: SimBackend, n: int) -> None:
    for _ in range(n):
        backend.engine.submit(SubmitRequest("true", [{}], CALLER))


async def build_costs(n: int) -> None:
    sim = SimBackend(
        {"tick_interval": 0, "partitions": [{"name": "p", "nodes": "n[1]", "default": True}]},
        clock=ManualClock(),
    )
    queue(sim, n)
    reply = {"meta": await sim.meta(), "jobs": await sim.jobs()}
    await sim.close()
    cls = v0043.JobsResp
    t_path, data = timed(lambda: shapes.adapt("v0.0.43", "GetJobs", reply))
    t_bin, raw = timed(lambda: codec.encode_dict(cls, data))
    t_json, body = timed(lambda: jsoncodec.dict_to_json(cls, data))
    t_dumps, _ = timed(lambda: orjson.dumps(data))

    def baseline() -> bytes:
        upb = jsoncodec.upb_class(cls)()
        json_format.ParseDict(data, upb, ignore_unknown_fields=True)
        return upb.SerializeToString()

    t_base, raw2 = timed(baseline)
    assert raw == raw2
    print(
        f"GetJobs reply with {n} jobs ({len(raw) / 1e6:.1f} MB protobuf, "
        f"{len(body) / 1e6:.1f} MB JSON), v0.0.43:"
    )
    print(f"  server path: gRPC bytes {t_path + t_bin:.3f} s, REST JSON {t_path + t_json:.3f} s")
    print(f"  baseline json_format.ParseDict + SerializeToString: {t_base:.3f} s")
    print(f"  orjson.dumps of the same dicts: {t_dumps:.3f} s")


async def end_to_end(n: int, pings: int) -> None:
    cfg = ServerConfig(
        backend_options={
            "tick_interval": 0,
            "partitions": [{"name": "p", "nodes": "n[1]", "default": True}],
        }
    )
    async with LocalServer(cfg) as srv:
        assert isinstance(srv.backend, SimBackend)
        md = (("authorization", srv.token), ("olcf-resource", "defiant"))
        opts = [("grpc.max_receive_message_length", 256 << 20)]
        async with (
            grpc.aio.insecure_channel(srv.grpc_target, options=opts) as ch,
            httpx.AsyncClient(base_url=srv.rest_url, timeout=300) as http,
        ):
            m = v0043.SERVICE.method("Ping")
            ping = ch.unary_unary(
                m.grpc_path, codec.encode, lambda b: codec.decode(v0043.PingResp, b)
            )
            await ping(v0043.Empty(), metadata=md)
            lat = []
            for _ in range(pings):
                t = time.perf_counter()
                await ping(v0043.Empty(), metadata=md)
                lat.append(time.perf_counter() - t)
            print(
                f"Ping over gRPC: median {statistics.median(lat) * 1e3:.2f} ms "
                f"({pings} sequential calls)"
            )
            queue(srv.backend, n)
            jobs = ch.unary_unary(
                v0043.SERVICE.method("GetJobs").grpc_path, codec.encode, lambda b: b
            )
            t = time.perf_counter()
            raw = await jobs(v0043.Empty(), metadata=md)
            t_grpc = time.perf_counter() - t
            t = time.perf_counter()
            resp = await http.get(
                "/slurm/open/v0.0.43/defiant/jobs", headers={"Authorization": srv.token}
            )
            t_rest = time.perf_counter() - t
            print(
                f"GetJobs with {n} jobs, end to end: gRPC {t_grpc:.2f} s "
                f"({len(raw) / 1e6:.1f} MB), REST {t_rest:.2f} s "
                f"({len(resp.content) / 1e6:.1f} MB)"
            )

            # Pings while a large listing is being built and sent: is the loop still free?
            listing = asyncio.ensure_future(
                http.get("/slurm/open/v0.0.43/defiant/jobs", headers={"Authorization": srv.token})
            )
            during: list[float] = []
            while not listing.done():
                t = time.perf_counter()
                await ping(v0043.Empty(), metadata=md)
                during.append(time.perf_counter() - t)
            await listing
            print(
                f"Ping over gRPC during that REST GetJobs: {len(during)} calls, median "
                f"{statistics.median(during) * 1e3:.1f} ms, max {max(during) * 1e3:.0f} ms"
            )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2000)
    ap.add_argument("--pings", type=int, default=300)
    args = ap.parse_args()
    asyncio.run(build_costs(args.jobs))
    asyncio.run(end_to_end(args.jobs, args.pings))


if __name__ == "__main__":
    main()
