"""The simulated cluster's fixed parts: partitions, nodes, reservations, from options.

Defaults resemble the S3M docs' examples (partition `batch-cpu` on `node[001-004]`, account
`STF040`, a `maintenance-window` reservation). Options (the TOML `[backend]` table):

```toml
[backend]
name = "sim"
cluster = "defiant"
accounts = ["stf040"]
[[backend.partitions]]
name = "batch-cpu"
nodes = "node[001-004]"
cpus_per_node = 32
memory_mb = 256000
default_time = 60        # minutes
max_time = 1440          # minutes
max_nodes = 4
default = true
[[backend.reservations]]
name = "maintenance-window"
nodes = "node[001-004]"
partition = "batch-cpu"
start_in = 2592000       # seconds from server start
duration = 3600
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from s3m_grpc.errors import InvalidRequestError
from s3m_grpc.server.sim import hostlist

JSON = dict[str, Any]
SLURM_VERSION = "25.11.7"  # v0.0.44 needs Slurm 25.11; it serves v0.0.42 and v0.0.43 too


def noval(number: float | None, *, infinite: bool = False) -> JSON:
    """SLURM's `{set, infinite, number}` wrapper; None → unset."""
    if infinite:
        return {"set": False, "infinite": True, "number": 0}
    if number is None:
        return {"set": False, "infinite": False, "number": 0}
    return {"set": True, "infinite": False, "number": int(number)}


def _limit(value: int | None) -> JSON:
    """A limit: a number, or INFINITE when there is none."""
    return noval(None, infinite=True) if value is None else noval(value)


@dataclass(frozen=True, slots=True)
class PartitionSpec:
    name: str
    nodes: tuple[str, ...]
    cpus_per_node: int = 32
    memory_mb: int = 256000
    default_time: int | None = 60
    max_time: int | None = 1440
    max_nodes: int | None = None
    priority_tier: int = 1000
    default: bool = False


@dataclass(frozen=True, slots=True)
class ReservationSpec:
    name: str
    nodes: tuple[str, ...]
    partition: str
    start: float
    end: float
    accounts: str = ""
    users: str = ""
    flags: tuple[str, ...] = ("MAINT", "SPEC_NODES")


@dataclass(slots=True)
class Cluster:
    """Partitions, nodes and reservations of the simulated cluster."""

    name: str
    partitions: dict[str, PartitionSpec]
    accounts: frozenset[str]
    reservations: list[ReservationSpec] = field(default_factory=list)
    started: float = 0.0
    slurm_version: str = SLURM_VERSION

    @property
    def default_partition(self) -> PartitionSpec:
        for p in self.partitions.values():
            if p.default:
                return p
        return next(iter(self.partitions.values()))

    def node_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for p in self.partitions.values():
            for n in p.nodes:
                seen[n] = None
        return list(seen)

    def partitions_of(self, node: str) -> list[str]:
        return [p.name for p in self.partitions.values() if node in p.nodes]

    def node_spec(self, node: str) -> PartitionSpec:
        for p in self.partitions.values():
            if node in p.nodes:
                return p
        raise KeyError(node)  # pragma: no cover


DEFAULT_PARTITIONS: list[JSON] = [
    {"name": "batch-cpu", "nodes": "node[001-004]", "max_nodes": 4, "default": True},
    {
        "name": "batch-gpu",
        "nodes": "gpu[001-002]",
        "cpus_per_node": 64,
        "max_nodes": 2,
        "default_time": 30,
        "max_time": 720,
        "priority_tier": 500,
    },
]


def from_options(options: Mapping[str, Any], now: float) -> Cluster:
    """Build the cluster from the backend options (defaults where absent)."""
    try:
        parts = [_partition(p) for p in options.get("partitions", DEFAULT_PARTITIONS)]
        if not parts:
            raise ValueError("at least one partition is needed")
        by_name = {p.name: p for p in parts}
        resv_raw = options.get(
            "reservations",
            [
                {
                    "name": "maintenance-window",
                    "nodes": "node[001-004]",
                    "partition": "batch-cpu",
                    "start_in": 30 * 86400,
                    "duration": 3600,
                }
            ],
        )
        reservations = [_reservation(r, now) for r in resv_raw]
        accounts = frozenset(a.lower() for a in options.get("accounts", ["stf040"]))
        version = _version(options.get("slurm_version", SLURM_VERSION))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidRequestError(f"invalid sim backend options: {exc!r}") from None
    return Cluster(
        name=str(options.get("cluster", "defiant")),
        partitions=by_name,
        accounts=accounts,
        reservations=reservations,
        started=now,
        slurm_version=version,
    )


def _partition(raw: Mapping[str, Any]) -> PartitionSpec:
    nodes = raw["nodes"]
    names = tuple(hostlist.expand(nodes) if isinstance(nodes, str) else nodes)
    max_time = _opt_int(raw.get("max_time", 1440))
    return PartitionSpec(
        name=str(raw["name"]),
        nodes=names,
        cpus_per_node=int(raw.get("cpus_per_node", 32)),
        memory_mb=int(raw.get("memory_mb", 256000)),
        default_time=_opt_int(raw.get("default_time", min(60, max_time or 60))),
        max_time=max_time,
        max_nodes=_opt_int(raw.get("max_nodes")),
        priority_tier=int(raw.get("priority_tier", 1000)),
        default=bool(raw.get("default", False)),
    )


def _reservation(raw: Mapping[str, Any], now: float) -> ReservationSpec:
    start = float(raw["start"]) if "start" in raw else now + float(raw.get("start_in", 0))
    end = float(raw["end"]) if "end" in raw else start + float(raw.get("duration", 3600))
    nodes = raw["nodes"]
    return ReservationSpec(
        name=str(raw["name"]),
        nodes=tuple(hostlist.expand(nodes) if isinstance(nodes, str) else nodes),
        partition=str(raw.get("partition", "")),
        start=start,
        end=end,
        accounts=str(raw.get("accounts", "")),
        users=str(raw.get("users", "")),
    )


def _version(value: Any) -> str:
    parts = str(value).split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"slurm_version must look like 25.11.7, not {value!r}")
    return str(value)


def _opt_int(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


# --- replies (v0.0.44 shape) ---------------------------------------------------------


def meta(cluster: Cluster) -> JSON:
    major, minor, micro = cluster.slurm_version.split(".")
    return {
        "plugin": {
            "type": "openapi/slurmctld",
            "name": "Slurm OpenAPI slurmctld",
            "data_parser": "data_parser/v0.0.44",
        },
        "slurm": {
            "version": {"major": major, "minor": minor, "micro": micro},
            "release": f"{major}.{minor}.{micro}",
            "cluster": cluster.name,
        },
        "client": {"source": "s3m-local", "user": "", "group": ""},
    }


def partition_dict(cluster: Cluster, p: PartitionSpec, now: float) -> JSON:
    nodelist = hostlist.compress(p.nodes)
    cpus = p.cpus_per_node * len(p.nodes)
    return {
        "nodes": {"allowed_allocation": nodelist, "configured": nodelist, "total": len(p.nodes)},
        "accounts": {"allowed": "", "deny": ""},
        "groups": {"allowed": ""},
        "qos": {"allowed": "", "deny": "", "assigned": ""},
        "alternate": "",
        "tres": {
            "billing_weights": "",
            "configured": f"cpu={cpus},mem={p.memory_mb * len(p.nodes)}M,"
            f"node={len(p.nodes)},billing={cpus}",
        },
        "cluster": cluster.name,
        "select_type": ["CR_CORE_MEMORY"],
        "cpus": {"task_binding": 0, "total": cpus},
        "defaults": {
            "memory_per_cpu": 0,
            "partition_memory_per_cpu": noval(None),
            "partition_memory_per_node": noval(None, infinite=False),
            "time": _limit(p.default_time),
            "job": "",
        },
        "grace_time": 0,
        "maximums": {
            "cpus_per_node": noval(None, infinite=True),
            "cpus_per_socket": noval(None, infinite=True),
            "memory_per_cpu": 0,
            "partition_memory_per_cpu": noval(None),
            "partition_memory_per_node": noval(None, infinite=True),
            "nodes": _limit(p.max_nodes),
            "shares": 1,
            "oversubscribe": {"jobs": 1, "flags": ["EXCLUSIVE"]},
            "time": _limit(p.max_time),
            "over_time_limit": noval(None),
        },
        "minimums": {"nodes": 1},
        "name": p.name,
        "node_sets": "",
        "priority": {"job_factor": 1, "tier": p.priority_tier},
        "timeouts": {"resume": noval(None), "suspend": noval(None)},
        "partition": {"state": ["UP"] + (["DEFAULT"] if p.default else [])},
        "suspend_time": noval(None),
        "topology": "",
    }


def node_dict(
    cluster: Cluster,
    name: str,
    state: list[str],
    alloc_cpus: int,
    alloc_memory: int,
    reason: str,
    now: float,
) -> JSON:
    spec = cluster.node_spec(name)
    cpus = spec.cpus_per_node
    return {
        "architecture": "x86_64",
        "burstbuffer_network_address": "",
        "boards": 1,
        "boot_time": noval(cluster.started - 86400),
        "cluster_name": cluster.name,
        "cores": cpus // 2,
        "specialized_cores": 0,
        "cpu_binding": 0,
        "cpu_load": 100 * alloc_cpus // max(cpus, 1),
        "free_mem": noval(spec.memory_mb - alloc_memory),
        "cpus": cpus,
        "effective_cpus": cpus,
        "specialized_cpus": "",
        "energy": {
            "average_watts": 0,
            "base_consumed_energy": 0,
            "consumed_energy": 0,
            "current_watts": noval(None),
            "previous_consumed_energy": 0,
            "last_collected": 0,
        },
        "extra": "",
        "features": [],
        "active_features": [],
        "gpu_spec": "",
        "gres": "",
        "gres_drained": "N/A",
        "gres_used": "",
        "instance_id": "",
        "instance_type": "",
        "last_busy": noval(now),
        "mcs_label": "",
        "specialized_memory": 0,
        "name": name,
        "next_state_after_reboot": ["INVALID"],
        "address": name,
        "hostname": name,
        "state": state,
        "operating_system": "Linux (s3m-grpc sim)",
        "owner": "",
        "partitions": cluster.partitions_of(name),
        "port": 6818,
        "real_memory": spec.memory_mb,
        "res_cores_per_gpu": 0,
        "comment": "",
        "reason": reason,
        "reason_changed_at": noval(0),
        "reason_set_by_user": "",
        "resume_after": noval(None),
        "reservation": "",
        "alloc_memory": alloc_memory,
        "alloc_cpus": alloc_cpus,
        "alloc_idle_cpus": cpus - alloc_cpus,
        "tres_used": f"cpu={alloc_cpus},mem={alloc_memory}M" if alloc_cpus else "",
        "tres_weighted": float(alloc_cpus),
        "slurmd_start_time": noval(cluster.started),
        "sockets": 2,
        "threads": 2,
        "temporary_disk": 0,
        "weight": 1,
        "tres": f"cpu={cpus},mem={spec.memory_mb}M,billing={cpus}",
        "version": cluster.slurm_version,
        "tls_cert_last_renewal": noval(cluster.started),
        "cert_flags": [],
        "topology": "",
    }


def reservation_dict(r: ReservationSpec, cpus_per_node: int) -> JSON:
    return {
        "accounts": r.accounts,
        "burst_buffer": "",
        "core_count": cpus_per_node * len(r.nodes),
        "core_specializations": [],
        "end_time": noval(r.end),
        "features": "",
        "flags": list(r.flags),
        "groups": "",
        "licenses": "",
        "max_start_delay": 0,
        "name": r.name,
        "node_count": len(r.nodes),
        "node_list": hostlist.compress(r.nodes),
        "partition": r.partition,
        "purge_completed": {"time": noval(None)},
        "start_time": noval(r.start),
        "watts": noval(None, infinite=True),
        "tres": f"cpu={cpus_per_node * len(r.nodes)}",
        "users": r.users,
    }
