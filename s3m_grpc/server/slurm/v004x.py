"""slurmrestd `openapi/v0.0.42`, `v0.0.43` and `v0.0.44` (Slurm 24.11 to 25.11) to the contract.

The contract's v0.0.44 messages are a subset of what these slurmrestd versions send (checked
field by field against SchedMD's OpenAPI documents for all three), with the same names and
`{set, infinite, number}` wrappers, so replies pass through `coerce`, which keeps the contract's
fields. `GetJob` answers slurmdbd's record (`/slurmdb/vX/job/{id}`) where slurmrestd serves it;
without slurmdbd, or before slurmdbd has the job, its /slurmdb shape is built here from the
controller's job record (`/slurm/vX/job/{id}`: no steps). The submit body is the contract's job
description itself plus the environment and working directory slurmrestd needs.
Checked against SchedMD's OpenAPI schemas and live against Slurm 26.05's slurmrestd, which
serves all three (tests/slurm/test_live_versions.py, test_sim_vs_live.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from s3m_grpc.server.slurm.coerce import coerce, descriptor, noval
from s3m_grpc.server.slurm.dialect import Dialect, as_mapping, mappings
from s3m_grpc.server.slurm.options import SlurmOptions
from s3m_grpc.server.slurm.v0038 import expand_path

JSON = dict[str, Any]
VERSIONS = ("v0.0.42", "v0.0.43", "v0.0.44")


class V004x(Dialect):
    """One of `VERSIONS`; the translation is the same for all three."""

    accounting = True

    def __init__(self, version: str = "v0.0.44") -> None:
        if version not in VERSIONS:
            raise ValueError(f"V004x speaks {', '.join(VERSIONS)}, not {version}")
        self.version = version

    def meta(self, reply: Mapping[str, Any], cluster: str) -> JSON:
        raw = as_mapping(reply.get("meta"))
        meta = coerce(raw, descriptor("MetaResp"))
        slurm = meta.setdefault("slurm", {})
        slurm["cluster"] = str(as_mapping(raw.get("slurm")).get("cluster") or cluster)
        return meta

    def pings(self, reply: Mapping[str, Any], latency_us: int) -> list[JSON]:
        desc = descriptor("ControllerPingResp")
        return [coerce(p, desc) for p in mappings(reply.get("pings"))]

    def diag(self, reply: Mapping[str, Any]) -> JSON:
        return coerce(as_mapping(reply.get("statistics")), descriptor("DiagStatistics"))

    def partitions(self, reply: Mapping[str, Any], cluster: str) -> list[JSON]:
        desc = descriptor("SlurmPartitionDescription")
        out = [coerce(p, desc) for p in mappings(reply.get("partitions"))]
        for p in out:
            p["cluster"] = p.get("cluster") or cluster
        return out

    def nodes(self, reply: Mapping[str, Any], cluster: str) -> list[JSON]:
        desc = descriptor("SlurmNodeDescription")
        out = [coerce(n, desc) for n in mappings(reply.get("nodes"))]
        for n in out:
            n["cluster_name"] = n.get("cluster_name") or cluster
        return out

    def reservations(self, reply: Mapping[str, Any]) -> list[JSON]:
        desc = descriptor("Reservation")
        return [coerce(r, desc) for r in mappings(reply.get("reservations"))]

    def jobs(self, reply: Mapping[str, Any]) -> list[JSON]:
        desc = descriptor("SlurmJobDescription")
        return [coerce(j, desc) for j in mappings(reply.get("jobs"))]

    def db_jobs(self, reply: Mapping[str, Any], now: int) -> list[JSON]:
        desc = descriptor("SlurmDBJobDescription")
        return [coerce(_db_job(j, now), desc) for j in mappings(reply.get("jobs"))]

    def job_properties(self, job: JSON, options: SlurmOptions) -> JSON:
        j = coerce(job, descriptor("JobSubmitReq.JobDescription"))
        if not j.get("environment"):
            j["environment"] = [f"{k}={v}" for k, v in options.environment.items()]
        j.setdefault("current_working_directory", options.workdir)
        return j

    def cancel_params(self, signal: str, flags: str) -> dict[str, str]:
        params = {"signal": signal.strip(), "flags": flags.strip()}
        return {k: v for k, v in params.items() if v}

    def cancel_status(self, job_id: int, reply: Mapping[str, Any]) -> JSON:
        desc = descriptor("DeleteJobResp.Status")
        for status in mappings(reply.get("status")):
            return coerce(status, desc)
        return {
            "error": {"string": "No error", "code": 0, "message": ""},
            "step_id": "",
            "job_id": noval(job_id),
            "federation": {"sibling": ""},
        }


def _num(value: Any) -> int:
    """The number in a `{set, infinite, number}` wrapper (or a bare number); 0 when unset."""
    if isinstance(value, Mapping):
        return int(value.get("number") or 0) if value.get("set") else 0
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _db_job(j: Mapping[str, Any], now: int) -> JSON:
    """The /slurmdb job shape from a v0.0.42+ controller job record."""
    state = [str(s) for s in j.get("job_state") or []]
    start, end, submit = (
        _num(j.get("start_time")),
        _num(j.get("end_time")),
        _num(j.get("submit_time")),
    )
    started = bool(start) and start <= now and state != ["PENDING"]
    running = bool(set(state) & {"RUNNING", "COMPLETING", "SUSPENDED"})
    stop = now if running else end
    plain = {
        **j,
        "array_job_id": _num(j.get("array_job_id")) or None,
        "array_task_id": _num(j.get("array_task_id")) or None,
    }
    stdout = str(j.get("standard_output") or "")
    stderr = str(j.get("standard_error") or "")
    return {
        "account": j.get("account"),
        "comment": {
            "administrator": j.get("admin_comment"),
            "job": j.get("comment"),
            "system": j.get("system_comment"),
        },
        "allocation_nodes": _num(j.get("node_count")),
        "array": {
            "job_id": _num(j.get("array_job_id")),
            "task_id": j.get("array_task_id"),
            "task": j.get("array_task_string"),
            "limits": {"max": {"running": {"tasks": _num(j.get("array_max_tasks"))}}},
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
        "derived_exit_code": j.get("derived_exit_code"),
        "exit_code": j.get("exit_code"),
        "time": {
            "elapsed": max(0, stop - start) if started else 0,
            "start": start if started else 0,
            "end": 0 if running else end,
            "suspended": 0,
            "planned": noval(max(0, start - submit) if started and submit else None),
        },
        "flags": j.get("flags"),
        "group": j.get("group_name"),
        "het": {"job_id": _num(j.get("het_job_id")), "job_offset": j.get("het_job_offset")},
        "job_id": j.get("job_id"),
        "name": j.get("name"),
        "licenses": j.get("licenses"),
        "nodes": j.get("nodes"),
        "partition": j.get("partition"),
        "hold": bool(j.get("hold")),
        "priority": j.get("priority"),
        "qos": j.get("qos"),
        "qosreq": j.get("qos"),
        "required": {
            "CPUs": _num(j.get("cpus")),
            "memory_per_cpu": j.get("memory_per_cpu"),
            "memory_per_node": j.get("memory_per_node"),
        },
        "restart_cnt": j.get("restart_cnt"),
        "reservation": {"id": 0, "name": j.get("resv_name")},
        "stdin": j.get("standard_input"),
        "stdout": stdout,
        "stderr": stderr,
        "stdin_expanded": j.get("stdin_expanded")
        or expand_path(str(j.get("standard_input") or ""), plain),
        "stdout_expanded": j.get("stdout_expanded") or expand_path(stdout or "slurm-%j.out", plain),
        "stderr_expanded": j.get("stderr_expanded")
        or expand_path(stderr or stdout or "slurm-%j.out", plain),
        "state": {"current": state, "reason": j.get("state_reason")},
        "steps": [],
        "submit_line": j.get("submit_line") or j.get("command"),
        "user": j.get("user_name"),
        "working_directory": j.get("current_working_directory"),
    }
