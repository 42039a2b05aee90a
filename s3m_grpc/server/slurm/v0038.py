"""slurmrestd `openapi/v0.0.38` (Slurm 22.05, Debian 12) to and from the contract's v0.0.44 shape.

What differs from v0.0.44, all handled here: numbers are bare (or `null`, or NO_VAL) instead of
`{set, infinite, number}`; `job_state` and node `state` are single strings; `exit_code` is the
raw wait status (`exit 3` is 768, a SIGTERM is 15); partitions are flat
(`max_time_limit`, `"min nodes per job"`); there is no slurmdbd, so `GetJob`'s /slurmdb job shape
is built from the controller's job record (no steps); a submit needs `environment` as a dict and
takes `nodes` as "N" or "N-M" (the `[min, max]` array its OpenAPI document describes is
silently ignored); `DELETE job/{id}` takes a signal but no flags.
Replies were checked against a live 22.05.8 slurmrestd (tests/slurm/).
"""

from __future__ import annotations

import signal as _signal
from collections.abc import Mapping
from typing import Any

from s3m_grpc.errors import ErrorEntry, InvalidRequestError
from s3m_grpc.server.slurm import faults
from s3m_grpc.server.slurm.coerce import coerce, descriptor, noval
from s3m_grpc.server.slurm.dialect import Dialect, as_mapping, mappings
from s3m_grpc.server.slurm.options import SlurmOptions

JSON = dict[str, Any]

# JobSubmitReq.JobDescription fields v0.0.38 has under the same name and type.
_SAME_STRINGS = (
    "account",
    "comment",
    "licenses",
    "name",
    "partition",
    "qos",
    "reservation",
    "current_working_directory",
    "standard_input",
    "standard_output",
    "standard_error",
)
_SAME_INTS = (
    "tasks",
    "cpus_per_task",
    "threads_per_core",
    "tasks_per_node",
    "tasks_per_socket",
    "tasks_per_core",
    "sockets_per_node",
    "minimum_cpus_per_node",
)
_NOVAL_INTS = ("time_limit", "time_minimum", "memory_per_cpu", "memory_per_node", "begin_time")
# Fields v0.0.38 cannot express: refused when set rather than silently dropped.
_UNSUPPORTED = (
    "minimum_cpus",
    "maximum_cpus",
    "minimum_boards_per_node",
    "minimum_sockets_per_board",
    "tasks_per_board",
    "ntasks_per_tres",
    "distribution_plane_size",
)


class V0038(Dialect):
    version = "v0.0.38"

    # ---- replies ------------------------------------------------------------------------------

    def meta(self, reply: Mapping[str, Any], cluster: str) -> JSON:
        raw = as_mapping(reply.get("meta"))
        plugin = as_mapping(raw.get("plugin"))
        slurm = as_mapping(raw.get("Slurm") or raw.get("slurm"))
        version = as_mapping(slurm.get("version"))
        return {
            "plugin": {
                "type": str(plugin.get("type", f"openapi/{self.version}")),
                "name": str(plugin.get("name", "")),
                "data_parser": "",
            },
            "slurm": {
                "version": {k: str(version.get(k, "")) for k in ("major", "minor", "micro")},
                "release": str(slurm.get("release", "")),
                "cluster": cluster,
            },
        }

    def pings(self, reply: Mapping[str, Any], latency_us: int) -> list[JSON]:
        return [
            {
                "hostname": str(p.get("hostname", "")),
                "pinged": str(p.get("ping", "")),
                "latency": latency_us,
                "mode": str(p.get("mode", "")),
            }
            for p in mappings(reply.get("pings"))
        ]

    def diag(self, reply: Mapping[str, Any]) -> JSON:
        return coerce(as_mapping(reply.get("statistics")), descriptor("DiagStatistics"))

    def partitions(self, reply: Mapping[str, Any], cluster: str) -> list[JSON]:
        desc = descriptor("SlurmPartitionDescription")
        return [coerce(_partition(p, cluster), desc) for p in mappings(reply.get("partitions"))]

    def nodes(self, reply: Mapping[str, Any], cluster: str) -> list[JSON]:
        desc = descriptor("SlurmNodeDescription")
        return [coerce(_node(n, cluster), desc) for n in mappings(reply.get("nodes"))]

    def reservations(self, reply: Mapping[str, Any]) -> list[JSON]:
        desc = descriptor("Reservation")
        return [coerce(r, desc) for r in mappings(reply.get("reservations"))]

    def jobs(self, reply: Mapping[str, Any]) -> list[JSON]:
        desc = descriptor("SlurmJobDescription")
        return [coerce(_job(j), desc) for j in mappings(reply.get("jobs"))]

    def db_jobs(self, reply: Mapping[str, Any], now: int) -> list[JSON]:
        desc = descriptor("SlurmDBJobDescription")
        return [coerce(_db_job(j, now), desc) for j in mappings(reply.get("jobs"))]

    # ---- requests -----------------------------------------------------------------------------

    def job_properties(self, job: JSON, options: SlurmOptions) -> JSON:
        return _job_properties(job, options)

    def cancel_params(self, signal: str, flags: str) -> dict[str, str]:
        if flags.strip():
            raise InvalidRequestError(
                f"cancel flags {flags!r} are not supported by slurmrestd {self.version}: "
                "send the request without flags",
                errors=[
                    ErrorEntry(
                        faults.ESLURM_REST_FAIL_PARSING,
                        "Failure during parsing",
                        "slurm_kill_job",
                        f"flags are not supported by openapi/{self.version}",
                    )
                ],
            )
        return {"signal": signal.strip()} if signal.strip() else {}

    def cancel_status(self, job_id: int, reply: Mapping[str, Any]) -> JSON:
        return {
            "error": {"string": "No error", "code": 0, "message": ""},
            "step_id": "",
            "job_id": noval(job_id),
            "federation": {"sibling": ""},
        }


# ---- reply pieces -------------------------------------------------------------------------------


def _words(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [w for w in str(value or "").split(",") if w]


def exit_code(raw: Any) -> JSON:
    """The v0.0.44 exit code from a raw wait status (`exit 3` → 768, SIGTERM → 15)."""
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0 or raw >= 0xFFFFFFFE:
        return {"status": ["INVALID"], "return_code": noval(None), "signal": {"id": noval(None)}}
    sig = raw & 0x7F
    if sig:
        try:
            name = _signal.Signals(sig).name.removeprefix("SIG")
        except ValueError:
            name = str(sig)
        status = ["SIGNALED", "CORE_DUMPED"] if raw & 0x80 else ["SIGNALED"]
        return {
            "status": status,
            "return_code": noval(0),
            "signal": {"id": noval(sig), "name": name},
        }
    code = (raw >> 8) & 0xFF
    return {
        "status": ["SUCCESS"] if code == 0 else ["ERROR"],
        "return_code": noval(code),
        "signal": {"id": noval(None), "name": ""},
    }


def _resources(raw: Any) -> JSON | None:
    if not isinstance(raw, Mapping):
        return None
    return {
        "select_type": [],
        "cpus": raw.get("allocated_cores") or 0,
        "nodes": {
            "count": raw.get("allocated_hosts") or 0,
            "list": raw.get("nodes") or "",
            "whole": False,
            "select_type": [],
        },
    }


def _job(j: Mapping[str, Any]) -> JSON:
    out = dict(j)
    out["job_state"] = _words(j.get("job_state"))
    out["exit_code"] = exit_code(j.get("exit_code"))
    out["derived_exit_code"] = exit_code(j.get("derived_exit_code"))
    out["job_resources"] = _resources(j.get("job_resources"))
    out["hold"] = j.get("priority") == 0
    out["shared"] = _words(j.get("shared"))
    out["profile"] = _words(j.get("profile"))
    return out


def first_host(hostlist: str) -> str:
    """The first host of a SLURM hostlist ("node[003-004,007],gpu01" → "node003")."""
    head = hostlist.split(",")[0] if "[" not in hostlist.split(",")[0] else hostlist
    prefix, bracket, rest = head.partition("[")
    if not bracket:
        return prefix
    return prefix + rest.split(",")[0].split("-")[0].rstrip("]")


def expand_path(pattern: str, j: Mapping[str, Any]) -> str:
    """A job's stdout/stderr path with SLURM's %-patterns filled in (as sbatch documents)."""
    if not pattern:
        return ""
    first = first_host(str(j.get("nodes") or ""))
    job_id = str(j.get("job_id", ""))
    values = {
        "j": job_id,
        "J": job_id,
        "A": str(j.get("array_job_id") or job_id),
        "a": str(j.get("array_task_id") or 0),
        "u": str(j.get("user_name", "")),
        "x": str(j.get("name", "")),
        "N": first,
        "%": "%",
    }
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "%" and i + 1 < len(pattern):
            k = i + 1
            while k < len(pattern) and pattern[k].isdigit():
                k += 1
            if k < len(pattern) and pattern[k] in values:
                width = int(pattern[i + 1 : k] or 0)
                value = values[pattern[k]]
                out.append(value.zfill(width) if value.isdigit() else value)
                i = k + 1
                continue
        out.append(ch)
        i += 1
    path = "".join(out)
    cwd = str(j.get("current_working_directory") or "")
    if cwd and not path.startswith("/"):
        path = cwd.rstrip("/") + "/" + path
    return path


def _db_job(j: Mapping[str, Any], now: int) -> JSON:
    """The /slurmdb job shape from the controller's record (no accounting database here)."""
    state = _words(j.get("job_state"))
    start = _int(j.get("start_time"))
    end = _int(j.get("end_time"))
    submit = _int(j.get("submit_time"))
    running = bool(set(state) & {"RUNNING", "COMPLETING", "SUSPENDED"})
    if start and running:
        end_for_elapsed, end = now, 0
    else:
        end_for_elapsed = end
    started = start and start <= now and bool(set(state) - {"PENDING"})
    stdout = str(j.get("standard_output") or "")
    stderr = str(j.get("standard_error") or "")
    stdout_default = stdout or "slurm-%j.out"
    return {
        "account": j.get("account"),
        "comment": {
            "administrator": j.get("admin_comment"),
            "job": j.get("comment"),
            "system": j.get("system_comment"),
        },
        "allocation_nodes": j.get("node_count"),
        "array": {
            "job_id": j.get("array_job_id"),
            "task_id": j.get("array_task_id"),
            "task": j.get("array_task_string"),
            "limits": {"max": {"running": {"tasks": j.get("array_max_tasks")}}},
        },
        "association": {
            "account": j.get("account"),
            "cluster": j.get("cluster"),
            "partition": j.get("partition"),
            "user": j.get("user_name"),
            "id": j.get("association_id"),
        },
        "cluster": j.get("cluster"),
        "constraints": j.get("features"),
        "container": j.get("container"),
        "derived_exit_code": exit_code(j.get("derived_exit_code")),
        "exit_code": exit_code(j.get("exit_code")),
        "time": {
            "elapsed": max(0, end_for_elapsed - start) if started else 0,
            "start": start if started else 0,
            "end": end,
            "suspended": 0,
            "planned": noval(max(0, start - submit) if started and submit else None),
        },
        "flags": _words(j.get("flags")),
        "group": j.get("group_name"),
        "het": {
            "job_id": j.get("het_job_id"),
            "job_offset": j.get("het_job_offset") if j.get("het_job_id") else None,
        },
        "job_id": j.get("job_id"),
        "name": j.get("name"),
        "licenses": j.get("licenses"),
        "nodes": j.get("nodes"),
        "partition": j.get("partition"),
        "hold": j.get("priority") == 0,
        "priority": j.get("priority"),
        "qos": j.get("qos"),
        "qosreq": j.get("qos"),
        "required": {
            "CPUs": j.get("cpus"),
            "memory_per_cpu": j.get("memory_per_cpu"),
            "memory_per_node": j.get("memory_per_node"),
        },
        "restart_cnt": j.get("restart_cnt"),
        "reservation": {"id": 0, "name": j.get("resv_name")},
        "stdin": j.get("standard_input"),
        "stdout": stdout,
        "stderr": stderr,
        "stdin_expanded": expand_path(str(j.get("standard_input") or ""), j),
        "stdout_expanded": expand_path(stdout_default, j),
        "stderr_expanded": expand_path(stderr or stdout_default, j),
        "state": {"current": state, "reason": j.get("state_reason")},
        "steps": [],
        "submit_line": j.get("command"),
        "user": j.get("user_name"),
        "working_directory": j.get("current_working_directory"),
    }


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _node(n: Mapping[str, Any], cluster: str) -> JSON:
    out = dict(n)
    flags = _words(n.get("state_flags"))
    out["state"] = [s.upper() for s in _words(n.get("state")) + flags]
    after = [s.upper() for s in _words(n.get("next_state_after_reboot")) if s != "invalid"]
    out["next_state_after_reboot"] = after + [
        s.upper() for s in _words(n.get("next_state_after_reboot_flags"))
    ]
    out["features"] = _words(n.get("features"))
    out["active_features"] = _words(n.get("active_features"))
    out["free_mem"] = n.get("free_memory")
    out["version"] = n.get("slurmd_version")
    out["alloc_idle_cpus"] = n.get("idle_cpus")
    out["effective_cpus"] = n.get("cpus")
    out["cluster_name"] = cluster
    return out


def _partition(p: Mapping[str, Any], cluster: str) -> JSON:
    return {
        "nodes": {
            "allowed_allocation": p.get("allowed_allocation_nodes"),
            "configured": p.get("nodes"),
            "total": p.get("total_nodes"),
        },
        "accounts": {"allowed": p.get("allowed_accounts"), "deny": p.get("denied_accounts")},
        "groups": {"allowed": p.get("allowed_groups")},
        "qos": {
            "allowed": p.get("allowed_qos"),
            "deny": p.get("denied_qos"),
            "assigned": p.get("qos"),
        },
        "alternate": p.get("alternative"),
        "tres": {"billing_weights": p.get("billing_weights"), "configured": p.get("tres")},
        "cluster": cluster,
        "cpus": {"task_binding": 0, "total": p.get("total_cpus")},
        "defaults": {
            "memory_per_cpu": p.get("default_memory_per_cpu"),
            "partition_memory_per_cpu": p.get("default_memory_per_cpu"),
            "partition_memory_per_node": p.get("default_memory_per_node"),
            "time": p.get("default_time_limit"),
        },
        "grace_time": p.get("preemption_grace_time"),
        "maximums": {
            "cpus_per_node": p.get("maximum_cpus_per_node"),
            "memory_per_cpu": p.get("maximum_memory_per_cpu"),
            "partition_memory_per_cpu": p.get("maximum_memory_per_cpu"),
            "partition_memory_per_node": p.get("maximum_memory_per_node"),
            "nodes": p.get("maximum_nodes_per_job"),
            "time": p.get("max_time_limit"),
            "over_time_limit": p.get("over_time_limit"),
        },
        "minimums": {"nodes": p.get("min nodes per job")},
        "name": p.get("name"),
        "priority": {"job_factor": p.get("priority_job_factor"), "tier": p.get("priority_tier")},
        "partition": {"state": _words(p.get("state"))},
    }


# ---- request pieces -----------------------------------------------------------------------------


def _number(value: Any) -> int | None:
    """The number in a `{set, infinite, number}` request value, or None when unset/infinite."""
    if isinstance(value, Mapping):
        if not value.get("set", False) or value.get("infinite", False):
            return None
        value = value.get("number", 0)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _refuse(text: str) -> InvalidRequestError:
    return InvalidRequestError(
        text,
        errors=[
            ErrorEntry(
                faults.ESLURM_REST_FAIL_PARSING, "Failure during parsing", "_parse_job", text
            )
        ],
    )


def _node_range(job: Mapping[str, Any]) -> str | None:
    """v0.0.38's `nodes` as "N" or "N-M" (its documented `[min, max]` array is ignored)."""
    text = str(job.get("nodes") or "").strip()
    low = _number(job.get("minimum_nodes"))
    high = _number(job.get("maximum_nodes"))
    if text:
        lo_text, _, hi_text = text.partition("-")
        if not lo_text.isdigit() or (hi_text and not hi_text.isdigit()):
            raise _refuse(f"nodes {text!r} must be a count N or a range N-M")
        low = int(lo_text)
        high = int(hi_text) if hi_text else low
    if low is None and high is None:
        return None
    low = low if low is not None else 1
    high = high if high is not None else low
    return str(low) if high == low else f"{low}-{high}"


def _environment(job: Mapping[str, Any], options: SlurmOptions) -> dict[str, str]:
    raw = job.get("environment") or []
    if not isinstance(raw, list):
        raise _refuse("environment must be a list of NAME=value strings")
    env: dict[str, str] = {}
    for item in raw:
        name, sep, value = str(item).partition("=")
        if not sep or not name:
            raise _refuse(f"environment entry {str(item)[:60]!r} is not NAME=value")
        env[name] = value
    return env or dict(options.environment)


def _job_properties(job: Mapping[str, Any], options: SlurmOptions) -> JSON:
    """One contract JobDescription as v0.0.38 `job_properties`."""
    refused = [k for k in _UNSUPPORTED if _number(job.get(k)) not in (None, 0)]
    if refused:
        raise _refuse(
            f"{', '.join(refused)} cannot be expressed through slurmrestd v0.0.38; "
            "leave them unset (use tasks/cpus_per_task/nodes instead)"
        )
    out: JSON = {k: str(job[k]) for k in _SAME_STRINGS if job.get(k)}
    for k in _SAME_INTS:
        n = _number(job.get(k))
        if n is not None:
            out[k] = n
    for k in _NOVAL_INTS:
        n = _number(job.get(k))
        if n is not None:
            out[k] = n
    prio = _number(job.get("priority"))
    if prio is not None:
        out["priority"] = str(prio)
    if job.get("wait_all_nodes"):
        out["wait_all_nodes"] = True
    nodes = _node_range(job)
    if nodes is not None:
        out["nodes"] = nodes
    out["environment"] = _environment(job, options)
    out.setdefault("current_working_directory", options.workdir)
    return out
