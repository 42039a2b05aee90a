"""Read `#SBATCH` directives from a batch script into job options, the way sbatch does.

slurmrestd does not read `#SBATCH` lines, so the command line must: the directives fill a
`JobOptions`, flags given to `s3m submit` win over them, and directives we do not translate stay in
the script untouched and are reported once instead of being dropped silently.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from s3m_grpc.cli import fail
from s3m_grpc.cli.slurmtime import TimeLimit, parse_time_limit

MAX_INT32 = 2**31 - 1
_NODES = re.compile(r"[0-9]+(-[0-9]+)?|[0-9]+(,[0-9]+)*(:[0-9]+)?")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_EXPORT_WORDS = frozenset({"ALL", "NONE", "NIL"})


@dataclass(frozen=True, slots=True)
class JobOptions:
    """What a job asks for, before it becomes a versioned job description. None = not given."""

    account: str | None = None
    partition: str | None = None
    time_limit: TimeLimit | None = None
    nodes: str | None = None
    tasks: int | None = None
    cpus_per_task: int | None = None
    name: str | None = None
    chdir: str | None = None
    output: str | None = None
    error: str | None = None
    # `K=V` pairs in the order given; later entries override earlier ones with the same name.
    environment: tuple[str, ...] = ()
    # Names from `--export` without a value: taken from the submitting environment if set there.
    export_names: tuple[str, ...] = ()

    def overridden_by(self, other: JobOptions) -> JobOptions:
        """These options with every field `other` sets replaced (flags over directives)."""
        changes: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(other, f.name)
            if f.name in ("environment", "export_names"):
                if value:
                    changes[f.name] = getattr(self, f.name) + value
            elif value is not None:
                changes[f.name] = value
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class ParsedScript:
    """A script, the options its directives give, and the directives left for SLURM alone."""

    script: str
    options: JobOptions
    unknown: tuple[str, ...] = field(default=())

    def unknown_note(self) -> str | None:
        """One line naming every directive s3m did not apply (None when there are none)."""
        if not self.unknown:
            return None
        names = " ".join(self.unknown)
        return (
            f"note: #SBATCH {names}: not applied. SLURM's REST API does not read #SBATCH lines "
            "and s3m translates only -A -p -t -N -n -c -J -D -o -e --export; the lines stay "
            "in the script"
        )


# option key -> (short letter, long name)
_OPTIONS: Mapping[str, tuple[str | None, str]] = {
    "account": ("A", "account"),
    "partition": ("p", "partition"),
    "time_limit": ("t", "time"),
    "nodes": ("N", "nodes"),
    "tasks": ("n", "ntasks"),
    "cpus_per_task": ("c", "cpus-per-task"),
    "name": ("J", "job-name"),
    "chdir": ("D", "chdir"),
    "output": ("o", "output"),
    "error": ("e", "error"),
    "export": (None, "export"),
}
_BY_SHORT = {short: key for key, (short, _) in _OPTIONS.items() if short}
_BY_LONG = {long: key for key, (_, long) in _OPTIONS.items()}
# The old long name sbatch still accepts.
_BY_LONG["workdir"] = "chdir"


def directive_lines(script: str) -> Iterator[tuple[int, str]]:
    """(line number, text after `#SBATCH`) for each directive before the first command.

    Like sbatch, reading stops at the first line that is neither blank nor a comment.
    """
    for number, raw in enumerate(script.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            return
        # As in sbatch, a directive starts in the first column.
        if raw.startswith("#SBATCH") and (len(line) == 7 or line[7] in " \t"):
            yield number, line[7:].strip()


def parse_script(script: str) -> ParsedScript:
    """Parse every `#SBATCH` directive of `script`; raise `ScriptError` naming the bad line."""
    if "\x00" in script:
        raise fail.script("the batch script contains NUL bytes; is it a binary file?")
    values: dict[str, str] = {}
    unknown: list[str] = []
    for number, text in directive_lines(script):
        try:
            words = shlex.split(text, comments=True)
        except ValueError as exc:
            raise fail.script(
                f"script line {number}: cannot split #SBATCH {text!r}: {exc}"
            ) from None
        for key, value in _option_pairs(words, number, unknown):
            values[key] = value
    options = _build(values, "script line")
    return ParsedScript(script, options, tuple(dict.fromkeys(unknown)))


def _option_pairs(words: list[str], number: int, unknown: list[str]) -> Iterator[tuple[str, str]]:
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        key: str | None = None
        value: str | None = None
        if word.startswith("--"):
            name, eq, rest = word[2:].partition("=")
            key = _BY_LONG.get(name)
            if key is None:
                unknown.append(f"--{name}")
                if not eq and i < len(words) and not words[i].startswith("-"):
                    i += 1  # its value, e.g. `--mem 4G`
                continue
            if eq:
                value = rest
        elif word.startswith("-") and len(word) >= 2:
            key = _BY_SHORT.get(word[1])
            if key is None:
                unknown.append(word[:2])
                if len(word) == 2 and i < len(words) and not words[i].startswith("-"):
                    i += 1
                continue
            if len(word) > 2:
                value = word[2:].removeprefix("=")
        else:
            raise fail.script(
                f"script line {number}: unexpected {word!r} in #SBATCH (options start with -)"
            )
        if value is None:
            if i >= len(words):
                raise fail.script(f"script line {number}: {word} needs a value")
            value = words[i]
            i += 1
        yield key, value


def options_from_flags(flags: Mapping[str, str | None]) -> JobOptions:
    """Build options from `s3m submit` flag values (same keys and checks as directives)."""
    return _build({k: v for k, v in flags.items() if v is not None}, "option")


def _build(values: Mapping[str, str], where: str) -> JobOptions:
    opts: dict[str, Any] = {}
    for key, raw in values.items():
        if key == "time_limit":
            opts[key] = parse_time_limit(raw)
        elif key in ("tasks", "cpus_per_task"):
            opts[key] = _positive(raw, _OPTIONS[key][1])
        elif key == "nodes":
            if not _NODES.fullmatch(raw.strip()):
                raise fail.script(
                    f"invalid --nodes {raw!r}; use a count like 2 or a range like 1-4"
                )
            opts[key] = raw.strip()
        elif key == "export":
            env, names = parse_export(raw)
            opts["environment"] = env
            opts["export_names"] = names
        elif key in ("environment", "export_names"):
            continue
        else:
            if not raw.strip():
                raise fail.script(f"--{_OPTIONS[key][1]} needs a non-empty value ({where})")
            if any(c in raw for c in "\n\r\x00"):
                raise fail.script(f"--{_OPTIONS[key][1]} must be one line ({where})")
            opts[key] = raw
    return JobOptions(**opts)


def _positive(raw: str, name: str) -> int:
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= MAX_INT32:
        raise fail.script(f"invalid --{name} {raw!r}; use a whole number from 1 to {MAX_INT32}")
    return int(text)


def parse_export(raw: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`--export=[ALL|NONE|NIL,]VAR[=value],...` → (`K=V` pairs, bare names to look up)."""
    env: list[str] = []
    names: list[str] = []
    for item in raw.split(","):
        entry = item.strip()
        if not entry or entry.upper() in _EXPORT_WORDS:
            continue
        name, eq, value = entry.partition("=")
        if not _ENV_NAME.fullmatch(name):
            raise fail.script(f"invalid variable name {name!r} in --export={raw}")
        if eq:
            env.append(f"{name}={value}")
        else:
            names.append(name)
    return tuple(env), tuple(names)


def parse_env_pair(raw: str) -> str:
    """Check one `--env K=V` value."""
    name, eq, _ = raw.partition("=")
    if not eq or not _ENV_NAME.fullmatch(name):
        raise fail.script(f"invalid --env {raw!r}; use NAME=value")
    return raw
