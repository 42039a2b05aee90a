"""Turn `JobOptions` into a job description dict with the contract's JSON names.

The dict is the same for every API version (the job description fields the CLI sets did not
change between v0.0.42 and v0.0.44), so the versioned message is built from it by
`s3m_grpc.jsoncodec.from_dict` at the last moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from s3m_grpc.cli.sbatch import JobOptions

# PATH a job gets unless the user sends one (slurmrestd also refuses an empty environment).
DEFAULT_PATH = "/bin:/usr/bin:/usr/local/bin"
# Never copied into a job by --export-env: the S3M token must not travel to the cluster.
NEVER_EXPORTED = frozenset({"S3M_TOKEN", "S3M_TOKEN_COMMAND"})


def environment(options: JobOptions, local_env: Mapping[str, str], export_all: bool) -> list[str]:
    """The job's `environment`: local variables (if `export_all`), then named, then `K=V`.

    Later entries win over earlier ones with the same name; the result keeps one entry per name
    and always has a PATH.
    """
    merged: dict[str, str] = {}
    if export_all:
        merged.update((k, v) for k, v in local_env.items() if k not in NEVER_EXPORTED)
    for name in options.export_names:
        if name in local_env:
            merged[name] = local_env[name]
    for pair in options.environment:
        name, _, value = pair.partition("=")
        merged[name] = value
    if "PATH" not in merged:  # a job without PATH finds no srun; the S3M docs send one too
        merged = {"PATH": DEFAULT_PATH, **merged}
    return [f"{k}={v}" for k, v in merged.items()]


def job_description(
    options: JobOptions,
    *,
    local_env: Mapping[str, str],
    export_all: bool = False,
    default_chdir: str | None = None,
) -> dict[str, Any]:
    """The `job` of a JobSubmitReq as a contract-JSON dict (script is sent beside it)."""
    desc: dict[str, Any] = {"environment": environment(options, local_env, export_all)}
    simple = {
        "account": options.account,
        "partition": options.partition,
        "name": options.name,
        "nodes": options.nodes,
        "tasks": options.tasks,
        "cpus_per_task": options.cpus_per_task,
        "current_working_directory": options.chdir or default_chdir,
        "standard_output": options.output,
        "standard_error": options.error,
    }
    desc.update({k: v for k, v in simple.items() if v is not None})
    if options.time_limit is not None:
        if options.time_limit.minutes is None:
            desc["time_limit"] = {"set": True, "infinite": True, "number": 0}
        else:
            desc["time_limit"] = {
                "set": True,
                "infinite": False,
                "number": options.time_limit.minutes,
            }
    return desc
