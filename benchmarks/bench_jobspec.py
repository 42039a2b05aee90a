#!/usr/bin/env python
"""What building one submit costs: reading a script's `#SBATCH` lines into a `JobSpec`, merging
keywords over it, and building the versioned `JobSubmitReq` (then its bytes).

    python benchmarks/bench_jobspec.py [--rounds 5] [--count 2000]

Prints microseconds per job for each step (median of the rounds). No server: this is the
client-side cost a submit adds before the call, for a script with 12 directive lines.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from s3m_grpc import codec, versions
from s3m_grpc.jobspec import JobSpec, submit_request

SCRIPT = """#!/bin/bash
#SBATCH -A STF040 --partition=batch -t 1-02:00:00
#SBATCH -N 1-2 -n 4 --cpus-per-task 2 -J "bench job"
#SBATCH --mem=4G --mem-per-cpu=512 --priority=5 -q normal
#SBATCH --time-min=30 --comment='a comment' -L fs:1 --ntasks-per-node=2
#SBATCH -o out-%j.txt -e err-%j.txt -i /dev/null --reservation=maint
#SBATCH --export=OMP_NUM_THREADS=4,SET=value
#SBATCH --array=1-4 --exclusive
srun hostname
"""


def per_job(step: Callable[[], object], count: int, rounds: int) -> float:
    """Median microseconds per call of `step` over `rounds` runs of `count` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(count):
            step()
        times.append((time.perf_counter() - start) / count * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    api = versions.get("v0.0.44")
    keywords = JobSpec(partition="debug", time_limit=30, environment={"A": "1"})
    spec = JobSpec.from_script(SCRIPT, environ={}).merge(keywords)
    request = submit_request(spec, api)
    steps: list[tuple[str, Callable[[], object]]] = [
        ("JobSpec.from_script (12 directives)", lambda: JobSpec.from_script(SCRIPT, environ={})),
        ("JobSpec(...) from 3 keywords", lambda: JobSpec(partition="debug", time_limit=30)),
        ("merge", lambda: spec.merge(keywords)),
        ("submit_request (v0.0.44)", lambda: submit_request(spec, api)),
        ("codec.encode (request bytes)", lambda: codec.encode(request)),
        (
            "all of it",
            lambda: codec.encode(
                submit_request(JobSpec.from_script(SCRIPT, environ={}).merge(keywords), api)
            ),
        ),
    ]
    print(f"{'step':40} {'us/job':>9}")
    for name, step in steps:
        print(f"{name:40} {per_job(step, args.count, args.rounds):9.1f}")


if __name__ == "__main__":
    main()
