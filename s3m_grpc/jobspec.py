"""One job model: `JobSpec`, filled from keywords, `#SBATCH` lines or CLI flags, and the one
request builder that turns it into any API version's `JobSubmitReq`.

slurmrestd does not read `#SBATCH` lines, so the client must, the way sbatch does: directives fill
a `JobSpec`, keywords (or the command line's flags) win over them (`merge`), and directives the
S3M contract cannot carry (`--array`, `--dependency`, ...) stay in the script and are named on
`JobSpec.unsupported` (and in a `JobDirectiveWarning` when the library submits). The library,
the `s3m` command and the tests all build requests here, so the same job gives the same bytes.

The fields are those of the contract's `JobSubmitReq.JobDescription` (the same 38 in v0.0.42,
v0.0.43 and v0.0.44), with Python types: a `TimeLimit` for limits (given as minutes, `timedelta`
or SLURM text), `dict[str, str]` for the environment, MiB for memory (the contract's unit, and
sbatch's when `--mem` has no suffix; text such as `4G` is read as sbatch reads it), an aware
`datetime` for `begin_time`. Values are checked on construction (ranges of the contract's int32
and uint32 fields, one-line text), so a bad job fails before anything is sent.

Messages and the JSON codec are imported only to build a request: `s3m submit --help` must not
load grpc or the message modules.
"""

from __future__ import annotations

import os
import re
import shlex
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from s3m_grpc.errors import InvalidRequestError
from s3m_grpc.slurmtime import TimeInput, TimeLimit, parse_begin, time_limit

if TYPE_CHECKING:
    import betterproto2

# PATH a job gets unless it is given one (a job without PATH finds no srun, and slurmrestd refuses
# an empty environment).
DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"
# Never copied from the submitting environment into a job: the S3M token must not travel.
NEVER_EXPORTED = frozenset({"S3M_TOKEN", "S3M_TOKEN_COMMAND"})
MAX_INT32 = 2**31 - 1
MAX_UINT32 = 0xFFFFFFFE  # 0xFFFFFFFF is SLURM's INFINITE/NO_VAL
MAX_UINT64 = 0xFFFFFFFFFFFFFFFE
_KIB_PER_UNIT = {"K": 1, "M": 1024, "G": 1024**2, "T": 1024**3}
_MEMORY = re.compile(r"([0-9]{1,19})([KMGT]?)", re.IGNORECASE)
_NODES = re.compile(r"[0-9]+(-[0-9]+)?|[0-9]+(,[0-9]+)*(:[0-9]+)?")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_EXPORT_WORDS = frozenset({"ALL", "NONE", "NIL"})


class JobDirectiveWarning(UserWarning):
    """`#SBATCH` directives the S3M contract cannot carry were left to the script (not applied)."""


class SubmitApi(Protocol):
    """What the request builder needs of an API version (a `s3m_grpc.versions.ApiVersion`)."""

    @property
    def name(self) -> str: ...

    @property
    def module(self) -> ModuleType: ...

    @property
    def heterogeneous_submit(self) -> bool: ...


# -- value checks, one per kind of field; `label` names the field or option in messages ----------


def _text(label: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidRequestError(f"{label} must be text, got {value!r}")
    if not value.strip():
        raise InvalidRequestError(f"{label} needs a non-empty value")
    if any(c in value for c in "\n\r\x00"):
        raise InvalidRequestError(f"{label} must be one line")
    return value


def _whole(label: str, value: object, low: int, high: int) -> int:
    if isinstance(value, str):
        text = value.strip()
        number = int(text) if text.isascii() and text.isdigit() else None
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        number = None
    if number is None or not low <= number <= high:
        raise InvalidRequestError(
            f"invalid {label} {value!r}; use a whole number from {low} to {high}"
        )
    return number


def _count(label: str, value: object) -> int:
    """A positive int32 count (tasks, CPUs, nodes, ...)."""
    return _whole(label, value, 1, MAX_INT32)


def _uint32(label: str, value: object) -> int:
    return _whole(label, value, 0, MAX_UINT32)


def _memory(label: str, value: object) -> int:
    """MiB from a number of MiB or sbatch's `<size>[K|M|G|T]` (no suffix: MiB)."""
    if isinstance(value, str):
        match = _MEMORY.fullmatch(value.strip())
        if match is None:
            raise InvalidRequestError(
                f"invalid {label} {value!r}; use a size such as 4096, 500M, 4G or 1T"
            )
        kib = int(match.group(1)) * _KIB_PER_UNIT[match.group(2).upper() or "M"]
        value = -(-kib // 1024)  # K rounds up to whole MiB
    return _whole(label, value, 0, MAX_UINT64)


def _flag(label: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip() in ("0", "1"):
        return value.strip() == "1"
    raise InvalidRequestError(f"invalid {label} {value!r}; use 0 or 1")


def _begin(label: str, value: object) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone()
    if isinstance(value, str):
        return parse_begin(value)
    raise InvalidRequestError(f"invalid {label} {value!r}; use a datetime or sbatch --begin text")


def _time(label: str, value: object) -> TimeLimit:
    if not isinstance(value, int | float | str | timedelta | TimeLimit):
        raise InvalidRequestError(
            f"invalid {label} {value!r}: use minutes, a timedelta or SLURM text"
        )
    return time_limit(value, "minimum time" if "min" in label else "time limit")


def _nodes(label: str, value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(_count(label, value))
    if not isinstance(value, str) or not _NODES.fullmatch(value.strip()):
        raise InvalidRequestError(
            f"invalid {label} {value!r}; use a count like 2 or a range like 1-4"
        )
    return value.strip()


def _environment(label: str, value: object) -> dict[str, str]:
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes):
        items = []
        for entry in value:
            if not isinstance(entry, str) or "=" not in entry:
                raise InvalidRequestError(f"invalid {label} entry {entry!r}: expected NAME=value")
            name, _, text = entry.partition("=")
            items.append((name, text))
    else:
        raise InvalidRequestError(f"{label} must be a mapping or a list of 'NAME=value' strings")
    for name, text in items:
        if not isinstance(name, str) or not name or "=" in name or "\x00" in name:
            raise InvalidRequestError(f"invalid {label} variable name {name!r}")
        if not isinstance(text, str) or "\x00" in text:
            raise InvalidRequestError(
                f"invalid {label} value for {name}: {text!r} (text without NUL)"
            )
    return dict(items)


def _script(label: str, value: object) -> str:
    # Checked for a shebang when a request is built: a spec may get its script later.
    if not isinstance(value, str):
        raise InvalidRequestError(f"{label} must be text, got {type(value).__name__}")
    return value


# Every field, in the contract's order, with the check that normalises its value.
_CHECKS: Mapping[str, Callable[[str, Any], Any]] = {
    "script": _script,
    "account": _text,
    "begin_time": _begin,
    "comment": _text,
    "environment": _environment,
    "licenses": _text,
    "name": _text,
    "tasks": _count,
    "partition": _text,
    "distribution_plane_size": _uint32,
    "priority": _uint32,
    "qos": _text,
    "reservation": _text,
    "time_limit": _time,
    "time_minimum": _time,
    "wait_all_nodes": _flag,
    "current_working_directory": _text,
    "cpus_per_task": _count,
    "minimum_cpus": _count,
    "maximum_cpus": _count,
    "nodes": _nodes,
    "minimum_nodes": _count,
    "maximum_nodes": _count,
    "minimum_boards_per_node": _count,
    "minimum_sockets_per_board": _count,
    "sockets_per_node": _count,
    "threads_per_core": _count,
    "tasks_per_node": _count,
    "tasks_per_socket": _count,
    "tasks_per_core": _count,
    "tasks_per_board": _count,
    "ntasks_per_tres": _count,
    "minimum_cpus_per_node": _count,
    "memory_per_cpu": _memory,
    "memory_per_node": _memory,
    "standard_input": _text,
    "standard_output": _text,
    "standard_error": _text,
}
# The contract fields carried as `{"set": true, "number": N}` (Uint32NoVal / Uint64NoVal).
_NOVAL = frozenset({"distribution_plane_size", "priority", "memory_per_cpu", "memory_per_node"})


@dataclass(frozen=True, init=False, slots=True)
class JobSpec:
    """A batch job, version-neutral: every field of the contract's job description.

    `None` (or an empty environment) means "not given": SLURM's default applies. Build one from
    keywords, `JobSpec.from_script(text)` or `JobSpec.from_options(...)`; combine with `merge`.
    """

    script: str | None
    account: str | None
    begin_time: datetime | None
    comment: str | None
    environment: dict[str, str]
    licenses: str | None
    name: str | None
    tasks: int | None
    partition: str | None
    distribution_plane_size: int | None
    priority: int | None
    qos: str | None
    reservation: str | None
    time_limit: TimeLimit | None
    time_minimum: TimeLimit | None
    wait_all_nodes: bool | None
    current_working_directory: str | None
    cpus_per_task: int | None
    minimum_cpus: int | None
    maximum_cpus: int | None
    nodes: str | None
    minimum_nodes: int | None
    maximum_nodes: int | None
    minimum_boards_per_node: int | None
    minimum_sockets_per_board: int | None
    sockets_per_node: int | None
    threads_per_core: int | None
    tasks_per_node: int | None
    tasks_per_socket: int | None
    tasks_per_core: int | None
    tasks_per_board: int | None
    ntasks_per_tres: int | None
    minimum_cpus_per_node: int | None
    memory_per_cpu: int | None
    memory_per_node: int | None
    standard_input: str | None
    standard_output: str | None
    standard_error: str | None
    # `#SBATCH` options read from the script that the contract cannot carry (not a job field).
    unsupported: tuple[str, ...] = field(default=(), compare=False)

    def __init__(
        self,
        *,
        script: str | None = None,
        account: str | None = None,
        begin_time: datetime | str | None = None,
        comment: str | None = None,
        environment: Mapping[str, str] | Iterable[str] | None = None,
        licenses: str | None = None,
        name: str | None = None,
        tasks: int | None = None,
        partition: str | None = None,
        distribution_plane_size: int | None = None,
        priority: int | None = None,
        qos: str | None = None,
        reservation: str | None = None,
        time_limit: TimeInput | None = None,
        time_minimum: TimeInput | None = None,
        wait_all_nodes: bool | None = None,
        current_working_directory: str | None = None,
        cpus_per_task: int | None = None,
        minimum_cpus: int | None = None,
        maximum_cpus: int | None = None,
        nodes: int | str | None = None,
        minimum_nodes: int | None = None,
        maximum_nodes: int | None = None,
        minimum_boards_per_node: int | None = None,
        minimum_sockets_per_board: int | None = None,
        sockets_per_node: int | None = None,
        threads_per_core: int | None = None,
        tasks_per_node: int | None = None,
        tasks_per_socket: int | None = None,
        tasks_per_core: int | None = None,
        tasks_per_board: int | None = None,
        ntasks_per_tres: int | None = None,
        minimum_cpus_per_node: int | None = None,
        memory_per_cpu: int | str | None = None,
        memory_per_node: int | str | None = None,
        standard_input: str | None = None,
        standard_output: str | None = None,
        standard_error: str | None = None,
        unsupported: Iterable[str] = (),
    ) -> None:
        given = locals()
        for name_, check in _CHECKS.items():
            value = given[name_]
            if value is not None:
                value = check(name_, value)
            elif name_ == "environment":
                value = {}
            object.__setattr__(self, name_, value)
        object.__setattr__(self, "unsupported", tuple(dict.fromkeys(unsupported)))

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def from_script(cls, script: str, *, environ: Mapping[str, str] | None = None) -> JobSpec:
        """A spec from a batch script's `#SBATCH` lines, keeping the script.

        Read as sbatch reads them: only lines starting `#SBATCH` in the first column, before the
        first command; `-A x`, `-Ax`, `--account=x`, `--account x`, shell quoting and trailing
        `# comments`. Names in `--export` without a value take it from `environ` (default:
        this process's environment; never S3M_TOKEN). Directives the contract cannot carry are
        listed on `unsupported`. A bad directive raises `InvalidRequestError` naming its line.
        """
        _script("script", script)
        if "\x00" in script:
            raise InvalidRequestError("the batch script contains NUL bytes; is it a binary file?")
        values: dict[str, tuple[str, int]] = {}
        unknown: list[str] = []
        for number, text in directive_lines(script):
            try:
                words = shlex.split(text, comments=True)
            except ValueError as exc:
                raise InvalidRequestError(
                    f"script line {number}: cannot split #SBATCH {text!r}: {exc}"
                ) from None
            for option, value in _option_pairs(words, number, unknown):
                values[option] = (value, number)
        spec = _from_text(values, environ)
        return replace(spec, script=script, unsupported=tuple(unknown))

    @classmethod
    def from_options(
        cls, options: Mapping[str, str | None], *, environ: Mapping[str, str] | None = None
    ) -> JobSpec:
        """A spec from sbatch options as text, keyed by long name (`{"ntasks": "4"}`); None
        values are skipped. The command line's flags come in this way."""
        values: dict[str, tuple[str, int]] = {}
        for option, value in options.items():
            if value is None:
                continue
            if option not in _BY_LONG:
                raise InvalidRequestError(f"unknown sbatch option --{option}")
            values[option] = (value, 0)
        return _from_text(values, environ)

    @classmethod
    def from_fields(cls, values: Mapping[str, Any]) -> JobSpec:
        """A spec from a mapping of field names to values (`InvalidRequestError` naming unknown
        fields, rather than the `TypeError` of `JobSpec(**values)`)."""
        unknown = sorted(set(values) - set(_CHECKS))
        if unknown:
            raise InvalidRequestError(f"unknown job field(s): {', '.join(map(str, unknown))}")
        return cls(**values)

    @classmethod
    def of(cls, job: str | Path | JobSpec) -> JobSpec:
        """A spec from a script text, a script file, or a spec (returned as is)."""
        if isinstance(job, JobSpec):
            return job
        if isinstance(job, Path):
            try:
                return cls.from_script(job.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise InvalidRequestError(f"cannot read script {job}: {exc}") from None
        return cls.from_script(job)

    def merge(self, other: JobSpec) -> JobSpec:
        """This spec with every field `other` sets replacing ours (keywords and flags over
        directives, as in sbatch); environments are merged, `other`'s values winning."""
        changes: dict[str, Any] = {
            name: value
            for name in _CHECKS
            if name != "environment" and (value := getattr(other, name)) is not None
        }
        if other.environment:
            changes["environment"] = {**self.environment, **other.environment}
        if other.unsupported:
            changes["unsupported"] = self.unsupported + other.unsupported
        return replace(self, **changes) if changes else self

    # -- reading ----------------------------------------------------------------------------

    def description(self) -> dict[str, Any]:
        """The contract's job description as a JSON-shaped dict (without the script); the
        environment gets the default PATH when it has none."""
        env = self.environment
        if "PATH" not in env:
            env = {"PATH": DEFAULT_PATH, **env}
        out: dict[str, Any] = {"environment": [f"{k}={v}" for k, v in env.items()]}
        for name in _CHECKS:
            value = getattr(self, name)
            if value is None or name in ("script", "environment"):
                continue
            if isinstance(value, TimeLimit):
                out[name] = {"set": True, "infinite": value.infinite, "number": value.minutes or 0}
            elif isinstance(value, datetime):
                out[name] = {"set": True, "number": int(value.timestamp())}
            elif name in _NOVAL:
                out[name] = {"set": True, "number": value}
            else:
                out[name] = value
        return out

    def unsupported_note(self) -> str | None:
        """One line naming the directives not applied (None when there are none)."""
        if not self.unsupported:
            return None
        return (
            f"#SBATCH {' '.join(self.unsupported)}: not applied. SLURM's REST API does not read "
            "#SBATCH lines and the S3M job description has no field for these; the lines stay "
            "in the script"
        )

    def warn_unsupported(self, stacklevel: int = 2) -> None:
        """Emit a `JobDirectiveWarning` naming the directives not applied, if any."""
        note = self.unsupported_note()
        if note is not None:
            warnings.warn(note, JobDirectiveWarning, stacklevel=stacklevel + 1)


# -- #SBATCH parsing ---------------------------------------------------------------------------

# sbatch long option -> (short letter, JobSpec field); "export" fills the environment.
_OPTIONS: Mapping[str, tuple[str | None, str]] = {
    "account": ("A", "account"),
    "partition": ("p", "partition"),
    "time": ("t", "time_limit"),
    "time-min": (None, "time_minimum"),
    "nodes": ("N", "nodes"),
    "ntasks": ("n", "tasks"),
    "cpus-per-task": ("c", "cpus_per_task"),
    "job-name": ("J", "name"),
    "chdir": ("D", "current_working_directory"),
    "output": ("o", "standard_output"),
    "error": ("e", "standard_error"),
    "input": ("i", "standard_input"),
    "qos": ("q", "qos"),
    "reservation": (None, "reservation"),
    "comment": (None, "comment"),
    "licenses": ("L", "licenses"),
    "begin": ("b", "begin_time"),
    "priority": (None, "priority"),
    "mem": (None, "memory_per_node"),
    "mem-per-cpu": (None, "memory_per_cpu"),
    "mincpus": (None, "minimum_cpus_per_node"),
    "sockets-per-node": (None, "sockets_per_node"),
    "threads-per-core": (None, "threads_per_core"),
    "ntasks-per-node": (None, "tasks_per_node"),
    "ntasks-per-socket": (None, "tasks_per_socket"),
    "ntasks-per-core": (None, "tasks_per_core"),
    "ntasks-per-gpu": (None, "ntasks_per_tres"),
    "wait-all-nodes": (None, "wait_all_nodes"),
    "export": (None, "environment"),
}
_BY_SHORT = {short: long for long, (short, _) in _OPTIONS.items() if short}
_BY_LONG = {long: long for long in _OPTIONS} | {"workdir": "chdir"}  # sbatch's old name


def directive_lines(script: str) -> Iterator[tuple[int, str]]:
    """(line number, text after `#SBATCH`) for each directive before the first command.

    Like sbatch, reading stops at the first line that is neither blank nor a comment, and a
    directive starts in the first column.
    """
    for number, raw in enumerate(script.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            return
        if raw.startswith("#SBATCH") and (len(line) == 7 or line[7] in " \t"):
            yield number, line[7:].strip()


def _option_pairs(words: list[str], number: int, unknown: list[str]) -> Iterator[tuple[str, str]]:
    """(long option name, value) for each option in one directive's words."""
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        option: str | None
        value: str | None = None
        if word.startswith("--"):
            name, eq, rest = word[2:].partition("=")
            option = _BY_LONG.get(name)
            if option is None:
                unknown.append(f"--{name}")
                if not eq and i < len(words) and not words[i].startswith("-"):
                    i += 1  # its value, e.g. `--array 1-4`
                continue
            if eq:
                value = rest
        elif word.startswith("-") and len(word) >= 2:
            option = _BY_SHORT.get(word[1])
            if option is None:
                unknown.append(word[:2])
                if len(word) == 2 and i < len(words) and not words[i].startswith("-"):
                    i += 1
                continue
            if len(word) > 2:
                value = word[2:].removeprefix("=")
        else:
            raise InvalidRequestError(
                f"script line {number}: unexpected {word!r} in #SBATCH (options start with -)"
            )
        if value is None:
            if i >= len(words):
                raise InvalidRequestError(f"script line {number}: {word} needs a value")
            value = words[i]
            i += 1
        yield option, value


def _from_text(values: Mapping[str, tuple[str, int]], environ: Mapping[str, str] | None) -> JobSpec:
    """A spec from sbatch options as text: (value, script line or 0) by long option name."""
    kwargs: dict[str, Any] = {}
    for option, (raw, line) in values.items():
        option = _BY_LONG[option]
        target = _OPTIONS[option][1]
        try:
            if option == "export":
                kwargs[target] = parse_export(raw, os.environ if environ is None else environ)
            else:
                check = _CHECKS[target]
                kwargs[target] = check(f"--{option}", raw)
        except InvalidRequestError as exc:
            if line:
                raise InvalidRequestError(f"script line {line}: {exc}") from None
            raise
    return JobSpec(**kwargs)


def env_assignment(text: str, label: str = "--env") -> tuple[str, str]:
    """`NAME=value` split and checked (the name as a shell variable name)."""
    name, eq, value = text.partition("=")
    if not eq or not _ENV_NAME.fullmatch(name):
        raise InvalidRequestError(f"invalid {label} {text!r}; use NAME=value")
    return name, value


def parse_export(raw: str, environ: Mapping[str, str]) -> dict[str, str]:
    """sbatch `--export=[ALL|NONE|NIL,]VAR[=value],...` as variables for the job.

    `VAR=value` sets it; a bare `VAR` takes its value from `environ` (skipped when unset there,
    and always for the S3M token). `ALL`/`NONE`/`NIL` are accepted and ignored: sending this
    whole environment is an explicit choice (`s3m submit --export-env`).
    """
    env: dict[str, str] = {}
    for item in raw.split(","):
        entry = item.strip()
        if not entry or entry.upper() in _EXPORT_WORDS:
            continue
        name, eq, value = entry.partition("=")
        if not _ENV_NAME.fullmatch(name):
            raise InvalidRequestError(f"invalid variable name {name!r} in --export={raw}")
        if eq:
            env[name] = value
        elif name in environ and name not in NEVER_EXPORTED:
            env[name] = environ[name]
    return env


def exportable(environ: Mapping[str, str]) -> dict[str, str]:
    """The variables of `environ` a job may receive (all but the S3M token's)."""
    return {k: v for k, v in environ.items() if k not in NEVER_EXPORTED and "\x00" not in k + v}


# -- the one request builder -------------------------------------------------------------------


def submit_request(job: JobSpec | Sequence[JobSpec], api: SubmitApi) -> betterproto2.Message:
    """The `JobSubmitReq` of `api`'s version for one job, or a heterogeneous job (a sequence of
    several specs, the script on the first).

    One job is sent as `{"job": {..., "script"}}` on every version: on real slurmrestd
    `{"script", "jobs": [...]}` makes a heterogeneous job even with one component. That form is
    used only for several components, on versions whose `heterogeneous_submit` is true
    (docs/decisions/0003-single-job-submit-shape.md).
    """
    from s3m_grpc import jsoncodec

    specs = [job] if isinstance(job, JobSpec) else list(job)
    if not specs or not all(isinstance(s, JobSpec) for s in specs):
        raise InvalidRequestError("submit needs a JobSpec or a non-empty sequence of JobSpecs")
    script = _script_of(specs)
    for s in specs:
        _check_cpu_total(s)
    descs = [s.description() for s in specs]
    known = _json_names(api.module.JobSubmitReqJobDescription)
    missing = sorted({k for d in descs for k in d} - known)
    if missing:
        raise InvalidRequestError(f"{api.name} cannot carry job field(s): {', '.join(missing)}")
    if len(specs) == 1:
        body: dict[str, Any] = {"job": {**descs[0], "script": script}}
    elif api.heterogeneous_submit:
        body = {"script": script, "jobs": descs}
    else:
        raise InvalidRequestError(
            f"{api.name} cannot submit a heterogeneous job ({len(specs)} components); "
            "use an API version that can, or submit the components as separate jobs"
        )
    request: betterproto2.Message = jsoncodec.from_dict(api.module.JobSubmitReq, body, request=True)
    return request


def _check_cpu_total(spec: JobSpec) -> None:
    """Refuse a job whose CPU count (tasks x cpus_per_task) SLURM cannot hold in 32 bits: no
    cluster could run it, and a server that accepted it might fail to list it."""
    if spec.tasks is not None and spec.cpus_per_task is not None:
        total = spec.tasks * spec.cpus_per_task
        if total > MAX_INT32:
            raise InvalidRequestError(
                f"tasks x cpus_per_task = {spec.tasks} x {spec.cpus_per_task} = {total} CPUs, "
                f"more than SLURM can count ({MAX_INT32})"
            )


def _script_of(specs: Sequence[JobSpec]) -> str:
    script = specs[0].script
    if script is None or not script.strip():
        raise InvalidRequestError("the job script is empty")
    if not script.startswith("#!"):
        raise InvalidRequestError(
            "the job script must start with an interpreter line such as '#!/bin/bash'"
        )
    for other in specs[1:]:
        if other.script not in (None, script):
            raise InvalidRequestError(
                "a heterogeneous job has one script: set it on the first component"
            )
    return script


@cache
def _json_names(cls: type[betterproto2.Message]) -> frozenset[str]:
    from s3m_grpc import jsoncodec

    fields_ = jsoncodec.upb_class(cls).DESCRIPTOR.fields
    return frozenset(f.json_name for f in fields_) | frozenset(f.name for f in fields_)


__all__ = [
    "DEFAULT_PATH",
    "JobDirectiveWarning",
    "JobSpec",
    "SubmitApi",
    "env_assignment",
    "exportable",
    "parse_export",
    "submit_request",
]
