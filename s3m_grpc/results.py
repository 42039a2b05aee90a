"""What the client's cluster calls return: small version-neutral views, each keeping its message.

Every view is a frozen dataclass of plain Python values that mean the same in every API version;
the message it was read from stays at `.raw` (typed as the union of the versions' classes, see
`s3m_grpc.anyversion`) for anything the view leaves out. Listings are `Listing`s: a list of
views that also keeps the whole reply (meta, warnings) at `.raw`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from s3m_grpc.anyversion import (
        CancelReply,
        ControllerPing,
        DiagReply,
        NodeMessage,
        PartitionMessage,
        PingReply,
        ReservationMessage,
    )

T = TypeVar("T")
R = TypeVar("R")


class Listing(list[T], Generic[T, R]):
    """A list of views that also keeps the reply they came from at `.raw`."""

    __slots__ = ("raw",)

    def __init__(self, items: list[T], raw: R) -> None:
        super().__init__(items)
        self.raw = raw


def noval(value: object) -> int | None:
    """The number in a `*NoVal` message, or None when unset or infinite."""
    if value is None or not getattr(value, "set", False) or getattr(value, "infinite", False):
        return None
    number = getattr(value, "number", None)
    return int(number) if isinstance(number, int | float) else None


def epoch_time(seconds: int | None) -> datetime | None:
    """A UTC datetime from epoch seconds (None for unset or 0, and for a value no datetime can
    hold: a broken reply's time is unknown, not a crash)."""
    return _epoch_time(seconds) if seconds else None


@lru_cache(maxsize=8192)
def _epoch_time(seconds: int) -> datetime | None:
    # Cached: the jobs of one listing share many times (a sweep submitted in the same second),
    # and a datetime is immutable.
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):
        return None


@dataclass(frozen=True, slots=True)
class Controller:
    """One SLURM controller's answer to a ping."""

    hostname: str
    pinged: str  # "UP" or "DOWN"
    latency_us: int
    mode: str  # "primary", "backup", ...
    raw: ControllerPing = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class PingResult:
    """The controllers' answers and SLURM's release."""

    controllers: tuple[Controller, ...]
    slurm_release: str
    raw: PingReply = field(repr=False, compare=False)

    @property
    def up(self) -> bool:
        """At least one controller answered UP."""
        return any(c.pinged.upper() == "UP" for c in self.controllers)

    @classmethod
    def from_message(cls, reply: PingReply) -> PingResult:
        slurm = reply.meta.slurm if reply.meta is not None else None
        release = ""
        if slurm is not None:
            release = slurm.release
            v = slurm.version
            if not release and v is not None:
                release = f"{v.major}.{v.minor}.{v.micro}"
        return cls(
            controllers=tuple(
                Controller(p.hostname, p.pinged, int(p.latency), p.mode, raw=p) for p in reply.pings
            ),
            slurm_release=release,
            raw=reply,
        )


@dataclass(frozen=True, slots=True)
class Partition:
    """A partition: its state, size and longest time limit."""

    name: str
    state: tuple[str, ...]
    total_nodes: int
    total_cpus: int
    max_time: int | None  # minutes; None when unlimited or unset
    node_list: str
    raw: PartitionMessage = field(repr=False, compare=False)

    @classmethod
    def from_message(cls, p: PartitionMessage) -> Partition:
        return cls(
            name=p.name,
            state=tuple(p.partition.state) if p.partition is not None else (),
            total_nodes=p.nodes.total if p.nodes is not None else 0,
            total_cpus=p.cpus.total if p.cpus is not None else 0,
            max_time=noval(p.maximums.time) if p.maximums is not None else None,
            node_list=p.nodes.configured if p.nodes is not None else "",
            raw=p,
        )


@dataclass(frozen=True, slots=True)
class Node:
    """A node: its state, CPUs in use, memory and partitions."""

    name: str
    state: tuple[str, ...]
    cpus: int
    alloc_cpus: int
    real_memory_mb: int
    partitions: tuple[str, ...]
    reason: str
    raw: NodeMessage = field(repr=False, compare=False)

    @classmethod
    def from_message(cls, n: NodeMessage) -> Node:
        return cls(
            name=n.name,
            state=tuple(n.state),
            cpus=n.cpus,
            alloc_cpus=n.alloc_cpus,
            real_memory_mb=int(n.real_memory),
            partitions=tuple(n.partitions),
            reason=n.reason,
            raw=n,
        )


@dataclass(frozen=True, slots=True)
class Reservation:
    """A reservation: when, which nodes, for whom."""

    name: str
    start_time: datetime | None
    end_time: datetime | None
    node_count: int
    node_list: str
    users: str
    accounts: str
    raw: ReservationMessage = field(repr=False, compare=False)

    @classmethod
    def from_message(cls, r: ReservationMessage) -> Reservation:
        return cls(
            name=r.name,
            start_time=epoch_time(noval(r.start_time)),
            end_time=epoch_time(noval(r.end_time)),
            node_count=r.node_count,
            node_list=r.node_list,
            users=r.users,
            accounts=r.accounts,
            raw=r,
        )


@dataclass(frozen=True, slots=True)
class Diag:
    """The scheduler's job counters (sdiag); everything else is in `.raw.statistics`."""

    jobs_submitted: int
    jobs_started: int
    jobs_completed: int
    jobs_canceled: int
    jobs_failed: int
    jobs_pending: int
    jobs_running: int
    raw: DiagReply = field(repr=False, compare=False)

    @classmethod
    def from_message(cls, reply: DiagReply) -> Diag:
        s = reply.statistics
        if s is None:
            return cls(0, 0, 0, 0, 0, 0, 0, raw=reply)
        return cls(
            jobs_submitted=s.jobs_submitted,
            jobs_started=s.jobs_started,
            jobs_completed=s.jobs_completed,
            jobs_canceled=s.jobs_canceled,
            jobs_failed=s.jobs_failed,
            jobs_pending=s.jobs_pending,
            jobs_running=s.jobs_running,
            raw=reply,
        )


@dataclass(frozen=True, slots=True)
class CancelResult:
    """A cancel (or signal) SLURM accepted."""

    job_id: str
    signal: str | None
    raw: CancelReply = field(repr=False, compare=False)
