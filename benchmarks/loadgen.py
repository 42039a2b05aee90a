"""Many concurrent clients mixing submit, get, list and cancel against one S3M server.

Used by the load test (`tests/reliability/test_load.py`) and the benchmark
(`benchmarks/bench_load.py`): each client makes its calls in a seeded random mix, records the
latency of each call and every job it submitted or cancelled, and stops when its calls are
done or the time bound passes. `check_jobs` then holds the server to account: every submitted
job is listed exactly once, and none that nobody submitted.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass, field

from s3m_grpc import AsyncClient as Client
from s3m_grpc.errors import NotFoundError, S3MError

# Share of each operation in the mix (get_missing: a job id nobody has; NotFoundError expected).
# Listing is rare: each GetJobs returns every job submitted so far (thousands by the end).
DEFAULT_MIX: dict[str, float] = {
    "submit": 0.20,
    "get": 0.47,
    "list": 0.02,
    "cancel": 0.20,
    "get_missing": 0.11,
}
SCRIPT = "#!/bin/bash\nsleep 600\n"
MISSING_JOB_ID = 2_000_000_000


@dataclass
class ClientRun:
    """What one client did."""

    submitted: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    expected_errors: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    @property
    def calls(self) -> int:
        return sum(len(v) for v in self.latencies.values())


@dataclass
class LoadReport:
    """All clients together."""

    runs: list[ClientRun]
    seconds: float

    @property
    def calls(self) -> int:
        return sum(r.calls for r in self.runs)

    @property
    def submitted(self) -> list[int]:
        return [j for r in self.runs for j in r.submitted]

    @property
    def cancelled(self) -> list[int]:
        return [j for r in self.runs for j in r.cancelled]

    @property
    def errors(self) -> list[str]:
        return [e for r in self.runs for e in r.errors]

    def latencies(self, op: str | None = None) -> list[float]:
        return sorted(
            x for r in self.runs for k, v in r.latencies.items() if op in (None, k) for x in v
        )

    def summary(self) -> str:
        lines = [
            f"{len(self.runs)} clients, {self.calls} calls in {self.seconds:.1f} s: "
            f"{self.calls / self.seconds:.0f} calls/s, "
            f"p50 {percentile(self.latencies(), 50) * 1e3:.1f} ms, "
            f"p99 {percentile(self.latencies(), 99) * 1e3:.1f} ms"
        ]
        ops = sorted({k for r in self.runs for k in r.latencies})
        for op in ops:
            lat = self.latencies(op)
            lines.append(
                f"  {op:<12} {len(lat):>6} calls  p50 {percentile(lat, 50) * 1e3:7.1f} ms"
                f"  p99 {percentile(lat, 99) * 1e3:7.1f} ms"
            )
        return "\n".join(lines)


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values (0.0 when there are none)."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), round(pct / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


async def _one_client(
    client: Client,
    index: int,
    calls: int,
    deadline: float,
    mix: dict[str, float],
    seed: int,
    limit: float,
) -> ClientRun:
    rng = random.Random(seed * 1000 + index)
    run = ClientRun()
    ops, weights = list(mix), list(mix.values())
    live: list[int] = []  # submitted by this client and not cancelled
    for n in range(calls):
        if time.monotonic() >= deadline:
            break
        op = rng.choices(ops, weights)[0]
        if op in ("get", "cancel") and not live:
            op = "submit"
        coro: Awaitable[object]
        job_id = 0
        if op == "submit":
            coro = client.submit(SCRIPT, name=f"load-{index}-{n}", time_limit=30, timeout=limit)
        elif op == "get":
            job_id = rng.choice(live)
            coro = client.get_job(job_id, timeout=limit)
        elif op == "cancel":
            job_id = live.pop(rng.randrange(len(live)))
            coro = client.cancel(job_id, timeout=limit)
        elif op == "list":
            coro = client.list_jobs(timeout=limit)
        else:
            coro = client.get_job(MISSING_JOB_ID, timeout=limit)
        start = time.perf_counter()
        try:
            result = await coro
        except NotFoundError:
            if op != "get_missing":
                run.errors.append(f"{op}: unexpected NotFoundError")
            run.expected_errors["NotFoundError"] += 1
        except S3MError as exc:
            run.errors.append(f"{op}: {type(exc).__name__}: {exc}")
        else:
            if op == "submit":
                job_id = int(getattr(result, "job_id"))  # noqa: B009
                run.submitted.append(job_id)
                live.append(job_id)
            elif op == "cancel":
                run.cancelled.append(job_id)
            elif op == "get_missing":
                run.errors.append("get_missing: a job that does not exist was found")
        run.latencies.setdefault(op, []).append(time.perf_counter() - start)
    return run


async def run_load(
    clients: Sequence[Client],
    *,
    calls: int = 200,
    max_seconds: float = 60.0,
    mix: dict[str, float] | None = None,
    seed: int = 1,
    call_timeout: float = 30.0,
) -> LoadReport:
    """Each client makes `calls` calls (fewer if `max_seconds` passes first), all at once;
    every call has the deadline `call_timeout`."""
    start = time.monotonic()
    deadline = start + max_seconds
    runs = await asyncio.gather(
        *(
            _one_client(c, i, calls, deadline, mix or DEFAULT_MIX, seed, call_timeout)
            for i, c in enumerate(clients)
        )
    )
    return LoadReport(list(runs), time.monotonic() - start)


def check_jobs(report: LoadReport, listed_ids: Iterable[int]) -> list[str]:
    """Problems with the job list after a run (empty: every submitted job listed exactly once,
    nothing else listed)."""
    listed = Counter(listed_ids)
    submitted = Counter(report.submitted)
    problems = [f"job {j} was submitted {n} times" for j, n in submitted.items() if n > 1]
    problems += [f"job {j} is listed {n} times" for j, n in listed.items() if n > 1]
    problems += [f"job {j} was submitted but is not listed" for j in submitted if j not in listed]
    problems += [f"job {j} is listed but nobody submitted it" for j in listed if j not in submitted]
    return problems
