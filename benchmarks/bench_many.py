"""Many jobs against `s3m serve` (simulated SLURM, in a child process like a real deployment).

Submit part (`submit_part`): 2,000 jobs with `submit_many` vs a plain `asyncio.gather` of
`submit` calls at the same concurrency (calls/s); then, against a server limited to N requests
per second, how many rate-limit refusals each way meets and how many jobs it loses to them.

    python benchmarks/bench_many.py                      # everything
    python benchmarks/bench_many.py --submit             # the submit part only
    python benchmarks/bench_many.py --submit --jobs 500 --limit 10
    python benchmarks/bench_many.py --wait               # the wait part only (2,000 jobs)
    python benchmarks/bench_many.py --wait --large       # ... for 10,000 jobs

The submit part's jobs wait for a begin time an hour away, so the simulator runs no processes
and the figures measure submitting. Every run checks that each job is on the server exactly
once.

Wait part (`wait_part`): N short jobs (`true`) are submitted held a few seconds (so none ends
before the wait starts) and waited for in a fresh client process, twice in the same run on two
batches: with the client's shared watcher (`wait_all`: one `GetJobs` per poll, `GetJob` only for
jobs gone from the listing) and the old way, a per-job `wait` (one `GetJob` per job per poll,
kept here as a baseline), with the same poll pacing. Printed for each: API calls by method
(counted with `on_event`), wall time, client CPU time and peak client memory (the waiting
process's peak RSS during the wait, above its RSS once connected). A yardstick row, "GetJobs
alone", makes as many `GetJobs` calls as the watcher did, in a fresh process, reading each
listing the watcher's way and keeping nothing: what receiving the listing costs by itself
(gRPC's Python layer holds a reply 2-3 times over while it receives it). A node per job
lets every job of a batch start at once, whatever the call rate (the simulator's scheduler also
runs on every call).

Figures on a shared machine vary from run to run: compare the two ways within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from s3m_grpc import AsyncClient
from s3m_grpc.errors import RateLimitedError, S3MError
from s3m_grpc.heap import release_freed_memory
from s3m_grpc.jobspec import JobSpec
from s3m_grpc.listing import READER
from s3m_grpc.observe import CallEvent
from s3m_grpc.retry import backoff

CONFIG = """
[backend]
name = "sim"
tick_interval = 0.05
min_job_age = {min_job_age}
{partitions}[sandbox]
root = "{root}"
[limits]
requests_per_second = {rate}
burst = {burst}
"""
PARTITION = """[[backend.partitions]]
name = "batch-cpu"
nodes = "node[1-{nodes}]"
default = true
"""


@dataclass
class Served:
    """A running `s3m serve`: where it listens and its token."""

    target: str
    rest: str
    token: str


@contextmanager
def serve(
    rate: float = 0, burst: int = 20, *, nodes: int | None = None, min_job_age: float = 3600
) -> Iterator[Served]:
    """`python -m s3m_grpc.server` on free ports (rate-limited to `rate` calls/s if given;
    `nodes`: one partition of that many nodes), its jobs' state in a file of its own."""
    with tempfile.TemporaryDirectory(prefix="s3m-bench-many-") as d:
        tmp = Path(d)
        partitions = "" if nodes is None else PARTITION.format(nodes=nodes)
        (tmp / "server.toml").write_text(
            CONFIG.format(
                root=tmp / "sandbox",
                rate=rate,
                burst=burst,
                min_job_age=min_job_age,
                partitions=partitions,
            )
        )
        token_file = tmp / "token"
        command = [sys.executable, "-m", "s3m_grpc.server", "--config", str(tmp / "server.toml")]
        proc = subprocess.Popen(
            [*command, "--token-file", str(token_file), "--state", str(tmp / "state.sqlite")],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert proc.stdout is not None
            target = rest = ""
            end = time.monotonic() + 60
            while time.monotonic() < end:
                line = proc.stdout.readline()
                if not line:
                    break
                if m := re.search(r"gRPC: (\S+)", line):
                    target = m[1]
                if m := re.search(r"REST: (http://[^/\s]+)", line):
                    rest = m[1]
                if "token (compute-ace) in" in line:  # the tokens file is written
                    break
            if not (target and rest and token_file.exists()):
                raise SystemExit("the local server did not start")
            # Keep reading its output so it never blocks on a full pipe.
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            yield Served(target, rest, token_file.read_text().split()[0])
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


@dataclass
class Run:
    """One way of submitting a batch, measured."""

    way: str
    jobs: int
    seconds: float
    cpu: float  # client CPU seconds
    submitted: int
    refusals: int  # 429s the server answered (each paced or retried)
    lost: int  # jobs that ended as RateLimitedError at the caller
    other_errors: Counter[str]

    def line(self) -> str:
        rate = self.submitted / self.seconds if self.seconds else 0.0
        others = ", ".join(f"{n} {k}" for k, n in self.other_errors.items()) or "none"
        return (
            f"  {self.way:<22} {self.submitted:>5}/{self.jobs} submitted in {self.seconds:6.2f} s "
            f"({rate:7.1f} calls/s, client CPU {self.cpu:5.2f} s); 429s met {self.refusals:>4}; "
            "lost as rate-limited "
            f"{self.lost:>4}; other errors: {others}"
        )


def specs(count: int, prefix: str) -> list[JobSpec]:
    begin = datetime.now(UTC) + timedelta(hours=1)
    script = "#!/bin/bash\ntrue\n"
    return [JobSpec(script=script, name=f"{prefix}{i}", begin_time=begin) for i in range(count)]


async def measured(
    served: Served,
    way: str,
    count: int,
    body: Callable[[AsyncClient, list[JobSpec]], Awaitable[list[S3MError | None]]],
) -> Run:
    """Run `body` on a fresh client, counting the server's 429s through the client's events;
    check afterwards that every submitted job is on the server exactly once."""
    refusals = 0

    def on_event(event: CallEvent) -> None:
        nonlocal refusals
        if event.kind == "attempt" and event.error == "RateLimitedError":
            refusals += 1

    prefix = f"{way.split()[0]}-{time.monotonic_ns()}-"
    async with AsyncClient(
        "odo",
        endpoint=served.target,
        rest_url=served.rest,
        token=served.token,
        plaintext=True,
        transport="grpc",
        on_event=on_event,
    ) as client:
        jobs = specs(count, prefix)
        await client.ping()  # connect first: the figures are for submitting
        started, cpu = time.perf_counter(), time.process_time()
        errors = await body(client, jobs)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        await asyncio.sleep(1.5)  # let a rate limit's bucket refill for the check
        listed = Counter(j.name for j in await client.list_jobs(name=f"{prefix}*", timeout=120))
    submitted = sum(e is None for e in errors)
    if set(listed.values()) - {1} or len(listed) != submitted:
        raise SystemExit(f"{way}: {submitted} submitted but the server lists {len(listed)}")
    lost = sum(isinstance(e, RateLimitedError) for e in errors)
    others = Counter(type(e).__name__ for e in errors if e and not isinstance(e, RateLimitedError))
    return Run(way, count, seconds, cpu, submitted, refusals, lost, others)


def bulk(
    concurrency: int,
) -> Callable[[AsyncClient, list[JobSpec]], Awaitable[list[S3MError | None]]]:
    async def body(client: AsyncClient, jobs: list[JobSpec]) -> list[S3MError | None]:
        return [o.error for o in await client.submit_many(jobs, concurrency=concurrency)]

    return body


def gathered(
    concurrency: int,
) -> Callable[[AsyncClient, list[JobSpec]], Awaitable[list[S3MError | None]]]:
    async def body(client: AsyncClient, jobs: list[JobSpec]) -> list[S3MError | None]:
        gate = asyncio.Semaphore(concurrency)

        async def one(spec: JobSpec) -> S3MError | None:
            async with gate:
                try:
                    await client.submit(spec)
                except S3MError as exc:
                    return exc
                return None

        return list(await asyncio.gather(*(one(s) for s in jobs)))

    return body


async def submit_part(
    jobs: int = 2000,
    concurrency: int = 16,
    limit: float = 20.0,
    limited_jobs: int = 300,
    repeat: int = 2,
) -> list[Run]:
    """Print and return the submit figures (see the module docstring)."""
    runs: list[Run] = []
    ways = (("submit_many", bulk(concurrency)), ("gather", gathered(concurrency)))
    # A fresh server for each run (the simulator slows down as it holds more jobs); the ways
    # alternate and each is repeated, the best run of each compared.
    print(f"submit {jobs} jobs, concurrency {concurrency}, server not rate limited:")
    best: dict[str, float] = {}
    for _ in range(repeat):
        for way, body in ways:
            with serve() as served:
                runs.append(await measured(served, way, jobs, body))
                print(runs[-1].line(), flush=True)
            best[way] = max(best.get(way, 0.0), runs[-1].submitted / runs[-1].seconds)
    print(
        f"  best calls/s: submit_many {best['submit_many']:.1f}, gather {best['gather']:.1f} "
        f"({best['submit_many'] / best['gather']:.2f}x)"
    )
    burst = max(1, int(limit))
    print(f"submit {limited_jobs} jobs, concurrency {concurrency}, server limited to {limit:g}/s:")
    for way, body in ways:
        with serve(rate=limit, burst=burst) as served:
            runs.append(await measured(served, way, limited_jobs, body))
            print(runs[-1].line(), flush=True)
    return runs


# -- wait part -----------------------------------------------------------------------------

TOKEN_ENV = "S3M_BENCH_TOKEN"  # the waiting process's token (never on a command line)
POLL_INTERVAL, MAX_INTERVAL = 0.5, 5.0
HERE = Path(__file__).resolve()


def wait_client(served: Served, calls: Counter[str] | None = None) -> AsyncClient:
    def count(event: CallEvent) -> None:
        if calls is not None and event.kind == "call_started":
            calls[event.method] += 1

    return AsyncClient(
        "odo",
        version="v0.0.44",
        endpoint=served.target,
        rest_url=served.rest,
        token=served.token,
        plaintext=True,
        transport="grpc",
        on_event=count,
    )


async def submit_held(served: Served, n: int, hold: float) -> list[str]:
    """N short jobs that become eligible `hold` seconds from now."""
    begin = datetime.now(UTC) + timedelta(seconds=hold)
    script = "#!/bin/bash\ntrue\n"
    async with wait_client(served) as c:
        jobs = [JobSpec(script=script, name=f"wait-{i}", begin_time=begin) for i in range(n)]
        return [str(o.unwrap().job_id) for o in await c.submit_many(jobs, concurrency=32)]


async def per_job_wait(c: AsyncClient, job_id: str, failures: Counter[str]) -> None:
    """The old way, kept as a baseline: one job, one `GetJob` per poll until it has finished
    (a failed poll is counted and the next one tried, as the old wait rode out outages)."""
    for delay in backoff(POLL_INTERVAL, MAX_INTERVAL):
        try:
            if (await c.get_job(job_id)).finished:
                return
        except S3MError as exc:
            failures[type(exc).__name__] += 1
        await asyncio.sleep(delay)


def rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def reset_peak_rss() -> bool:
    """Start the process's peak RSS (`VmHWM`) afresh (Linux: `clear_refs` 5), so the peak read
    afterwards is the wait's, not the imports' (they peak ~30 MB above the RSS they leave)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def peak_rss_bytes(reset: bool) -> int:
    """The peak RSS since `reset_peak_rss` (if it worked), else since the process started."""
    if reset:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


async def measure(kind: str, served: Served, ids: list[str]) -> dict[str, object]:
    """Wait for `ids` one way (this runs in a process of its own)."""
    calls: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    async with wait_client(served, calls) as c:
        await c.ping()
        calls.clear()
        reset = reset_peak_rss()
        rss0 = rss_bytes()
        cpu0, t0 = time.process_time(), time.perf_counter()
        if kind == "watcher":
            found = await c.wait_all(ids, poll_interval=POLL_INTERVAL, max_interval=MAX_INTERVAL)
            assert all(info.finished for info in found.values())
        elif kind.startswith("listings-"):
            # The yardstick: the same number of `GetJobs` as the watcher made, each read the
            # watcher's way and dropped: what receiving the listing costs, nothing kept.
            for _ in range(int(kind.split("-")[1])):
                listed = await c._stub.get_jobs(c.messages.Empty(), reader=READER)
                assert len(listed) >= len(ids)
                del listed
                await asyncio.sleep(0)  # the call's future lets go of the reply (see the watcher)
                release_freed_memory()
                await asyncio.sleep(POLL_INTERVAL)
        else:
            await asyncio.gather(*(per_job_wait(c, j, failures) for j in ids))
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    peak = peak_rss_bytes(reset)
    return {
        "calls": dict(calls),
        "failures": dict(failures),
        "wall": wall,
        "cpu": cpu,
        "memory": max(0, peak - rss0),
    }


def run_measure(kind: str, served: Served, ids: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(ids, fh)
    try:
        done = subprocess.run(
            [sys.executable, str(HERE), "--measure", kind, served.target, served.rest, fh.name],
            env={**os.environ, TOKEN_ENV: served.token},
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(fh.name)
    if done.returncode:
        raise SystemExit(f"the {kind} wait failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def wait_part(jobs: int = 2000, min_job_age: float = 300.0) -> None:
    """Wait for N jobs with the watcher, then N others with per-job waits; print both."""
    hold = 3.0 + jobs / 250  # time to submit them all before any starts
    print(f"wait for {jobs} jobs (each `true`, held {hold:.0f} s after submit; poll "
          f"{POLL_INTERVAL:g} s growing to {MAX_INTERVAL:g} s)")  # fmt: skip
    print(f"{'':14}{'GetJobs':>9}{'GetJob':>9}{'calls':>9}{'wall s':>9}{'CPU s':>9}{'peak MB':>9}")
    with serve(nodes=jobs, min_job_age=min_job_age) as served:
        ids = asyncio.run(submit_held(served, jobs, hold))
        r = run_measure("watcher", served, ids)
        print_row("watcher", r)
        # The watcher's jobs stay listed (MinJobAge): the same listing, received alone.
        polls = r["calls"].get("GetJobs", 0)
        print_row("GetJobs alone", run_measure(f"listings-{polls}", served, ids))
        ids = asyncio.run(submit_held(served, jobs, hold))
        print_row("per-job wait", run_measure("per-job", served, ids))


def print_row(label: str, r: dict[str, Any]) -> None:
    calls = r["calls"]
    print(
        f"{label:14}{calls.get('GetJobs', 0):>9}{calls.get('GetJob', 0):>9}"
        f"{sum(calls.values()):>9}{r['wall']:>9.1f}{r['cpu']:>9.2f}"
        f"{r['memory'] / 2**20:>9.1f}",
        flush=True,
    )
    if r["failures"]:
        print(f"{'':14}failed polls: {r['failures']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submit", action="store_true", help="Run the submit part only.")
    parser.add_argument("--wait", action="store_true", help="Run the wait part only.")
    parser.add_argument("--jobs", type=int, default=2000, help="Jobs per unlimited run.")
    parser.add_argument("--large", action="store_true", help="Wait part: 10,000 jobs.")
    parser.add_argument("--min-job-age", type=float, default=300.0, help="Wait part: MinJobAge.")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--limit", type=float, default=20.0, help="Rate limit (calls/s).")
    parser.add_argument("--limited-jobs", type=int, default=300, help="Jobs per limited run.")
    parser.add_argument("--repeat", type=int, default=2, help="Unlimited runs of each way.")
    parser.add_argument("--measure", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # one wait, in a process of its own
        kind, target, rest, ids_file = args.measure
        served = Served(target, rest, os.environ[TOKEN_ENV])
        ids = json.loads(Path(ids_file).read_text())
        print(json.dumps(asyncio.run(measure(kind, served, ids))))
        return
    t0 = time.monotonic()
    if not args.wait:
        asyncio.run(
            submit_part(args.jobs, args.concurrency, args.limit, args.limited_jobs, args.repeat)
        )
    if not args.submit:
        wait_part(10_000 if args.large else args.jobs, args.min_job_age)
    print(f"total {time.monotonic() - t0:.1f} s (client and server on one machine)")


if __name__ == "__main__":
    main()
