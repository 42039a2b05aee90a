"""What one slurmrestd API version module provides: its paths and its translations.

The backend speaks the contract's v0.0.44 shape; each `Dialect` turns one slurmrestd version's
replies into that shape and the version-neutral submit into that version's request body. One
module per slurmrestd version keeps every version difference in one place.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any

from s3m_grpc.server.backend import SubmitResult
from s3m_grpc.server.slurm import faults
from s3m_grpc.server.slurm.coerce import coerce, descriptor
from s3m_grpc.server.slurm.options import SlurmOptions

JSON = dict[str, Any]


class Dialect(abc.ABC):
    """Translations for one `openapi/vX` of slurmrestd."""

    version: str = ""
    # Whether this version's /slurmdb job records (slurmdbd's accounting) fit `accounted_jobs`.
    accounting: bool = False

    def path(self, tail: str) -> str:
        return f"/slurm/{self.version}/{tail}"

    def db_path(self, tail: str) -> str:
        """A path of slurmrestd's accounting side (`openapi/slurmdbd`)."""
        return f"/slurmdb/{self.version}/{tail}"

    def accounted_jobs(self, reply: Mapping[str, Any]) -> list[JSON]:
        """`SlurmDBJobDescription` entries from slurmdbd's `/slurmdb/vX/job/{id}` reply, which
        is the contract's shape already (steps, state.current, exit codes, times)."""
        desc = descriptor("SlurmDBJobDescription")
        jobs = reply.get("jobs")
        return (
            [coerce(j, desc) for j in jobs if isinstance(j, Mapping)]
            if isinstance(jobs, list)
            else []
        )

    @abc.abstractmethod
    def meta(self, reply: Mapping[str, Any], cluster: str) -> JSON:
        """The contract's `meta` block from any reply's `meta`."""

    @abc.abstractmethod
    def pings(self, reply: Mapping[str, Any], latency_us: int) -> list[JSON]:
        """`ControllerPingResp` entries from a ping reply."""

    @abc.abstractmethod
    def diag(self, reply: Mapping[str, Any]) -> JSON:
        """`DiagStatistics` from a diag reply."""

    @abc.abstractmethod
    def partitions(self, reply: Mapping[str, Any], cluster: str) -> list[JSON]:
        """`SlurmPartitionDescription` entries."""

    @abc.abstractmethod
    def nodes(self, reply: Mapping[str, Any], cluster: str) -> list[JSON]:
        """`SlurmNodeDescription` entries."""

    @abc.abstractmethod
    def reservations(self, reply: Mapping[str, Any]) -> list[JSON]:
        """`Reservation` entries."""

    @abc.abstractmethod
    def jobs(self, reply: Mapping[str, Any]) -> list[JSON]:
        """`SlurmJobDescription` entries (the /slurm job shape)."""

    @abc.abstractmethod
    def db_jobs(self, reply: Mapping[str, Any], now: int) -> list[JSON]:
        """`SlurmDBJobDescription` entries (the /slurmdb job shape) from a one-job reply."""

    @abc.abstractmethod
    def job_properties(self, job: JSON, options: SlurmOptions) -> JSON:
        """One contract job description in this version's submit form; InvalidRequestError
        for what it cannot say."""

    def submit_body(self, script: str, jobs: list[JSON], options: SlurmOptions) -> JSON:
        """The request body of `POST job/submit`: `job` for one, `jobs` for a het job."""
        props = [self.job_properties(j, options) for j in jobs]
        if len(props) == 1:
            return {"script": script, "job": props[0]}
        return {"script": script, "jobs": props}

    def submit_result(self, reply: Mapping[str, Any]) -> SubmitResult:
        """The submit reply; InvalidRequestError when no job was created."""
        errs = faults.entries(reply)
        job_id = reply.get("job_id")
        if not isinstance(job_id, int) or job_id <= 0:
            raise faults.failure(200, errs, what="submitting the job", submit=True)
        # A job exists: errors slurmrestd attached (e.g. "held") must not make the caller retry.
        return SubmitResult(
            job_id=job_id,
            step_id=str(reply.get("step_id") or "batch"),
            job_submit_user_msg=str(reply.get("job_submit_user_msg") or ""),
            warnings=faults.as_warnings(errs) + faults.warnings(reply),
        )

    @abc.abstractmethod
    def cancel_params(self, signal: str, flags: str) -> dict[str, str]:
        """Query parameters of `DELETE job/{id}`."""

    @abc.abstractmethod
    def cancel_status(self, job_id: int, reply: Mapping[str, Any]) -> JSON:
        """The `DeleteJobResp.Status` entry for a successful cancel."""


def as_mapping(value: Any) -> Mapping[str, Any]:
    """`value` if it is a JSON object, else an empty one (replies may omit or mistype keys)."""
    return value if isinstance(value, Mapping) else {}


def mappings(value: Any) -> list[Mapping[str, Any]]:
    """The JSON objects in `value` if it is a list, else none."""
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []
