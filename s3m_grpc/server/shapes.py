"""Adapting backend replies (v0.0.44 shape) to the wire shape of each API version.

Backends answer once, in the v0.0.44 shape; v0.0.42/43 differ in a few renamed or retyped
fields (the contract README's diff lists). `adapt` rewrites those in a copy, then `to_message`
builds the versioned reply with the contract's JSON names; keys a version does not have are
dropped there (tolerant parsing), so additions in v0.0.44 need no rule here.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar

import betterproto2

from s3m_grpc import jsoncodec

JSON = dict[str, Any]
M = TypeVar("M", bound=betterproto2.Message)

OLD = frozenset({"v0.0.42", "v0.0.43"})


def to_message(cls: type[M], version: str, method: str, reply: JSON) -> M:
    """The versioned reply message for a v0.0.44-shaped reply dict."""
    return jsoncodec.from_dict(cls, adapt(version, method, reply))


def adapt(version: str, method: str, reply: JSON) -> JSON:
    """A copy of `reply` (v0.0.44 shape) in the shape of `version`."""
    out = copy.deepcopy(reply)
    _data_parser(version, out.get("meta"))
    if version not in OLD:
        return out
    _meta(version, out.get("meta"))
    rule = _RULES.get(method)
    if rule is not None:
        rule(out)
    return out


def _data_parser(version: str, meta: Any) -> None:
    """slurmrestd names the data parser of the version asked for (`data_parser/v0.0.43`)."""
    plugin = meta.get("plugin") if isinstance(meta, dict) else None
    if isinstance(plugin, dict) and str(plugin.get("data_parser", "")).startswith("data_parser/"):
        plugin["data_parser"] = f"data_parser/{version}"


def _meta(version: str, meta: Any) -> None:
    """v0.0.42 carries the slurm version as int32s; v0.0.43+ as strings."""
    if not isinstance(meta, dict) or version != "v0.0.42":
        return
    ver = meta.get("slurm", {}).get("version")
    if isinstance(ver, dict):
        for key in ("major", "minor", "micro"):
            if key in ver:
                ver[key] = _int(ver[key])


def _int(value: Any) -> int:
    try:
        return int(str(value).strip() or 0)
    except ValueError:
        return 0


def _rename(obj: Any, new: str, old: str) -> None:
    if isinstance(obj, dict) and new in obj:
        obj[old] = obj.pop(new)


def _partitions(reply: JSON) -> None:
    for p in reply.get("partitions", ()):
        _rename(p.get("nodes"), "allowed_allocation", "allowed_configuration")


def _diag(reply: JSON) -> None:
    _rename(
        reply.get("statistics", {}).get("schedule_exit"),
        "default_queue_depth",
        "defult_queue_depth",
    )


def _jobs(reply: JSON) -> None:
    for j in reply.get("jobs", ()):
        _rename(j.get("job_resources", {}).get("nodes"), "select_type", "job_resources")


def _job(reply: JSON) -> None:
    # ProcessExitCodeVerbose / Step.StepInfo have the same JSON layout as the older
    # ExitCode / Step.Step, so only the misspelt group field changes.
    for j in reply.get("jobs", ()):
        _rename(j, "group", "gruop")


def _reservations(reply: JSON) -> None:
    for r in reply.get("reservations", ()):
        specs = r.get("core_specializations")
        if isinstance(specs, list):
            r["core_specializations"] = [_core_spec(s) for s in specs]
        purge = r.get("purge_completed")
        if isinstance(purge, dict) and "time" in purge:
            r["purge_completed"] = purge["time"]


def _core_spec(spec: Any) -> str:
    if isinstance(spec, dict):
        node, core = spec.get("node", ""), spec.get("core", "")
        return f"{node}:{core}" if node and core else str(node or core)
    return str(spec)


_RULES: dict[str, Callable[[JSON], None]] = {
    "GetPartitions": _partitions,
    "GetDiag": _diag,
    "GetJobs": _jobs,
    "GetJob": _job,
    "GetReservations": _reservations,
}
