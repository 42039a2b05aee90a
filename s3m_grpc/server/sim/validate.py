"""Submit validation as slurmctld does it: each refusal carries SLURM's error number."""

from __future__ import annotations

from typing import Any

from s3m_grpc.errors import ErrorEntry, InvalidRequestError
from s3m_grpc.server.backend import Caller
from s3m_grpc.server.sim.cluster import Cluster, PartitionSpec

# slurm_errno.h
ESLURM_INVALID_PARTITION_NAME = 2000
ESLURM_TOO_MANY_REQUESTED_CPUS = 2005
ESLURM_REQUESTED_NODE_CONFIG_UNAVAILABLE = 2014
ESLURM_INVALID_ACCOUNT = 2045
ESLURM_RESERVATION_INVALID = 2053
ESLURM_INVALID_TIME_LIMIT = 2051
ESLURM_INVALID_NODE_COUNT = 2006
ESLURM_BAD_TASK_COUNT = 2025
SOURCE = "slurm_submit_batch_job()"


def refuse(number: int, error: str, description: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"{error}: {description}" if description != error else error,
        errors=[ErrorEntry(number, error, SOURCE, description)],
    )


def partition(cluster: Cluster, desc: dict[str, Any]) -> PartitionSpec:
    name = str(desc.get("partition") or "")
    if not name:
        return cluster.default_partition
    spec = cluster.partitions.get(name)
    if spec is None:
        raise refuse(
            ESLURM_INVALID_PARTITION_NAME,
            "Invalid partition name specified",
            f"partition {name!r} does not exist; partitions: {', '.join(cluster.partitions)}",
        )
    return spec


def account(cluster: Cluster, desc: dict[str, Any], caller: Caller) -> str:
    name = str(desc.get("account") or caller.project)
    if name.lower() not in cluster.accounts and name.lower() != caller.project.lower():
        raise refuse(
            ESLURM_INVALID_ACCOUNT,
            "Invalid account or account/partition combination specified",
            f"account {name!r} is not valid for user {caller.user}",
        )
    return name


def node_count(spec: PartitionSpec, desc: dict[str, Any]) -> int:
    low = desc.get("minimum_nodes")
    count = int(low) if low is not None else 1
    if count < 1:
        raise refuse(
            ESLURM_INVALID_NODE_COUNT, "Node count specification invalid", f"minimum_nodes={count}"
        )
    if count > len(spec.nodes) or (spec.max_nodes is not None and count > spec.max_nodes):
        raise refuse(
            ESLURM_REQUESTED_NODE_CONFIG_UNAVAILABLE,
            "Requested node configuration is not available",
            f"{count} nodes requested; partition {spec.name} allows at most "
            f"{min(len(spec.nodes), spec.max_nodes or len(spec.nodes))}",
        )
    return count


def time_limit(spec: PartitionSpec, desc: dict[str, Any]) -> int | None:
    raw = desc.get("time_limit") or {}
    if raw.get("infinite"):
        minutes: int | None = None
    elif raw.get("set"):
        minutes = int(raw.get("number", 0))
    else:
        minutes = spec.default_time if spec.default_time is not None else spec.max_time
    if spec.max_time is not None and (minutes is None or minutes > spec.max_time):
        raise refuse(
            ESLURM_INVALID_TIME_LIMIT,
            "Requested time limit is invalid (missing or exceeds some limit)",
            f"time limit {minutes if minutes is not None else 'UNLIMITED'} min exceeds "
            f"partition {spec.name}'s {spec.max_time} min",
        )
    if minutes is not None and minutes <= 0:
        raise refuse(
            ESLURM_INVALID_TIME_LIMIT,
            "Requested time limit is invalid (missing or exceeds some limit)",
            f"time limit {minutes} min",
        )
    return minutes


def reservation(cluster: Cluster, desc: dict[str, Any]) -> str:
    name = str(desc.get("reservation") or "")
    if name and name not in {r.name for r in cluster.reservations}:
        raise refuse(
            ESLURM_RESERVATION_INVALID,
            "Requested reservation is invalid",
            f"reservation {name!r} does not exist",
        )
    return name


def tasks_and_cpus(spec: PartitionSpec, desc: dict[str, Any]) -> tuple[int, int]:
    """(tasks, cpus_per_task), each at least 1 (0/unset means 1), and together no more CPUs
    than the partition has: the job's CPU count lands in 32-bit reply fields, so a value that
    cannot be real is refused here rather than breaking every later listing."""
    counts = []
    for key in ("tasks", "cpus_per_task"):
        raw = desc.get(key)
        value = int(raw) if raw else 1
        if value < 1:
            raise refuse(
                ESLURM_BAD_TASK_COUNT, "Task count specification invalid", f"{key}={value}"
            )
        counts.append(value)
    tasks, per_task = counts
    nodes = len(spec.nodes) if spec.max_nodes is None else min(len(spec.nodes), spec.max_nodes)
    capacity = nodes * spec.cpus_per_node
    if tasks * per_task > capacity:
        raise refuse(
            ESLURM_TOO_MANY_REQUESTED_CPUS,
            "More processors requested than permitted",
            f"{tasks} tasks x {per_task} cpus per task = {tasks * per_task} CPUs; partition "
            f"{spec.name} has {capacity}",
        )
    return tasks, per_task
