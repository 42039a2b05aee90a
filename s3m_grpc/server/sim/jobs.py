"""A simulated job's record and its two reply shapes (controller `/jobs`, accounting `/job`)."""

from __future__ import annotations

import signal as _signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from s3m_grpc.server.sim import hostlist
from s3m_grpc.server.sim.cluster import noval

JSON = dict[str, Any]

PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED, NODE_FAIL = (
    "PENDING",
    "RUNNING",
    "COMPLETED",
    "FAILED",
    "TIMEOUT",
    "CANCELLED",
    "NODE_FAIL",
)
FINISHED = frozenset({COMPLETED, FAILED, TIMEOUT, CANCELLED, NODE_FAIL})


@dataclass(slots=True)
class SimJob:
    """Everything the sim knows about one job (times are Unix seconds)."""

    job_id: int
    name: str
    account: str
    partition: str
    user: str
    group: str
    script: str
    environment: list[str]
    cwd: str  # as the request named it (a cluster path)
    host_cwd: Path
    stdout: str  # patterns as requested (cluster paths)
    stderr: str
    stdin: str
    node_count: int
    tasks: int
    cpus_per_task: int
    time_limit: int | None  # minutes; None = unlimited
    submit_time: float
    begin_time: float
    comment: str = ""
    qos: str = "normal"
    reservation: str = ""
    priority: int = 1
    state: str = PENDING
    reason: str = "None"
    description: str = ""  # why it is in that state, in words (state_description)
    start_time: float | None = None
    end_time: float | None = None
    nodes: list[str] = field(default_factory=list)
    exit_status: int | None = None  # process return code (0-255)
    exit_signal: int | None = None  # signal that ended the process
    kill_user: str = ""
    submit_line: str = ""
    with_storage: bool = False
    het_leader: int = 0  # job id of a het job's first component (0: not a het job)
    het_offset: int = 0
    het_size: int = 1

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def cpus(self) -> int:
        return self.tasks * self.cpus_per_task

    def elapsed(self, now: float) -> int:
        if self.start_time is None:
            return 0
        return int((self.end_time if self.end_time is not None else now) - self.start_time)

    def expand(self, pattern: str) -> str:
        """SLURM filename patterns: %j job id, %x name, %u user, %N node, %A/%a array, %%."""
        out, i = [], 0
        node = self.nodes[0] if self.nodes else "localhost"
        values = {
            "j": str(self.job_id),
            "x": self.name,
            "u": self.user,
            "N": node,
            "A": str(self.job_id),
            "a": "4294967294",
            "n": "0",
            "t": "0",
            "s": "batch",
        }
        while i < len(pattern):
            ch = pattern[i]
            if ch == "%" and i + 1 < len(pattern):
                nxt = pattern[i + 1]
                if nxt == "%":
                    out.append("%")
                    i += 2
                    continue
                if nxt in values:
                    out.append(values[nxt])
                    i += 2
                    continue
            out.append(ch)
            i += 1
        return "".join(out)

    def stdout_path(self) -> str:
        return self._abs(self.expand(self.stdout or "slurm-%j.out"))

    def stderr_path(self) -> str:
        return self._abs(self.expand(self.stderr or self.stdout or "slurm-%j.out"))

    def stdin_path(self) -> str:
        return self._abs(self.expand(self.stdin or "/dev/null")) if self.stdin else "/dev/null"

    def _abs(self, path: str) -> str:
        return path if path.startswith("/") else f"{self.cwd.rstrip('/')}/{path}"

    # --- replies (v0.0.44 shape) -------------------------------------------------------

    def exit_code(self) -> JSON:
        """SLURM's exit code object: status, return code, signal."""
        if self.exit_signal is not None:
            status = ["SIGNALED"]
        elif self.exit_status is None:
            status = ["PENDING"]
        elif self.exit_status == 0:
            status = ["SUCCESS"]
        else:
            status = ["ERROR"]
        sig_name = ""
        if self.exit_signal is not None:
            try:
                sig_name = _signal.Signals(self.exit_signal).name.removeprefix("SIG")
            except ValueError:
                sig_name = str(self.exit_signal)
        return {
            "status": status,
            "return_code": noval(self.exit_status),
            "signal": {
                "id": noval(self.exit_signal) if self.exit_signal is not None else noval(None),
                "name": sig_name,
            },
        }

    def controller_dict(self, cluster: str, now: float, user_id: int, group_id: int) -> JSON:
        """The `/slurm/…/jobs` (slurmctld) shape."""
        nodelist = hostlist.compress(self.nodes)
        limit = (
            noval(self.time_limit) if self.time_limit is not None else noval(None, infinite=True)
        )
        end = self.end_time
        if end is None and self.start_time is not None and self.time_limit is not None:
            end = self.start_time + self.time_limit * 60
        return {
            "account": self.account,
            "accrue_time": noval(self.submit_time),
            "admin_comment": "",
            "allocating_node": "s3m-local",
            "array_job_id": noval(0),
            "array_task_id": noval(None),
            "array_max_tasks": noval(0),
            "array_task_string": "",
            "association_id": 0,
            "batch_features": "",
            "batch_flag": True,
            "batch_host": self.nodes[0] if self.nodes else "",
            "flags": ["EXACT_TASK_COUNT_REQUESTED", "EXACT_CPU_COUNT_REQUESTED"],
            "burst_buffer": "",
            "burst_buffer_state": "",
            "cluster": cluster,
            "cluster_features": "",
            "command": "",
            "comment": self.comment,
            "container": "",
            "container_id": "",
            "contiguous": False,
            "core_spec": 0,
            "thread_spec": 0,
            "cores_per_socket": noval(None),
            "billable_tres": {"set": True, "infinite": False, "number": float(self.cpus)},
            "cpus_per_task": noval(self.cpus_per_task),
            "cpu_frequency_minimum": noval(None),
            "cpu_frequency_maximum": noval(None),
            "cpu_frequency_governor": noval(None),
            "cpus_per_tres": "",
            "cron": "",
            "deadline": noval(0),
            "delay_boot": noval(0),
            "dependency": "",
            "derived_exit_code": self.exit_code(),
            "eligible_time": noval(self.begin_time),
            "end_time": noval(end if end is not None else 0),
            "excluded_nodes": "",
            "exit_code": self.exit_code(),
            "extra": "",
            "failed_node": "",
            "features": "",
            "federation_origin": "",
            "federation_siblings_active": "",
            "federation_siblings_viable": "",
            "gres_detail": [],
            "group_id": group_id,
            "group_name": self.group,
            "het_job_id": noval(self.het_leader),
            "het_job_id_set": (
                f"{self.het_leader}-{self.het_leader + self.het_size - 1}"
                if self.het_leader
                else ""
            ),
            "het_job_offset": noval(self.het_offset if self.het_leader else None),
            "job_id": self.job_id,
            "job_resources": {
                "select_type": ["CR_CORE_MEMORY"] if self.nodes else [],
                "cpus": self.cpus if self.nodes else 0,
                "threads_per_core": noval(1),
                "nodes": {
                    "count": len(self.nodes),
                    "list": nodelist,
                    "whole": True,
                    "select_type": ["AVAILABLE"] if self.nodes else [],
                },
            },
            "job_size_str": [],
            "job_state": [self.state],
            "last_sched_evaluation": noval(self.start_time or self.submit_time),
            "licenses": "",
            "mail_type": [],
            "mail_user": self.user,
            "max_cpus": noval(0),
            "max_nodes": noval(0),
            "mcs_label": "",
            "memory_per_tres": "",
            "name": self.name,
            "network": "",
            "nodes": nodelist,
            "nice": 0,
            "tasks_per_core": noval(None, infinite=True),
            "tasks_per_tres": noval(0),
            "tasks_per_node": noval(max(self.tasks // max(self.node_count, 1), 1)),
            "tasks_per_socket": noval(None, infinite=True),
            "tasks_per_board": noval(0),
            "cpus": noval(self.cpus),
            "node_count": noval(self.node_count),
            "tasks": noval(self.tasks),
            "partition": self.partition,
            "prefer": "",
            "memory_per_cpu": noval(None),
            "memory_per_node": noval(0),
            "minimum_cpus_per_node": noval(self.cpus_per_task),
            "minimum_tmp_disk_per_node": noval(0),
            "preempt_time": noval(0),
            "preemptable_time": noval(0),
            "pre_sus_time": noval(0),
            "hold": False,
            "priority": noval(self.priority),
            "profile": ["NOT_SET"],
            "qos": self.qos,
            "reboot": False,
            "required_nodes": "",
            "required_switches": 0,
            "requeue": False,
            "resize_time": noval(0),
            "restart_cnt": 0,
            "resv_name": self.reservation,
            "scheduled_nodes": "",
            "selinux_context": "",
            "shared": [],
            "sockets_per_board": 0,
            "sockets_per_node": noval(None),
            "start_time": noval(self.start_time if self.start_time is not None else 0),
            "state_description": self.description,
            "state_reason": self.reason,
            "standard_error": self.stderr_path(),
            "standard_input": self.stdin_path(),
            "standard_output": self.stdout_path(),
            "submit_time": noval(self.submit_time),
            "suspend_time": noval(0),
            "system_comment": "",
            "time_limit": limit,
            "time_minimum": noval(0),
            "threads_per_core": noval(None),
            "tres_bind": "",
            "tres_per_job": "",
            "tres_per_node": "",
            "tres_per_socket": "",
            "tres_per_task": "",
            "tres_req_str": f"cpu={self.cpus},node={self.node_count},billing={self.cpus}",
            "tres_alloc_str": (
                f"cpu={self.cpus},node={len(self.nodes)},billing={self.cpus}" if self.nodes else ""
            ),
            "user_id": user_id,
            "user_name": self.user,
            "maximum_switch_wait_time": 0,
            "wckey": "",
            "current_working_directory": self.cwd,
        }

    def accounting_dict(self, cluster: str, now: float) -> JSON:
        """The `/slurmdb/…/job/{id}` (slurmdbd) shape, with its batch step."""
        nodelist = hostlist.compress(self.nodes) if self.nodes else "None assigned"
        start = int(self.start_time) if self.start_time is not None else 0
        end = int(self.end_time) if self.end_time is not None else 0
        steps: list[JSON] = []
        if self.start_time is not None:
            step_state = self.state if self.finished else RUNNING
            steps.append(
                {
                    "time": {
                        "elapsed": self.elapsed(now),
                        "end": noval(end) if end else noval(None),
                        "start": noval(start),
                        "suspended": 0,
                    },
                    "exit_code": self.exit_code(),
                    "nodes": {
                        "count": len(self.nodes[:1]),
                        "range": self.nodes[0] if self.nodes else "",
                        "list": self.nodes[:1],
                    },
                    "tasks": {"count": 1},
                    "CPU": {
                        "requested_frequency": {"min": noval(0), "max": noval(0)},
                        "governor": "",
                    },
                    "kill_request_user": self.kill_user,
                    "state": [step_state],
                    "step": {"id": f"{self.job_id}.batch", "name": "batch"},
                    "task": {"distribution": "Unknown"},
                }
            )
        return {
            "account": self.account,
            "comment": {"administrator": "", "job": self.comment, "system": ""},
            "allocation_nodes": len(self.nodes),
            "array": {
                "job_id": 0,
                "task_id": noval(None),
                "task": "",
                "limits": {"max": {"running": {"tasks": 0}}},
            },
            "association": {
                "account": self.account,
                "cluster": cluster,
                "partition": "",
                "user": self.user,
                "id": 0,
            },
            "block": "",
            "cluster": cluster,
            "constraints": "",
            "container": "",
            "derived_exit_code": self.exit_code(),
            "time": {
                "elapsed": self.elapsed(now),
                "start": start,
                "end": end,
                "suspended": 0,
                "planned": noval(int((start or now) - self.submit_time)),
            },
            "exit_code": self.exit_code(),
            "extra": "",
            "failed_node": "",
            "flags": ["STARTED_ON_SUBMIT"] if start and start == int(self.submit_time) else [],
            "group": self.group,
            "het": {
                "job_id": self.het_leader,
                "job_offset": noval(self.het_offset if self.het_leader else None),
            },
            "job_id": self.job_id,
            "name": self.name,
            "licenses": "",
            "nodes": nodelist,
            "partition": self.partition,
            "hold": False,
            "priority": noval(self.priority),
            "qos": self.qos,
            "qosreq": "",
            "required": {
                "CPUs": self.cpus,
                "memory_per_cpu": noval(None),
                "memory_per_node": noval(0),
            },
            "kill_request_user": self.kill_user,
            "restart_cnt": 0,
            "reservation": {"id": 0, "name": self.reservation},
            "script": self.script,
            "stdin_expanded": self.stdin_path(),
            "stdout_expanded": self.stdout_path(),
            "stderr_expanded": self.stderr_path(),
            "stdout": self.stdout or "slurm-%j.out",
            "stderr": self.stderr or self.stdout or "slurm-%j.out",
            "stdin": self.stdin or "/dev/null",
            "state": {"current": [self.state], "reason": self.reason},
            "steps": steps,
            "submit_line": self.submit_line,
            "used_gres": "",
            "user": self.user,
            "working_directory": self.cwd,
        }
