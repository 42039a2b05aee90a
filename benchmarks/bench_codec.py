#!/usr/bin/env python3
"""Codec figures for GetJobs replies of 1,000 and 10,000 jobs: ours against upb and orjson.

Prints, per size: binary decode (+ reading job_id, name, job_state of every job; + touching
every field; + the `JobInfo` views `list_jobs` builds), encode, JSON decode (+ the same three
keys), the local server's writers (backend dicts to gRPC and JSON bytes), memory held, and the
ratios the issues set targets for. `--e2e` adds end to end calls over loopback (gRPC and
REST). Best of N runs each, in CPU time of the process by default (`--clock wall` for wall
time): on a busy machine it is far steadier.

`--baseline REF` also runs the same rows with the code of git revision REF (extracted to a
temporary directory, run in a child process before and after ours; the faster of the two is
kept) and prints its figure and ours/REF beside each row: `auto` is the last revision with the
generated codec (`s3m_grpc/fastcodec/_v0044.py`), for comparing the table-driven codec with it.

    python benchmarks/bench_codec.py [--jobs 1000 10000] [--e2e] [--runs 5] [--baseline auto]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The code measured: this checkout, or (for --baseline) another revision's tree.
sys.path.insert(0, os.environ.get("S3M_BENCH_ROOT") or str(Path(__file__).resolve().parent.parent))

import orjson
from google.protobuf import json_format

from s3m_grpc import codec, fastcodec, jsoncodec
from s3m_grpc.fastcodec.sample import jobs_reply_upb
from s3m_grpc.jobs import JobInfo
from s3m_grpc.slurm import v0044

try:
    from s3m_grpc.fastcodec.views import job_infos as VIEWS
except ImportError:  # a --baseline revision without views
    VIEWS = None  # type: ignore[assignment]

ROOT = Path(sys.path[0])
UPB = fastcodec.upb_class(v0044.JobsResp)
COPIES = 5  # replies held at once for the small memory figures
REFERENCE_JOBS = 1000  # betterproto2's own codec is measured at this size only (it takes ~s)


# CPU time of this process by default: on a machine shared with other work it is much
# steadier than wall time (all threads count, so grpc's own threads are included).
CLOCK = [time.process_time]


def best(fn: Callable[[], Any], runs: int) -> float:
    clock = CLOCK[0]
    times = []
    for _ in range(runs):
        gc.collect()
        t = clock()
        fn()
        times.append(clock() - t)
    return min(times)


def touch_upb(msg: Any) -> int:
    """Read every set field of a upb message tree (ListFields does the reads in C)."""
    n = 0
    for f, value in msg.ListFields():
        n += 1
        if f.type == f.TYPE_MESSAGE:
            if f.is_repeated:
                for item in value:
                    n += touch_upb(item)
            else:
                n += touch_upb(value)
    return n


def three_upb(data: bytes) -> int:
    reply: Any = UPB.FromString(data)
    return sum(1 for j in reply.jobs if (j.job_id, j.name, list(j.job_state)))


def three_ours(data: bytes) -> int:
    reply = codec.decode(v0044.JobsResp, data)
    return sum(1 for j in reply.jobs if (j.job_id, j.name, j.job_state))


def sixteen(j: Any) -> tuple[Any, ...]:
    """The reads `JobInfo` makes of a job, straight from its upb message (the state list as
    the views read it: sliced, as iterating a upb list is slower)."""
    return (
        j.job_id,
        j.name,
        tuple(j.job_state[:]),
        j.state_reason,
        j.exit_code.return_code.number,
        j.submit_time.number,
        j.start_time.number,
        j.end_time.number,
        j.time_limit.number,
        j.nodes,
        j.partition,
        j.account,
        j.user_name,
        j.standard_output,
        j.standard_error,
        j.current_working_directory,
    )


def sixteen_upb(data: bytes) -> int:
    """Parse and read the 16 `JobInfo` fields of every job with upb, dropping what was read."""
    reply: Any = UPB.FromString(data)
    return sum(1 for j in reply.jobs if sixteen(j))


def sixteen_upb_kept(data: bytes) -> list[tuple[Any, ...]]:
    """Parse and read the 16 `JobInfo` fields of every job with upb into a tuple per job: the
    least a view of every job has to build and keep (views' yardstick)."""
    reply: Any = UPB.FromString(data)
    return [sixteen(j) for j in reply.jobs]


def parse_dict(obj: dict[str, Any]) -> Any:
    return json_format.ParseDict(obj, UPB(), ignore_unknown_fields=True)


def from_message_each(reply: Any) -> list[Any]:
    return [JobInfo.from_message(j) for j in reply.jobs]


def three_dicts(text: bytes) -> int:
    reply = orjson.loads(text)
    return sum(1 for j in reply["jobs"] if (j["job_id"], j["name"], j["job_state"]))


def three_ours_json(text: bytes) -> int:
    reply = jsoncodec.from_json(v0044.JobsResp, text)
    return sum(1 for j in reply.jobs if (j.job_id, j.name, j.job_state))


# For --baseline: "section / label" -> (seconds, ratio to the row's yardstick or 0).
FIGURES: dict[str, tuple[float, float]] = {}
BASELINE: dict[str, tuple[float, float]] = {}
QUIET = False  # a --baseline child prints its figures as JSON only
SECTION = [""]


def say(text: str, section: str | None = None) -> None:
    if section is not None:
        SECTION[0] = section
    if not QUIET:
        print(text)


def row(label: str, seconds: float, base: float | None = None, target: float | None = None) -> None:
    key = f"{SECTION[0]} / {label}"
    FIGURES[key] = (seconds, seconds / base if base else 0.0)
    if QUIET:
        return
    ratio = f"{seconds / base:7.2f}x" if base else " " * 8
    goal = f"  (target <= {target:.3g}x)" if target else ""
    old = BASELINE.get(key)
    then = f"  | baseline {old[0] * 1000:8.1f} ms" if old else ""
    if old and old[1]:
        then += f" {old[1]:6.2f}x"
    print(f"  {label:<56} {seconds * 1000:9.1f} ms {ratio}{goal}{then}")


def bench_size(jobs: int, runs: int) -> None:
    reply = jobs_reply_upb(UPB, jobs)
    data = reply.SerializeToString()
    text = jsoncodec.to_json(codec.decode(v0044.JobsResp, data))
    size = f"{len(data) / 1e6:.2f} MB protobuf, {len(text) / 1e6:.2f} MB JSON"
    say(f"\nGetJobs reply, {jobs:,} jobs: {size}")
    say(" binary", f"binary {jobs}")
    upb_parse = best(lambda: UPB.FromString(data), runs)
    row("upb parse", upb_parse)
    ours_parse = best(lambda: codec.decode(v0044.JobsResp, data), runs)
    row("ours: codec.decode (lazy)", ours_parse, upb_parse)
    upb3 = best(lambda: three_upb(data), runs)
    row("upb parse + read job_id, name, job_state of every job", upb3)
    ours3 = best(lambda: three_ours(data), runs)
    row("ours: decode + the same three fields", ours3, upb3, 3)
    upb_all = best(lambda: touch_upb(UPB.FromString(data)), max(1, runs // 2))
    row("upb parse + touch every field", upb_all)
    ours_all = best(
        lambda: fastcodec.materialize(codec.decode(v0044.JobsResp, data)), max(1, runs // 2)
    )
    row("ours: decode + materialize every field", ours_all, upb_all, 10)
    upb16_read = best(lambda: sixteen_upb(data), runs)
    row("upb parse + read the 16 JobInfo fields of every job", upb16_read)
    upb16 = best(lambda: sixteen_upb_kept(data), runs)
    row("upb parse + the same 16 fields kept, a tuple per job", upb16)
    if VIEWS is not None:
        views = best(lambda: VIEWS(codec.decode(v0044.JobsResp, data)), runs)
        row("ours: decode + job_infos (list_jobs' views)", views, upb16, 1.5)
        row("ours: the same views, against reading without keeping", views, upb16_read)
    before = best(lambda: from_message_each(codec.decode(v0044.JobsResp, data)), runs)
    row("ours: decode + JobInfo.from_message of each lazy job", before, upb16)
    plain = fastcodec.materialize(codec.decode(v0044.JobsResp, data))
    upb_ser = best(lambda: UPB.FromString(data).SerializeToString(), runs)
    row("upb parse + serialize", upb_ser)
    ours_enc = best(lambda: codec.encode(plain), max(1, runs // 2))
    row("ours: codec.encode of a plain (materialized) reply", ours_enc)
    ours_reenc = best(lambda: codec.encode(codec.decode(v0044.JobsResp, data)), runs)
    row("ours: decode + encode (untouched reply, e.g. a proxy)", ours_reenc, upb_ser)
    if jobs <= REFERENCE_JOBS:
        bp_parse = best(lambda: v0044.JobsResp.parse(data), 1)
        row("betterproto2 parse (reference codec)", bp_parse, upb_parse)
        bp_enc = best(lambda: bytes(plain), 1)
        row("betterproto2 bytes() (reference codec)", bp_enc)

    say(" JSON (REST)", f"JSON {jobs}")
    dicts3 = best(lambda: three_dicts(text), runs)
    row("orjson.loads + read the three keys of every job", dicts3)
    ours_json3 = best(lambda: three_ours_json(text), runs)
    row("ours: jsoncodec.from_json + the three fields", ours_json3, dicts3, 3)
    if VIEWS is not None:
        json_views = best(lambda: VIEWS(jsoncodec.from_json(v0044.JobsResp, text)), runs)
        row("ours: from_json + job_infos", json_views, dicts3)
    ours_json_all = best(
        lambda: fastcodec.materialize(jsoncodec.from_json(v0044.JobsResp, text)),
        max(1, runs // 2),
    )
    row("ours: from_json + materialize every field", ours_json_all, dicts3)
    if jobs <= REFERENCE_JOBS:
        ref = best(lambda: json_format.Parse(text, UPB(), ignore_unknown_fields=True), 1)
        row("protobuf json_format.Parse (reference reading)", ref, dicts3)
    out = jsoncodec.to_dict(plain)
    assert out["jobs"][0]["job_id"] == 1
    to_json = best(lambda: jsoncodec.to_json(plain), max(1, runs // 2))
    row("ours: jsoncodec.to_json of the reply", to_json)
    say(" server side (a reply from backend dicts, as the local server does)", f"server {jobs}")
    backend = orjson.loads(text)
    ref_server = best(
        lambda: json_format.ParseDict(
            backend, UPB(), ignore_unknown_fields=True
        ).SerializeToString(),
        1,
    )
    row("protobuf: json_format.ParseDict + SerializeToString", ref_server)
    built = best(lambda: codec.encode(jsoncodec.from_dict(v0044.JobsResp, backend)), runs)
    row("ours: from_dict + codec.encode (betterproto2 on the way)", built, ref_server)
    if hasattr(codec, "encode_dict"):
        direct = best(lambda: codec.encode_dict(v0044.JobsResp, backend), runs)
        row("ours: codec.encode_dict (dicts -> gRPC bytes)", direct, ref_server, 1 / 3)
    dumps = best(lambda: orjson.dumps(backend), runs)
    row("orjson.dumps of the same dicts", dumps)
    written = best(lambda: jsoncodec.to_json(jsoncodec.from_dict(v0044.JobsResp, backend)), runs)
    row("ours: from_dict + jsoncodec.to_json", written, dumps)
    if hasattr(jsoncodec, "dict_to_json"):
        direct_json = best(lambda: jsoncodec.dict_to_json(v0044.JobsResp, backend), runs)
        row("ours: jsoncodec.dict_to_json (dicts -> JSON bytes)", direct_json, dumps, 3)

    if jobs < 5000 or QUIET:
        return  # RSS growth of a small reply is lost in the allocator's free space
    say(" memory held (RSS growth in a fresh process; tracemalloc sees Python objects only)")
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "reply.binpb")
        Path(path).write_bytes(data)
        Path(path + ".json").write_bytes(text)
        figures = {kind: memory(kind, path) for kind in MEMORY_LABELS}
    upb_mem = figures["upb"]
    for kind, (rss, traced) in figures.items():
        ratio = f"{rss / upb_mem[0]:6.2f}x upb" if kind != "upb" and upb_mem[0] > 0 else ""
        label = MEMORY_LABELS[kind]
        print(f"  {label:<52} {rss / 1e6:7.1f} MB  (traced {traced / 1e6:6.1f} MB) {ratio}")


MEMORY_LABELS = {
    "upb": "upb message",
    "ours": "ours: decoded reply (target <= 3x upb)",
    "ours-read3": "ours: after reading three fields of every job",
    "ours-full": "ours: fully materialized",
    "json-dicts": "orjson dicts",
    "ours-json": "ours: from_json + three fields of every job",
}


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory_child(kind: str, path: str) -> None:
    data = Path(path).read_bytes()
    text = Path(path + ".json").read_bytes() if "json" in kind else b""
    gc.collect()
    # Small holdings are measured as COPIES replies held at once, so the allocator's free
    # space left from startup does not hide them; the figure is per reply.
    copies = COPIES if kind in ("upb", "ours", "ours-read3") else 1
    tracemalloc.start()
    before = _rss()
    held: list[Any] = []
    for _ in range(copies):
        if kind == "upb":
            held.append(UPB.FromString(data))
        elif kind == "json-dicts":
            held.append(orjson.loads(text))
        elif kind == "ours-json":
            reply = jsoncodec.from_json(v0044.JobsResp, text)
            three = [(j.job_id, j.name, j.job_state) for j in reply.jobs]
            del three
            held.append(reply)
        else:
            reply = codec.decode(v0044.JobsResp, data)
            if kind == "ours-read3":
                three = [(j.job_id, j.name, j.job_state) for j in reply.jobs]
                del three
            elif kind == "ours-full":
                fastcodec.materialize(reply)
            held.append(reply)
    gc.collect()
    traced, _ = tracemalloc.get_traced_memory()
    print((_rss() - before) // copies, traced // copies)
    del held


def memory(kind: str, path: str) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--memory-child", kind, path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--e2e", action="store_true", help="also call the local server")
    parser.add_argument("--baseline", metavar="REF", help="also run the rows at git revision REF")
    parser.add_argument(
        "--clock", choices=("cpu", "wall"), default="cpu", help="time measured (default: cpu)"
    )
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--figures-json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child[0], args.memory_child[1])
        return
    global QUIET
    QUIET = args.figures_json
    if args.clock == "wall":
        CLOCK[0] = time.perf_counter
    rerun = [*sys.argv[1:]]
    tree = None
    if args.baseline:
        rev, tree = checkout(args.baseline)
        rerun = [a for a in rerun if a not in ("--baseline", args.baseline)]
        print(f"baseline: {rev} (extracted to {tree.name})")
        BASELINE.update(baseline_figures(tree.name, rerun))
    say(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}, {args.clock} time"
    )
    say(f"generated code under s3m_grpc/fastcodec/: {generated_lines()} lines (target <= 3000)")
    for jobs in args.jobs:
        bench_size(jobs, args.runs)
    if args.e2e:
        asyncio.run(e2e(args.jobs, args.runs))
    if QUIET:
        print(json.dumps(FIGURES))
    if tree is not None:
        again = baseline_figures(tree.name, rerun)
        print(
            "\nOurs against the baseline (run before and after ours, the faster kept): time,"
            "\nand ratio to the row's yardstick measured in the same process (steadier on a"
            "\nbusy machine)"
        )
        for key, (ours, ratio) in FIGURES.items():
            old = min(BASELINE.get(key, (0.0, 0.0)), again.get(key, (0.0, 0.0)))
            if not old[0]:
                old = max(BASELINE.get(key, (0.0, 0.0)), again.get(key, (0.0, 0.0)))
            if old[0]:
                steady = f"   yardstick ratio {ratio:5.2f}x vs {old[1]:5.2f}x" if ratio else ""
                print(f"  {key:<66} {ours / old[0]:5.2f}x{steady}")
        tree.cleanup()


def generated_lines() -> int:
    """Lines of generated code (files marked as generated) under s3m_grpc/fastcodec/."""
    total = 0
    for path in (ROOT / "s3m_grpc" / "fastcodec").glob("*.py"):
        text = path.read_text()
        if text.startswith("# Generated by scripts/generate"):
            total += text.count("\n")
    return total


def checkout(ref: str) -> tuple[str, tempfile.TemporaryDirectory[str]]:
    """Revision `ref` (`auto`: the last one with the generated codec) in a temporary dir."""
    here = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=here, check=True, capture_output=True, text=True
        ).stdout.strip()

    if ref == "auto":
        deleted = git("rev-list", "-1", "HEAD", "--", "s3m_grpc/fastcodec/_v0044.py")
        ref = f"{deleted}^"
    rev = git("rev-parse", "--short", ref)
    tree = tempfile.TemporaryDirectory(prefix="bench-baseline-")
    archive = subprocess.run(
        ["git", "archive", rev, "s3m_grpc"], cwd=here, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", tree.name], input=archive, check=True)
    return rev, tree


def baseline_figures(root: str, argv: list[str]) -> dict[str, float]:
    """The figures of this benchmark run over the code in `root`, in a child process."""
    out = subprocess.run(
        [sys.executable, __file__, *argv, "--figures-json"],
        env={**os.environ, "S3M_BENCH_ROOT": root},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    return {k: (v[0], v[1]) for k, v in figures.items()}


# -- end to end ----------------------------------------------------------------------------------

GET_JOBS = "/olcf.s3m.slurm.v0044.SlurmIndirect/GetJobs"
TOKEN = "bench-token-not-secret"


class CannedServer:
    """gRPC and REST on 127.0.0.1 answering GetJobs with a pre-encoded reply.

    Serving canned bytes keeps the server's own cost out of the comparison: both clients
    receive the same bytes over the same loopback, so the figures are the clients' cost.
    """

    def __init__(self) -> None:
        self.data = b""
        self.text = b""

    async def start(self) -> None:
        import grpc
        from aiohttp import web

        async def get_jobs(request: bytes, context: Any) -> bytes:
            return self.data

        handler = grpc.method_handlers_generic_handler(
            "olcf.s3m.slurm.v0044.SlurmIndirect",
            {"GetJobs": grpc.unary_unary_rpc_method_handler(get_jobs)},
        )
        self.grpc = grpc.aio.server(options=[("grpc.max_send_message_length", -1)])
        self.grpc.add_generic_rpc_handlers((handler,))
        self.grpc_port = self.grpc.add_insecure_port("127.0.0.1:0")
        await self.grpc.start()

        async def jobs(request: web.Request) -> web.Response:
            return web.Response(body=self.text, content_type="application/json")

        app = web.Application()
        app.router.add_get("/slurm/open/v0.0.44/odo/jobs", jobs)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.http_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        await self.grpc.stop(None)
        await self.runner.cleanup()


async def abest(fn: Callable[[], Any], runs: int) -> float:
    clock = CLOCK[0]
    times = []
    for _ in range(runs):
        gc.collect()
        t = clock()
        await fn()
        times.append(clock() - t)
    return min(times)


async def e2e(sizes: list[int], runs: int) -> None:
    import grpc
    import httpx

    from s3m_grpc.factory import S3MClientFactory

    server = CannedServer()
    await server.start()
    target = f"127.0.0.1:{server.grpc_port}"
    url = f"http://127.0.0.1:{server.http_port}"
    raw_channel = grpc.aio.insecure_channel(
        target, options=[("grpc.max_receive_message_length", -1)]
    )
    raw_call = raw_channel.unary_unary(
        GET_JOBS, request_serializer=lambda b: b, response_deserializer=UPB.FromString
    )
    meta = (("authorization", TOKEN), ("olcf-resource", "odo"))
    raw_http = httpx.AsyncClient(base_url=url, headers={"authorization": TOKEN})
    ours_grpc = S3MClientFactory(target, TOKEN, "odo", transport="grpc", plaintext=True)
    ours_rest = S3MClientFactory(target, TOKEN, "odo", transport="rest", rest_url=url)
    stub_grpc = ours_grpc.create_client(v0044.SlurmIndirectStub)
    stub_rest = ours_rest.create_client(v0044.SlurmIndirectStub)

    async def raw_grpc_three() -> int:
        reply = await raw_call(b"", metadata=meta)
        return sum(1 for j in reply.jobs if (j.job_id, j.name, list(j.job_state)))

    async def raw_grpc_all() -> int:
        return touch_upb(await raw_call(b"", metadata=meta))

    async def ours_grpc_three() -> int:
        reply = await stub_grpc.get_jobs()
        return sum(1 for j in reply.jobs if (j.job_id, j.name, j.job_state))

    async def ours_grpc_all() -> Any:
        return fastcodec.materialize(await stub_grpc.get_jobs())

    async def raw_rest_three() -> int:
        resp = await raw_http.get("/slurm/open/v0.0.44/odo/jobs")
        reply = orjson.loads(resp.content)
        return sum(1 for j in reply["jobs"] if (j["job_id"], j["name"], j["job_state"]))

    async def ours_rest_three() -> int:
        reply = await stub_rest.get_jobs()
        return sum(1 for j in reply.jobs if (j.job_id, j.name, j.job_state))

    async def raw_grpc_sixteen() -> list[tuple[Any, ...]]:
        reply = await raw_call(b"", metadata=meta)
        return [sixteen(j) for j in reply.jobs]

    async def ours_grpc_views() -> Any:
        return VIEWS(await stub_grpc.get_jobs()) if VIEWS else None

    async def ours_rest_views() -> Any:
        return VIEWS(await stub_rest.get_jobs()) if VIEWS else None

    say("\nEnd to end: GetJobs over loopback from a server sending a canned reply")
    try:
        for jobs in sizes:
            plain = fastcodec.materialize(codec.decode(v0044.JobsResp, jobs_bytes(jobs)))
            server.data = codec.encode(plain)
            server.text = jsoncodec.to_json(plain)
            assert await raw_grpc_three() == await ours_grpc_three() == jobs
            assert await raw_rest_three() == await ours_rest_three() == jobs
            say(
                f" {jobs:,} jobs ({len(server.data) / 1e6:.2f} MB protobuf, "
                f"{len(server.text) / 1e6:.2f} MB JSON)",
                f"e2e {jobs}",
            )
            base = await abest(raw_grpc_three, runs)
            row("raw grpc.aio + upb: call + read three fields", base)
            row(
                "ours over gRPC: call + the same three fields",
                await abest(ours_grpc_three, runs),
                base,
                3,
            )
            full = await abest(raw_grpc_all, max(1, runs // 2))
            row("raw grpc.aio + upb: call + touch every field", full)
            row(
                "ours over gRPC: call + materialize every field",
                await abest(ours_grpc_all, max(1, runs // 2)),
                full,
                10,
            )
            base16 = await abest(raw_grpc_sixteen, runs)
            row("raw grpc.aio + upb: call + the 16 JobInfo fields kept", base16)
            if VIEWS is not None:
                row(
                    "ours over gRPC: call + job_infos (list_jobs' views)",
                    await abest(ours_grpc_views, runs),
                    base16,
                    1.5,
                )
            base = await abest(raw_rest_three, runs)
            row("raw httpx + orjson dicts: GET + read three keys", base)
            row(
                "ours over REST: call + the same three fields",
                await abest(ours_rest_three, runs),
                base,
                3,
            )
            if VIEWS is not None:
                row("ours over REST: call + job_infos", await abest(ours_rest_views, runs), base)
    finally:
        await raw_channel.close(None)
        await raw_http.aclose()
        await ours_grpc.close()
        await ours_rest.close()
        await server.stop()


def jobs_bytes(jobs: int) -> bytes:
    return jobs_reply_upb(UPB, jobs).SerializeToString()


if __name__ == "__main__":
    main()
