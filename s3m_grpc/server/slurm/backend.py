"""`SlurmBackend`: the local server's backend over a real SLURM, through slurmrestd.

It asks slurmrestd (JWT auth) for everything and hands the server dicts in the contract's
v0.0.44 shape; the `Dialect` for the slurmrestd API version in use (configured, or the newest
one both sides know, read from slurmrestd's OpenAPI document) does the translating.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from s3m_grpc.errors import ErrorEntry, UnsupportedVersionError
from s3m_grpc.server.backend import JSON, Backend, SubmitRequest, SubmitResult
from s3m_grpc.server.sandbox import Sandbox
from s3m_grpc.server.slurm import faults
from s3m_grpc.server.slurm.dialect import Dialect
from s3m_grpc.server.slurm.options import SlurmOptions
from s3m_grpc.server.slurm.paths import REPLY_DB_KEYS, REPLY_JOB_KEYS, JobPaths
from s3m_grpc.server.slurm.rest import SlurmRest
from s3m_grpc.server.slurm.v0038 import V0038
from s3m_grpc.server.slurm.v004x import VERSIONS as V004X_VERSIONS
from s3m_grpc.server.slurm.v004x import V004x

DIALECTS: dict[str, Callable[[], Dialect]] = {
    "v0.0.38": V0038,
    **{v: partial(V004x, v) for v in V004X_VERSIONS},
}


class SlurmBackend(Backend):
    """A real SLURM cluster behind slurmrestd (options: the server's `[backend]` table)."""

    name = "slurm"

    def __init__(self, options: Mapping[str, Any], sandbox: Sandbox | None = None) -> None:
        self.options = SlurmOptions.parse(options)
        self._own_sandbox: Sandbox | None = None
        if self.options.path_root is not None:
            sandbox = self._own_sandbox = Sandbox(self.options.path_root)
        self.paths = JobPaths(sandbox, self.options.workdir)
        self.rest = SlurmRest(self.options)
        self._dialect: Dialect | None = None
        self._accounts: bool | None = None
        self._meta: JSON | None = None
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"SlurmBackend(url={self.options.url!r}, user={self.options.user!r})"

    async def start(self) -> None:
        await self.ping()

    async def close(self) -> None:
        await self.rest.close()
        if self._own_sandbox is not None:
            self._own_sandbox.close()

    async def dialect(self) -> Dialect:
        """The translation module for the slurmrestd version in use (detected once)."""
        if self._dialect is not None:
            return self._dialect
        async with self._lock:
            if self._dialect is None:
                version = self.options.openapi_version
                if version is None:
                    served = await self.rest.served_versions()
                    known = [v for v in served if v in DIALECTS]
                    if not known:
                        raise UnsupportedVersionError(
                            f"slurmrestd at {self.options.url} serves {served or 'no known'} "
                            f"API versions; this backend speaks {', '.join(DIALECTS)}"
                        )
                    version = known[-1]
                if version not in DIALECTS:
                    raise UnsupportedVersionError(
                        f"slurm backend openapi_version {version!r} is not supported; "
                        f"use one of {', '.join(DIALECTS)}"
                    )
                self._dialect = DIALECTS[version]()
        return self._dialect

    async def _get(self, tail: str, what: str) -> tuple[Dialect, JSON]:
        d = await self.dialect()
        reply = await self.rest.request("GET", d.path(tail), what=what)
        self._remember_meta(d, reply)
        return d, reply

    def _remember_meta(self, d: Dialect, reply: Mapping[str, Any]) -> None:
        if self._meta is None and isinstance(reply.get("meta"), Mapping):
            self._meta = d.meta(reply, self.options.cluster)

    def _cluster(self) -> str:
        """The `cluster` option, else the name slurmrestd reports (v0.0.42 on)."""
        if self.options.cluster:
            return self.options.cluster
        return str(((self._meta or {}).get("slurm") or {}).get("cluster") or "")

    async def meta(self) -> JSON:
        if self._meta is None:
            await self.ping()
        return dict(self._meta or {})

    async def ping(self) -> list[JSON]:
        d = await self.dialect()
        began = time.perf_counter()
        reply = await self.rest.request("GET", d.path("ping"), what="pinging slurmctld")
        latency_us = int((time.perf_counter() - began) * 1e6)
        self._remember_meta(d, reply)
        return d.pings(reply, latency_us)

    async def diag(self) -> JSON:
        d, reply = await self._get("diag", "reading scheduler statistics")
        return d.diag(reply)

    async def partitions(self) -> list[JSON]:
        d, reply = await self._get("partitions", "listing partitions")
        return d.partitions(reply, self._cluster())

    async def nodes(self) -> list[JSON]:
        d, reply = await self._get("nodes", "listing nodes")
        return d.nodes(reply, self._cluster())

    async def reservations(self) -> list[JSON]:
        d, reply = await self._get("reservations", "listing reservations")
        return d.reservations(reply)

    async def jobs(self) -> list[JSON]:
        d, reply = await self._get("jobs", "listing jobs")
        return [self.paths.reply(j, REPLY_JOB_KEYS) for j in d.jobs(reply)]

    async def _accounting(self, d: Dialect) -> bool:
        """Whether GetJob can read slurmdbd's record: slurmrestd serves this version's
        `/slurmdb/vX/job/{job_id}` (`openapi/slurmdbd`, with slurmdbd behind it)."""
        if self._accounts is None:
            paths = await self.rest.openapi_paths()
            self._accounts = d.accounting and d.db_path("job/{job_id}") in paths
        return self._accounts

    async def job(self, job_id: int) -> list[JSON]:
        d = await self.dialect()
        if await self._accounting(d):
            accounted = await self.rest.request(
                "GET", d.db_path(f"job/{job_id}"), what=f"reading job {job_id}'s accounting"
            )
            found = [self.paths.reply(j, REPLY_DB_KEYS) for j in d.accounted_jobs(accounted)]
            if found:
                return found
            # Not recorded yet (slurmctld reports a job to slurmdbd a moment after submit), or
            # unknown: the controller's record answers, or says the job does not exist.
        d, reply = await self._get(f"job/{job_id}", f"reading job {job_id}")
        found = [self.paths.reply(j, REPLY_DB_KEYS) for j in d.db_jobs(reply, int(time.time()))]
        if not found:
            errs = faults.entries(reply) or [
                ErrorEntry(
                    faults.ESLURM_INVALID_JOB_ID,
                    "Invalid job id specified",
                    "slurm_load_job",
                    f"Unable to find JobId={job_id}",
                )
            ]
            raise faults.failure(500, errs, what=f"reading job {job_id}")
        return found

    async def submit(self, request: SubmitRequest) -> SubmitResult:
        d = await self.dialect()
        jobs = [self.paths.request(j) for j in request.jobs]
        body = d.submit_body(request.script, jobs, self.options)
        # Sent once: a lost reply is reported, never retried (no job is submitted twice).
        reply = await self.rest.request(
            "POST", d.path("job/submit"), what="submitting the job", body=body, submit=True
        )
        self._remember_meta(d, reply)
        return d.submit_result(reply)

    async def cancel(self, job_id: int, signal: str, flags: str) -> JSON:
        d = await self.dialect()
        params = d.cancel_params(signal, flags)
        reply = await self.rest.request(
            "DELETE", d.path(f"job/{job_id}"), what=f"cancelling job {job_id}", params=params
        )
        errs = faults.entries(reply) + faults.status_entries(reply)
        if errs:
            raise faults.failure(500, errs, what=f"cancelling job {job_id}")
        return d.cancel_status(job_id, reply)
