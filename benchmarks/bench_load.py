"""Load benchmark: N concurrent clients x M calls (submit/get/list/cancel mix) against a local
server process, over gRPC and REST. Prints calls/s and p50/p99 latency, overall and per call.

    python benchmarks/bench_load.py                       # 32 clients x 200 calls, both transports
    python benchmarks/bench_load.py --clients 64 --calls 100 --transport grpc

The server is `python -m s3m_grpc.server` (simulated SLURM) on free 127.0.0.1 ports, in its own
process like a real deployment; every run checks afterwards that each submitted job is listed
exactly once. Traffic stays on 127.0.0.1 and each run is bounded by `--max-seconds`.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loadgen import DEFAULT_MIX, check_jobs, run_load

from s3m_grpc import AsyncClient as Client

CONFIG = """
[backend]
name = "sim"
tick_interval = 0.05
kill_wait = 0.2
min_job_age = 3600
[sandbox]
root = "{root}"
"""


def start_server(tmp: Path) -> tuple[subprocess.Popen[str], str, str, str]:
    """(process, gRPC target, REST URL, token) of a fresh `s3m serve` on free ports."""
    cfg = tmp / "server.toml"
    cfg.write_text(CONFIG.format(root=tmp / "sandbox"))
    token_file = tmp / "token"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "s3m_grpc.server",
            "--config",
            str(cfg),
            "--token-file",
            str(token_file),
            "--state",  # jobs in SQLite, as `s3m serve` keeps them by default
            str(tmp / "state.sqlite"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    target = rest = ""
    end = time.monotonic() + 60
    while time.monotonic() < end and not (target and rest and token_file.exists()):
        line = proc.stdout.readline()
        if not line:
            break
        if m := re.search(r"gRPC: (\S+)", line):
            target = m[1]
        if m := re.search(r"REST: (http://[^/\s]+)", line):
            rest = m[1]
    if not (target and rest and token_file.exists()):
        proc.kill()
        raise SystemExit("the local server did not start")
    return proc, target, rest, token_file.read_text().split()[0]


async def one_run(
    transport: str, clients: int, calls: int, max_seconds: float, mix: dict[str, float]
) -> None:
    with tempfile.TemporaryDirectory(prefix="s3m-bench-load-") as d:
        proc, target, rest, token = start_server(Path(d))
        try:

            def client() -> Client:
                return Client(
                    "odo",
                    version="v0.0.44",
                    transport=transport,
                    token=token,
                    endpoint=target,
                    rest_url=rest,
                    plaintext=True,
                )

            made = [client() for _ in range(clients)]
            try:
                report = await run_load(made, calls=calls, max_seconds=max_seconds, mix=mix)
            finally:
                for c in made:
                    await c.close()
            async with client() as c:
                listed = [j.job_id for j in await c.list_jobs(timeout=120)]
            problems = check_jobs(report, listed) + report.errors
            print(f"{transport}: {report.summary()}")
            shown = f": {problems[:3]}" if problems else ""
            print(
                f"  jobs submitted {len(report.submitted)}, listed {len(listed)}, "
                f"problems {len(problems)}{shown}"
            )
        finally:
            proc.kill()
            proc.wait(30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--transport", choices=["grpc", "rest", "both"], default="both")
    ap.add_argument("--max-seconds", type=float, default=120.0)
    ap.add_argument(
        "--list-share",
        type=float,
        default=DEFAULT_MIX["list"],
        help="share of GetJobs calls (each returns every job so far: the costly call)",
    )
    args = ap.parse_args()
    mix = {**DEFAULT_MIX, "list": args.list_share}
    print(f"mix: {mix}")
    transports = ["grpc", "rest"] if args.transport == "both" else [args.transport]
    for t in transports:
        asyncio.run(one_run(t, args.clients, args.calls, args.max_seconds, mix))


if __name__ == "__main__":
    main()
