#!/usr/bin/env python
"""Startup time of the `s3m` command line: `s3m --help` must answer in under 0.3 s.

    python benchmarks/bench_cli.py [--runs 15]

Measures wall time of real processes (the installed entry point, as users run it):
- `python -c pass`: the interpreter alone, the floor no CLI can beat;
- `s3m --help` and `s3m submit --help`: lazy imports, no grpc / betterproto2 / protobuf;
- `python -c "import grpc"` and `... import s3m_grpc.factory`: what an eager CLI would pay;
- `s3m --local ping`: a whole offline command (imports, in-process server, one call).
Prints wall-time median, best and worst and the median CPU time per command, and whether
`s3m --help`'s wall median is under 0.3 s. The load average is printed too: on a shared,
loaded machine wall times stretch, CPU times much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIMIT = 0.3


def timed(cmd: list[str], cwd: str) -> tuple[float, float] | None:
    """(wall seconds, CPU seconds) of one run; None if the command failed.

    CPU time (user + system of the child) barely depends on what else the machine is doing,
    so it is the fairer figure on a shared, loaded machine; wall time is what users feel.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return (wall, cpu) if done.returncode == 0 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per quick command")
    parser.add_argument("--local-runs", type=int, default=3, help="runs of `s3m --local ping`")
    args = parser.parse_args()
    s3m = shutil.which("s3m", path=str(Path(sys.executable).parent)) or shutil.which("s3m")
    if s3m is None:
        print("the s3m entry point is not installed: pip install -e .", file=sys.stderr)
        return 1
    py = sys.executable
    cases: list[tuple[str, list[str], int]] = [
        ("python -c pass", [py, "-c", "pass"], args.runs),
        ("s3m --help", [s3m, "--help"], args.runs),
        ("s3m submit --help", [s3m, "submit", "--help"], args.runs),
        ("python -c 'import grpc'", [py, "-c", "import grpc"], args.runs),
        ("python -c 'import s3m_grpc.factory'", [py, "-c", "import s3m_grpc.factory"], args.runs),
        ("s3m --local ping", [s3m, "--local", "ping"], args.local_runs),
    ]
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    print(f"{'command':<38} {'wall median':>11} {'best':>6} {'worst':>6} {'CPU median':>10}  runs")
    medians: dict[str, tuple[float, float, float]] = {}
    with tempfile.TemporaryDirectory() as cwd:
        for name, cmd, runs in cases:
            if timed(cmd, cwd) is None:  # also warms the file cache
                print(f"{name:<38} failed (run it by hand to see why)")
                continue
            runs_done = [t for t in (timed(cmd, cwd) for _ in range(runs)) if t is not None]
            walls = [w for w, _ in runs_done]
            cpu = statistics.median(c for _, c in runs_done)
            med = statistics.median(walls)
            medians[name] = (med, min(walls), cpu)
            print(f"{name:<38} {med:11.3f} {min(walls):6.3f} {max(walls):6.3f} {cpu:10.3f}  {runs}")
    med, best, cpu = medians["s3m --help"]
    verdict = "PASS" if med < LIMIT else "FAIL"
    print(
        f"s3m --help: wall median {med:.3f}s, best {best:.3f}s, CPU {cpu:.3f}s; "
        f"limit {LIMIT}s on the wall median: {verdict}"
    )
    return 0 if med < LIMIT else 2


if __name__ == "__main__":
    sys.exit(main())
