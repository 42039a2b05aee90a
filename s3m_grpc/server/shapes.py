"""Adapting backend replies (v0.0.44 shape) to the wire shape of each API version.

Backends answer once, in the v0.0.44 shape; versions whose registry row says
`older_field_names` (v0.0.42/43) differ in a few renamed fields, and those without
`slurm_version_as_text` carry the slurm version as numbers (the contract README's diff lists).
`adapt` rewrites those (copying only the dicts it
changes, so the backend's dicts are never modified and a 10,000-job reply is not deep-copied),
then `to_message`
builds the versioned reply with the contract's JSON names; keys a version does not have are
dropped there (tolerant parsing), so additions in v0.0.44 need no rule here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import betterproto2

from s3m_grpc import jsoncodec, versions

JSON = dict[str, Any]
M = TypeVar("M", bound=betterproto2.Message)


def to_message(cls: type[M], version: str, method: str, reply: JSON) -> M:
    """The versioned reply message for a v0.0.44-shaped reply dict."""
    return jsoncodec.from_dict(cls, adapt(version, method, reply))


def adapt(version: str, method: str, reply: JSON) -> JSON:
    """`reply` (v0.0.44 shape) in the shape of `version`; `reply` itself is left as it was."""
    api = versions.get(version)
    out = dict(reply)
    meta = out.get("meta")
    if isinstance(meta, dict):
        out["meta"] = _meta(api, meta)
    rule = _RULES.get(method) if api.older_field_names else None
    if rule is not None:
        rule(out)
    return out


def _meta(api: versions.ApiVersion, meta: JSON) -> JSON:
    """slurmrestd names the data parser of the version asked for (`data_parser/v0.0.43`);
    some versions carry the slurm version as int32s, later ones as strings."""
    meta = dict(meta)
    plugin = meta.get("plugin")
    if isinstance(plugin, dict) and str(plugin.get("data_parser", "")).startswith("data_parser/"):
        meta["plugin"] = {**plugin, "data_parser": f"data_parser/{api.name}"}
    slurm = meta.get("slurm")
    numbered = not api.slurm_version_as_text and isinstance(slurm, dict)
    if numbered and isinstance(slurm, dict) and isinstance(slurm.get("version"), dict):
        ver = {
            k: _int(v) if k in ("major", "minor", "micro") else v
            for k, v in slurm["version"].items()
        }
        meta["slurm"] = {**slurm, "version": ver}
    return meta


def _int(value: Any) -> int:
    try:
        return int(str(value).strip() or 0)
    except ValueError:
        return 0


def _renamed(obj: Any, new: str, old: str) -> Any:
    """A copy of dict `obj` with key `new` called `old` (obj itself if it has no `new`)."""
    if not isinstance(obj, dict) or new not in obj:
        return obj
    out = dict(obj)
    out[old] = out.pop(new)
    return out


def _each(reply: JSON, key: str, change: Callable[[JSON], JSON]) -> None:
    items = reply.get(key)
    if isinstance(items, list):
        reply[key] = [change(item) if isinstance(item, dict) else item for item in items]


def _nested(obj: JSON, path: tuple[str, ...], change: Callable[[Any], Any]) -> JSON:
    """A copy of `obj` whose value at `path` went through `change` (copies only that path)."""
    head, rest = path[0], path[1:]
    if head not in obj:
        return obj
    out = dict(obj)
    value = out[head]
    if rest:
        out[head] = _nested(value, rest, change) if isinstance(value, dict) else value
    else:
        out[head] = change(value)
    return out


def _partitions(reply: JSON) -> None:
    _each(
        reply,
        "partitions",
        lambda p: _nested(
            p, ("nodes",), lambda n: _renamed(n, "allowed_allocation", "allowed_configuration")
        ),
    )


def _diag(reply: JSON) -> None:
    stats = reply.get("statistics")
    if isinstance(stats, dict):
        reply["statistics"] = _nested(
            stats,
            ("schedule_exit",),
            lambda s: _renamed(s, "default_queue_depth", "defult_queue_depth"),
        )


def _jobs(reply: JSON) -> None:
    _each(
        reply,
        "jobs",
        lambda j: _nested(
            j, ("job_resources", "nodes"), lambda n: _renamed(n, "select_type", "job_resources")
        ),
    )


def _job(reply: JSON) -> None:
    # ProcessExitCodeVerbose / Step.StepInfo have the same JSON layout as the older
    # ExitCode / Step.Step, so only the misspelt group field changes.
    _each(reply, "jobs", lambda j: _renamed(j, "group", "gruop"))


def _reservations(reply: JSON) -> None:
    def change(r: JSON) -> JSON:
        out = dict(r)
        specs = out.get("core_specializations")
        if isinstance(specs, list):
            out["core_specializations"] = [_core_spec(s) for s in specs]
        purge = out.get("purge_completed")
        if isinstance(purge, dict) and "time" in purge:
            out["purge_completed"] = purge["time"]
        return out

    _each(reply, "reservations", change)


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
