"""slurmrestd's failures as the typed errors the sim backend raises for the same causes.

slurmrestd reports errors in several shapes (`{error, error_number, description, source}`,
`{error, errno}`, `{error, error_code}`, `{description, source}`), and answers HTTP 500 for a
job that does not exist. Here each entry becomes an `ErrorEntry`, and the SLURM error number
(not the HTTP status) decides the class: an unknown job is `NotFoundError` over gRPC and REST,
a refused submit is `InvalidRequestError`, a backend JWT that slurmrestd rejects is the
server's own fault (`UnavailableError`), never the caller's 401.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from s3m_grpc.errors import (
    ErrorEntry,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    S3MError,
    SlurmError,
    UnavailableError,
    UnsupportedVersionError,
)

# slurm_errno.h numbers (and the errno EPERM) that decide the error class.
EPERM = 1  # "Operation not permitted": signalling another user's job (Slurm 26.05)
ESLURM_INVALID_PARTITION_NAME = 2000
ESLURM_ACCESS_DENIED = 2002
ESLURM_JOB_SCRIPT_MISSING = 2009
ESLURM_INVALID_JOB_ID = 2017
ESLURM_INVALID_NODE_NAME = 2018
ESLURM_ALREADY_DONE = 2021
ESLURM_JOB_HELD = 2042
ESLURM_REST_FAIL_PARSING = 9001

NOT_FOUND = {ESLURM_INVALID_JOB_ID, ESLURM_INVALID_NODE_NAME}
DENIED = {EPERM, ESLURM_ACCESS_DENIED}


def entries(reply: Mapping[str, Any] | None) -> list[ErrorEntry]:
    """The `errors[]` of a reply (slurmrestd sends `[]` when all went well)."""
    raw = reply.get("errors") if isinstance(reply, Mapping) else None
    return [ErrorEntry.from_json(e) for e in raw] if isinstance(raw, list) else []


def status_entries(reply: Mapping[str, Any] | None) -> list[ErrorEntry]:
    """Failures inside a cancel reply's `status[]`: slurmrestd v0.0.42+ answers `DELETE
    job/{id}` with HTTP 200 and an empty `errors[]` even for an unknown job, and puts the
    failure (`{error: {code, string, message}, job_id, step_id}`) there instead."""
    raw = reply.get("status") if isinstance(reply, Mapping) else None
    out: list[ErrorEntry] = []
    for item in raw if isinstance(raw, list) else []:
        err = item.get("error") if isinstance(item, Mapping) else None
        if not isinstance(err, Mapping):
            continue
        code = err.get("code")
        if not isinstance(code, int) or isinstance(code, bool) or code == 0:
            continue
        text = str(err.get("string") or err.get("message") or "")
        out.append(ErrorEntry(code, text, "slurm_kill_job", str(err.get("message") or text)))
    return out


def warnings(reply: Mapping[str, Any] | None) -> list[dict[str, str]]:
    """The `warnings[]` of a reply in the contract's WarningResp shape."""
    raw = reply.get("warnings") if isinstance(reply, Mapping) else None
    if not isinstance(raw, list):
        return []
    return [
        {
            "warning": str(w.get("warning") or ""),
            "source": str(w.get("source") or ""),
            "description": str(w.get("description") or ""),
        }
        for w in raw
        if isinstance(w, Mapping)
    ]


def as_warnings(errs: Iterable[ErrorEntry]) -> list[dict[str, str]]:
    """Errors slurmrestd attached to a call that still succeeded (a held job), as warnings."""
    return [{"warning": e.error, "source": e.source, "description": e.description} for e in errs]


def _summary(errs: Sequence[ErrorEntry]) -> str:
    return "; ".join(str(e) for e in errs[:3])


def failure(
    status: int, errs: Sequence[ErrorEntry], *, what: str, submit: bool = False
) -> S3MError:
    """The typed error for a failed slurmrestd call (`what` names the operation)."""
    numbers = {e.error_number for e in errs}
    text = _summary(errs)
    if numbers & NOT_FOUND:
        return NotFoundError(f"{what}: {text}", errors=errs)
    if numbers & DENIED:
        return PermissionDeniedError(f"{what}: {text}", errors=errs)
    if status == 401:
        return UnavailableError(
            f"{what}: slurmrestd rejected the server's SLURM credentials (HTTP 401): renew the "
            "backend's JWT (`scontrol token`) or fix its `user`"
        )
    if status == 404:
        return UnsupportedVersionError(
            f"{what}: slurmrestd does not serve this path (HTTP 404): check the backend's "
            "`openapi_version` against `slurmrestd -s list`"
        )
    if submit or ESLURM_ALREADY_DONE in numbers or (400 <= status < 500 and errs):
        return InvalidRequestError(f"{what}: {text or f'HTTP {status}'}", errors=errs)
    if status in (502, 503, 504):
        return UnavailableError(f"{what}: slurmrestd answered HTTP {status}", errors=errs)
    return SlurmError(f"{what}: {text or f'slurmrestd answered HTTP {status}'}", errors=errs)
