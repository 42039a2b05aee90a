"""Building a listing reply so that one bad record is reported, not fatal to the whole call.

A backend record that does not fit the contract (an out-of-range number from an old state
file, a real slurmrestd's oddity) would otherwise make every `GetJobs` fail for everyone until
that record ages out. When the reply as a whole cannot be built, each listed record is tried on
its own; those that fail are left out and named in the reply's `warnings[]` (clients see them as
SLURM warnings), and the rest is served. The normal path costs nothing extra: records are only
tried one by one after the whole reply failed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from s3m_grpc.errors import S3MError

JSON = dict[str, Any]
T = TypeVar("T")
# What building/encoding a reply raises for a value the contract cannot carry.
BUILD_ERRORS = (S3MError, ValueError, OverflowError, TypeError)
SOURCE = "s3m-local"


def build_reporting_bad_records(build: Callable[[JSON], T], reply: JSON) -> T:
    """`build(reply)`; if that fails, `build` of the reply without the records that cannot be
    built, each named in `warnings[]`. Re-raises if the failure is not in a listed record."""
    try:
        return build(reply)
    except BUILD_ERRORS as exc:
        first = exc
    scalars = {k: v for k, v in reply.items() if not _is_listing(k, v)}
    out = dict(reply)
    warnings = list(reply.get("warnings") or [])
    for key, records in reply.items():
        if not _is_listing(key, records):
            continue
        kept = []
        for record in records:
            try:
                build({**scalars, key: [record]})
            except BUILD_ERRORS as exc:
                warnings.append({"description": _left_out(key, record, exc), "source": SOURCE})
                continue
            kept.append(record)
        out[key] = kept
    if len(warnings) == len(reply.get("warnings") or []):
        raise first  # no single record is to blame
    out["warnings"] = warnings
    return build(out)


def _is_listing(key: str, value: Any) -> bool:
    return isinstance(value, list) and key not in ("errors", "warnings")


def _left_out(key: str, record: Any, exc: Exception) -> str:
    what = key.removesuffix("s")
    if isinstance(record, dict) and (record.get("job_id") or record.get("name")):
        what += f" {record.get('job_id') or record.get('name')}"
    why = str(exc)
    why = why if len(why) <= 200 else why[:200] + "…"
    return f"{what} left out of this reply: its record cannot be encoded ({why})"
