"""Realistic large replies (GetJobs with N jobs) for benchmarks and codec tests.

A busy cluster's `GetJobs` reply fills most fields of every job the way slurmrestd does: the
"no value" wrappers set, a dozen strings (name, user, paths, node lists) and many empty ones.
Built with upb from the descriptors, deterministic for a seed, for any API version.
"""

from __future__ import annotations

import random
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message as UpbMessage

_STATES = ("RUNNING", "PENDING", "COMPLETED", "FAILED", "CANCELLED")
_WORDS = ("alpha", "beta", "gamma", "delta", "omega", "lustre", "orion", "frontier")
_NAMED: dict[str, Any] = {
    "account": lambda r, i: f"STF{r.randrange(1, 999):03d}",
    "partition": lambda r, i: r.choice(("batch", "batch-cpu", "debug", "gpu")),
    "user_name": lambda r, i: f"user{r.randrange(1000)}",
    "group_name": lambda r, i: f"grp{r.randrange(100)}",
    "name": lambda r, i: f"{r.choice(_WORDS)}-{r.choice(_WORDS)}-{i}",
    "nodes": lambda r, i: f"node[{r.randrange(1, 500):03d}-{r.randrange(500, 999):03d}]",
    "cluster": lambda r, i: "defiant",
    "command": lambda r, i: f"/lustre/orion/stf040/scratch/user/run-{i}.sh",
    "current_working_directory": lambda r, i: "/lustre/orion/stf040/scratch/user",
    "standard_output": lambda r, i: f"/lustre/orion/stf040/scratch/user/slurm-{i}.out",
    "standard_error": lambda r, i: f"/lustre/orion/stf040/scratch/user/slurm-{i}.err",
    "standard_input": lambda r, i: "/dev/null",
    "qos": lambda r, i: "normal",
    "batch_host": lambda r, i: f"node{r.randrange(1, 999):03d}",
    "state_reason": lambda r, i: r.choice(("None", "Priority", "Resources")),
    "tres_req_str": lambda r, i: "cpu=32,mem=64G,node=1,billing=32",
    "tres_alloc_str": lambda r, i: "cpu=32,mem=64G,node=1,billing=32",
    "job_state": lambda r, i: [r.choice(_STATES)],
    "flags": lambda r, i: ["CRON_JOB"] if r.random() < 0.1 else [],
}


def _fill(msg: UpbMessage, rnd: random.Random, index: int, depth: int) -> None:
    desc: Any = msg.DESCRIPTOR
    for f in desc.fields:
        named = _NAMED.get(f.name)
        if named is not None and f.type == FieldDescriptor.TYPE_STRING:
            value = named(rnd, index)
            if f.is_repeated:
                getattr(msg, f.name).extend(value)
            else:
                setattr(msg, f.name, value)
        elif f.type == FieldDescriptor.TYPE_MESSAGE:
            if depth >= 3 or rnd.random() < 0.2:
                continue
            if f.is_repeated:
                if f.message_type.name in ("ErrorResp", "WarningResp"):
                    continue
                _fill(getattr(msg, f.name).add(), rnd, index, depth + 1)
            else:
                sub = getattr(msg, f.name)
                sub.SetInParent()
                _fill(sub, rnd, index, depth + 1)
        elif f.is_repeated:
            if rnd.random() < 0.3:
                getattr(msg, f.name).append(_scalar(f, rnd, index))
        elif rnd.random() < 0.6:
            setattr(msg, f.name, _scalar(f, rnd, index))


def _scalar(f: Any, rnd: random.Random, index: int) -> Any:
    t = f.type
    if t == FieldDescriptor.TYPE_STRING:
        return "" if rnd.random() < 0.7 else f"{rnd.choice(_WORDS)}{rnd.randrange(100)}"
    if t == FieldDescriptor.TYPE_BOOL:
        return rnd.random() < 0.5
    if t in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return float(rnd.randrange(1000)) / 4
    if t in (FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT64):
        return 1_790_000_000 + rnd.randrange(10_000_000)
    return rnd.randrange(1, 5000)


def jobs_reply_upb(upb_cls: type[UpbMessage], jobs: int, seed: int = 0) -> UpbMessage:
    """A `JobsResp` (upb class `upb_cls`) holding `jobs` filled jobs with ids 1..jobs."""
    rnd = random.Random(seed)
    reply = upb_cls()
    meta = reply.meta  # type: ignore[attr-defined]
    meta.SetInParent()
    _fill(meta, rnd, 0, 1)
    for i in range(1, jobs + 1):
        job = reply.jobs.add()  # type: ignore[attr-defined]
        _fill(job, rnd, i, 1)
        job.job_id = i
    return reply
