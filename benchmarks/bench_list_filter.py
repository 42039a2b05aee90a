#!/usr/bin/env python
"""`list_jobs` with filters: building views only for the jobs kept, against a real server.

    python benchmarks/bench_list_filter.py [--jobs 10000] [--rounds 5]

A `LocalServer` (simulated SLURM) is made to list `--jobs` copies of one queued job, one in a
hundred named `keep-*`. Each round times, over gRPC, `list_jobs()` (a `JobInfo` per job),
`list_jobs(name="keep-*")` (the filter runs on the raw messages, views for the matches only)
and the raw `GetJobs` call alone (what any listing pays). Prints medians in milliseconds; on a
shared machine compare the rows of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from typing import Any

from s3m_grpc import AsyncClient
from s3m_grpc.server import LocalServer, ServerConfig


async def main(jobs: int, rounds: int) -> None:
    server = await LocalServer(ServerConfig(backend="sim")).start()
    try:
        async with AsyncClient(
            "odo",
            token=server.token,
            endpoint=f"http://{server.grpc_target}",
            transport="grpc",
        ) as c:
            sub = await c.submit("#!/bin/bash\nsleep 600\n", name="template")
            backend: Any = server.backend
            one = (await backend.jobs())[-1]
            listed = [
                {**one, "job_id": 700_000 + i, "name": f"keep-{i}" if i % 100 == 0 else f"x-{i}"}
                for i in range(jobs)
            ]

            async def many() -> list[dict[str, Any]]:
                return listed

            backend.jobs = many
            timings: dict[str, list[float]] = {"GetJobs only": [], "list_jobs()": [],
                                               'list_jobs(name="keep-*")': []}  # fmt: skip
            kept = 0
            for _ in range(rounds):
                for label, call in (
                    ("GetJobs only", lambda: c.stub.get_jobs()),
                    ("list_jobs()", lambda: c.list_jobs()),
                    ('list_jobs(name="keep-*")', lambda: c.list_jobs(name="keep-*")),
                ):
                    start = time.perf_counter()
                    result: Any = await call()
                    timings[label].append(time.perf_counter() - start)
                    kept = len(result.jobs) if label == "GetJobs only" else len(result)
            del backend.jobs
            await c.cancel(sub.job_id)
    finally:
        await server.close()
    print(f"{jobs} jobs listed, {kept} kept by the last filter; median of {rounds} rounds, gRPC")
    print(f"load average {os.getloadavg()[0]:.1f}")
    for label, values in timings.items():
        print(f"  {label:<26} {statistics.median(values) * 1000:8.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.jobs, args.rounds))
