"""How replies are shown: aligned tables for people, the exact message JSON/YAML for scripts.

Tables are built from the contract-JSON dict of a reply (the same dict `-o json` prints), so one
renderer serves every API version. Machine output is `s3m_grpc.jsoncodec.to_dict` unchanged.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from s3m_grpc.slurmtime import format_duration

Row = Sequence[str]


def dig(data: Any, path: str, default: Any = None) -> Any:
    """`data["a"]["b"]` for path "a.b", or `default` when any step is missing."""
    current = data
    for key in path.split("."):
        if not isinstance(current, Mapping) or key not in current:
            return default
        current = current[key]
    return current


def noval(value: Any) -> int | float | None:
    """The number in a `{set, infinite, number}` NoVal (or a plain number); None if unset/∞."""
    if isinstance(value, Mapping):
        if value.get("infinite") or not value.get("set", "number" in value):
            return None
        number = value.get("number")
        return number if isinstance(number, int | float) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


def is_infinite(value: Any) -> bool:
    return isinstance(value, Mapping) and bool(value.get("infinite"))


def joined(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def minutes_text(value: Any) -> str:
    if is_infinite(value):
        return "UNLIMITED"
    minutes = noval(value)
    return "" if minutes is None else format_duration(minutes * 60)


def table(headers: Sequence[str], rows: Iterable[Row]) -> str:
    """Columns padded to their widest cell; the last column is not padded."""
    body = [[str(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in body:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = []
    for row in [list(headers), *body]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def key_values(pairs: Iterable[tuple[str, str]]) -> str:
    """`key: value` lines with the values aligned; empty values left out."""
    kept = [(k, v) for k, v in pairs if v not in ("", None)]
    width = max((len(k) for k, _ in kept), default=0)
    return "\n".join(f"{k + ':':<{width + 1}} {v}" for k, v in kept)


# --- jobs -----------------------------------------------------------------------------------


def job_state(job: Mapping[str, Any]) -> str:
    """The state of a job in either shape (`job_state` list or accounting `state.current`)."""
    state = job.get("job_state")
    if state is None:
        state = dig(job, "state.current")
    return joined(state) or "UNKNOWN"


def job_reason(job: Mapping[str, Any]) -> str:
    reason = job.get("state_reason")
    if reason is None:
        reason = dig(job, "state.reason")
    return "" if reason in (None, "None") else str(reason)


def job_elapsed(job: Mapping[str, Any], now: float) -> float | None:
    """Seconds the job has run (or ran)."""
    elapsed = dig(job, "time.elapsed")
    if isinstance(elapsed, int) and elapsed > 0:
        return float(elapsed)
    start = noval(job.get("start_time")) or noval(dig(job, "time.start"))
    if not start:
        return None
    end = noval(job.get("end_time")) or noval(dig(job, "time.end"))
    stop = end if end and end >= start and "RUNNING" not in job_state(job) else now
    return max(0.0, float(stop) - float(start))


def job_row(job: Mapping[str, Any], now: float) -> Row:
    elapsed = job_elapsed(job, now)
    submitted = noval(job.get("submit_time")) or noval(dig(job, "time.submission")) or 0
    return (
        str(job.get("job_id", "")),
        str(job.get("partition", "")),
        str(job.get("name", "")),
        str(job.get("user_name") or job.get("user") or ""),
        job_state(job),
        format_duration(elapsed) if elapsed is not None else "0:00",
        minutes_text(job.get("time_limit") or dig(job, "time.limit")),
        str(noval(job.get("node_count")) or job.get("nodes") or ""),
        format_timestamp(float(submitted), now),
        job_reason(job),
    )


JOB_HEADERS = ("JOBID", "PARTITION", "NAME", "USER", "STATE", "TIME", "LIMIT", "NODES",
               "SUBMITTED", "REASON")  # fmt: skip


def jobs_table(reply: Mapping[str, Any], now: float | None = None) -> str:
    current = time.time() if now is None else now
    jobs = reply.get("jobs") or []
    if not jobs:
        return "no jobs"
    return table(JOB_HEADERS, (job_row(j, current) for j in jobs))


def job_detail(reply: Mapping[str, Any], now: float | None = None) -> str:
    """One job (accounting shape from GetJob, or queue shape) as aligned `key: value` lines."""
    current = time.time() if now is None else now
    blocks = []
    for job in reply.get("jobs") or []:
        start = dig(job, "time.start") or noval(job.get("start_time")) or 0
        end = dig(job, "time.end") or noval(job.get("end_time")) or 0
        submit = dig(job, "time.submission") or noval(job.get("submit_time")) or 0
        elapsed = job_elapsed(job, current)
        exit_code = dig(job, "exit_code.return_code")
        blocks.append(
            key_values(
                [
                    ("job id", str(job.get("job_id", ""))),
                    ("name", str(job.get("name", ""))),
                    ("state", job_state(job)),
                    ("reason", job_reason(job)),
                    ("user", str(job.get("user") or job.get("user_name") or "")),
                    ("account", str(job.get("account", ""))),
                    ("partition", str(job.get("partition", ""))),
                    ("nodes", str(job.get("nodes", ""))),
                    ("submitted", format_timestamp(float(noval(submit) or 0), current)),
                    ("started", format_timestamp(float(noval(start) or 0), current)),
                    ("ended", format_timestamp(float(noval(end) or 0), current)),
                    ("elapsed", format_duration(elapsed) if elapsed is not None else ""),
                    ("time limit", minutes_text(dig(job, "time.limit") or job.get("time_limit"))),
                    ("exit code", "" if exit_code is None else str(noval(exit_code) or 0)),
                    ("work dir", str(job.get("working_directory") or "")),
                    ("stdout", str(job.get("stdout_expanded") or job.get("stdout") or "")),
                    ("stderr", str(job.get("stderr_expanded") or job.get("stderr") or "")),
                ]
            )
        )
    return "\n\n".join(blocks) if blocks else "no such job"


# --- cluster --------------------------------------------------------------------------------


def partitions_table(reply: Mapping[str, Any]) -> str:
    rows = [
        (
            str(p.get("name", "")),
            joined(dig(p, "partition.state")),
            str(dig(p, "nodes.total", "")),
            str(dig(p, "cpus.total", "")),
            minutes_text(dig(p, "maximums.time")),
            str(dig(p, "nodes.configured", "")),
        )
        for p in reply.get("partitions") or []
    ]
    return table(("PARTITION", "STATE", "NODES", "CPUS", "TIMELIMIT", "NODELIST"), rows)


def nodes_table(reply: Mapping[str, Any]) -> str:
    rows = [
        (
            str(n.get("name", "")),
            joined(n.get("state")),
            f"{n.get('alloc_cpus', 0)}/{n.get('cpus', 0)}",
            f"{n.get('real_memory', 0)}",
            joined(n.get("partitions")),
            str(n.get("reason", "")),
        )
        for n in reply.get("nodes") or []
    ]
    return table(("NODE", "STATE", "CPUS(A/T)", "MEMORY(MB)", "PARTITIONS", "REASON"), rows)


def reservations_table(reply: Mapping[str, Any], now: float | None = None) -> str:
    current = time.time() if now is None else now
    items = reply.get("reservations") or []
    if not items:
        return "no reservations"
    rows = [
        (
            str(r.get("name", "")),
            format_timestamp(float(noval(r.get("start_time")) or 0), current),
            format_timestamp(float(noval(r.get("end_time")) or 0), current),
            str(r.get("node_count", "")),
            str(r.get("node_list", "")),
            str(r.get("users", "") or r.get("accounts", "")),
        )
        for r in items
    ]
    return table(("RESERVATION", "START", "END", "NODES", "NODELIST", "USERS"), rows)


def ping_table(reply: Mapping[str, Any]) -> str:
    rows = [
        (
            str(p.get("hostname", "")),
            str(p.get("pinged", "")),
            str(p.get("mode", "")),
            f"{p.get('latency', 0)} µs",
        )
        for p in reply.get("pings") or []
    ]
    version = dig(reply, "meta.slurm.release") or joined(dig(reply, "meta.slurm.version"))
    cluster = dig(reply, "meta.slurm.cluster", "")
    parts = [f"cluster {cluster}" if cluster else "", f"slurm {version}" if version else ""]
    head = ", ".join(p for p in parts if p)
    body = table(("CONTROLLER", "PINGED", "MODE", "LATENCY"), rows)
    return f"{head}\n{body}" if head else body


_DIAG_TIMES = frozenset({"req_time", "req_time_start", "job_states_ts", "bf_when_last_cycle"})


def diag_text(reply: Mapping[str, Any], now: float | None = None) -> str:
    current = time.time() if now is None else now
    stats = reply.get("statistics") or {}
    pairs = []
    for key, value in stats.items():
        if isinstance(value, list | dict) and noval(value) is None:
            continue
        text = _scalar(value)
        number = noval(value)
        if key in _DIAG_TIMES and number:
            text = format_timestamp(float(number), current)
        pairs.append((key.replace("_", " "), text))
    return key_values(pairs)


def _scalar(value: Any) -> str:
    number = noval(value)
    return str(value) if number is None else str(number)


def submit_text(reply: Mapping[str, Any]) -> str:
    text = f"Submitted batch job {reply.get('job_id', '?')}"
    message = reply.get("job_submit_user_msg")
    return f"{text}\n{message}" if message else text


def cancel_text(job_ids: Sequence[int], signal: str | None) -> str:
    verb = f"sent {signal} to" if signal else "cancelled"
    return "\n".join(f"{verb} job {j}" for j in job_ids)


def warnings_of(reply: Mapping[str, Any]) -> list[str]:
    """SLURM's `warnings[]` of a reply as lines for stderr."""
    out = []
    for w in reply.get("warnings") or []:
        text = w.get("description") or w.get("source") or ""
        if text:
            out.append(f"warning: {text}")
    return out


TABLES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "jobs": jobs_table,
    "job": job_detail,
    "partitions": partitions_table,
    "nodes": nodes_table,
    "reservations": reservations_table,
    "ping": ping_table,
    "diag": diag_text,
    "submit": submit_text,
}


def render(data: Any, fmt: str, kind: str) -> str:
    """`data` (a contract-JSON dict) as table, JSON or YAML text."""
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False)
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).rstrip("\n")
    return TABLES[kind](data)


def format_timestamp(epoch: float, now: float | None = None) -> str:
    """A Unix time for people: `14:03:07` today, `Nov 24 14:03` this year, else the full date."""
    if epoch <= 0:
        return ""
    current = time.time() if now is None else now
    then = time.localtime(epoch)
    today = time.localtime(current)
    if then[:3] == today[:3]:
        return time.strftime("%H:%M:%S", then)
    if then.tm_year == today.tm_year:
        return time.strftime("%b %d %H:%M", then)
    return time.strftime("%Y-%m-%d %H:%M", then)
