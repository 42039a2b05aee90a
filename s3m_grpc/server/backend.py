"""The one small interface every SLURM backend of the local server implements.

Backends speak slurmrestd's own vocabulary: plain dicts keyed by the contract's JSON names
(which are slurmrestd's keys), in the v0.0.44 shape. The server turns them into the versioned
messages (`s3m_grpc.server.shapes` adapts the few places where v0.0.42/43 differ), so a backend
never depends on an API version. Failures are raised as `s3m_grpc.errors.S3MError` subclasses
carrying SLURM's `errors[]` entries.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling, as established from the token (never the token itself)."""

    project: str
    user: str
    permissions: frozenset[str]


@dataclass(frozen=True, slots=True)
class SubmitRequest:
    """A validated submit: the batch script and one job description per het component."""

    script: str
    jobs: list[JSON]
    caller: Caller
    with_storage: bool = False


@dataclass(frozen=True, slots=True)
class SubmitResult:
    """What `PostJobSubmit` reports back."""

    job_id: int
    step_id: str = "batch"
    job_submit_user_msg: str = ""
    warnings: list[JSON] = field(default_factory=list)


class Backend(abc.ABC):
    """A SLURM behind the local server (simulated in-process, or real through slurmrestd).

    Construction (`s3m_grpc.server.registry`): `Backend(options)`, where options is the TOML
    `[backend]` table minus `name`; a backend whose constructor also takes `sandbox` gets the
    server's `s3m_grpc.server.sandbox.Sandbox` (where job paths land on this host).
    """

    name: str = "backend"

    async def start(self) -> None:
        """Acquire resources (threads, connections); called once before serving."""
        return None

    async def close(self) -> None:
        """Release everything `start` acquired; running jobs are stopped."""
        return None

    @abc.abstractmethod
    async def meta(self) -> JSON:
        """The `meta` block: plugin, and slurm's version, release and cluster."""

    @abc.abstractmethod
    async def ping(self) -> list[JSON]:
        """One entry per controller: hostname, pinged, latency, mode."""

    @abc.abstractmethod
    async def diag(self) -> JSON:
        """Scheduler statistics (sdiag)."""

    @abc.abstractmethod
    async def partitions(self) -> list[JSON]:
        """Every partition."""

    @abc.abstractmethod
    async def nodes(self) -> list[JSON]:
        """Every node."""

    @abc.abstractmethod
    async def reservations(self) -> list[JSON]:
        """Every reservation."""

    @abc.abstractmethod
    async def jobs(self) -> list[JSON]:
        """Every job the controller knows (the /slurm job shape)."""

    @abc.abstractmethod
    async def job(self, job_id: int) -> list[JSON]:
        """One job from accounting (the /slurmdb job shape); NotFoundError if unknown."""

    @abc.abstractmethod
    async def submit(self, request: SubmitRequest) -> SubmitResult:
        """Queue a batch job; InvalidRequestError (with errors[]) if SLURM refuses it."""

    @abc.abstractmethod
    async def cancel(self, job_id: int, signal: str, flags: str) -> JSON:
        """Signal or cancel a job; returns the `status` entry of DeleteJobResp."""

    async def owner(self, job_id: int) -> tuple[str, str] | None:
        """The (project, user) job `job_id` belongs to, for a backend that keeps jobs itself
        (the server then enforces ownership as SLURM does); None for an unknown job or a
        backend whose SLURM enforces it."""
        return None
