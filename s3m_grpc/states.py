"""SLURM job states, normalized: one base state per job, a complete terminal set, flags kept.

slurmrestd reports a job's state as a list (`["RUNNING", "COMPLETING"]`): one base state plus
flags, and sacct-style text may carry extras (`"CANCELLED by 1234"`). Callers want one answer to
"is it done, and how did it end", without losing what SLURM said.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache


class JobState(StrEnum):
    """A job's base state (SLURM's `JOB_STATE_BASE`, plus UNKNOWN)."""

    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUSPENDED = "SUSPENDED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    FAILED = "FAILED"
    TIMEOUT = "TIMEOUT"
    NODE_FAIL = "NODE_FAIL"
    PREEMPTED = "PREEMPTED"
    BOOT_FAIL = "BOOT_FAIL"
    DEADLINE = "DEADLINE"
    OUT_OF_MEMORY = "OUT_OF_MEMORY"
    UNKNOWN = "UNKNOWN"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL


# Base states after which a job never runs again (unless SLURM requeues it as a new PENDING).
TERMINAL = frozenset(
    {
        JobState.COMPLETED,
        JobState.CANCELLED,
        JobState.FAILED,
        JobState.TIMEOUT,
        JobState.NODE_FAIL,
        JobState.PREEMPTED,
        JobState.BOOT_FAIL,
        JobState.DEADLINE,
        JobState.OUT_OF_MEMORY,
    }
)

# Terminal states that mean the job did not succeed.
UNSUCCESSFUL = TERMINAL - {JobState.COMPLETED}

# Flags SLURM reports beside the base state (JOB_STATE_FLAGS and friends).
FLAGS = frozenset(
    {
        "COMPLETING",
        "CONFIGURING",
        "LAUNCH_FAILED",
        "POWER_UP_NODE",
        "RECONFIG_FAIL",
        "REQUEUED",
        "REQUEUE_FED",
        "REQUEUE_HOLD",
        "REQUEUE_CRON",
        "RESIZING",
        "RESV_DEL_HOLD",
        "REVOKED",
        "SIGNALING",
        "SPECIAL_EXIT",
        "STAGE_OUT",
        "STOPPED",
        "UPDATE_DB",
    }
)

# squeue/sacct short codes and other spellings seen in the wild.
_ALIASES = {
    "PD": JobState.PENDING,
    "R": JobState.RUNNING,
    "S": JobState.SUSPENDED,
    "CD": JobState.COMPLETED,
    "CA": JobState.CANCELLED,
    "CANCELED": JobState.CANCELLED,
    "F": JobState.FAILED,
    "TO": JobState.TIMEOUT,
    "NF": JobState.NODE_FAIL,
    "PR": JobState.PREEMPTED,
    "BF": JobState.BOOT_FAIL,
    "DL": JobState.DEADLINE,
    "OOM": JobState.OUT_OF_MEMORY,
}


def _word(raw: str) -> str:
    """`"CANCELLED by 1234"` → `"CANCELLED"`; `"running"` → `"RUNNING"`."""
    return raw.strip().split(" ", 1)[0].upper().rstrip("+")


def base_state(raw: Iterable[str] | str) -> JobState:
    """The base state in a raw SLURM state (a list of words, or one word)."""
    if type(raw) is tuple:
        return base_state_of(raw)
    return _base_state(raw)


@lru_cache(maxsize=1024)
def base_state_of(raw: tuple[str, ...]) -> JobState:
    """`base_state` of a tuple of words: job listings repeat a handful of states, so each
    tuple is worked out once."""
    return _base_state(raw)


def _base_state(raw: Iterable[str] | str) -> JobState:
    words = [raw] if isinstance(raw, str) else list(raw)
    for w in words:
        word = _word(w)
        if word in JobState.__members__:
            return JobState(word)
        if word in _ALIASES:
            return _ALIASES[word]
    return JobState.UNKNOWN


def flags(raw: Iterable[str] | str) -> frozenset[str]:
    """The flags (COMPLETING, REQUEUED, …) in a raw SLURM state."""
    words = [raw] if isinstance(raw, str) else list(raw)
    return frozenset(_word(w) for w in words if _word(w) in FLAGS)


def is_finished(raw: Iterable[str] | str) -> bool:
    """True once the job has ended for good: a terminal base state, no longer completing.

    A job being requeued (REQUEUED / REQUEUE_* flags) is not finished: it will run again.
    """
    if type(raw) is tuple:
        return _finished_of(raw)
    return _is_finished(raw)


@lru_cache(maxsize=1024)
def _finished_of(raw: tuple[str, ...]) -> bool:
    """`is_finished` of a tuple of words, worked out once per tuple (as `base_state_of`)."""
    return _is_finished(raw)


def _is_finished(raw: Iterable[str] | str) -> bool:
    words = [raw] if isinstance(raw, str) else list(raw)
    f = flags(words)
    if "COMPLETING" in f or any(x.startswith("REQUEUE") for x in f):
        return False
    return base_state(words).terminal


def parse_states(wanted: JobState | str | Iterable[JobState | str]) -> frozenset[JobState]:
    """The base states a filter asks for: `JobState`s, names or short codes (`"PD,R"` too).

    A word that names no state raises `ConfigurationError` (a `ValueError`): a misspelled
    filter would otherwise silently match nothing.
    """
    from s3m_grpc.errors import ConfigurationError

    items = [wanted] if isinstance(wanted, str) else list(wanted)
    out: set[JobState] = set()
    for item in items:
        if isinstance(item, JobState):
            out.add(item)
            continue
        if not isinstance(item, str):
            raise ConfigurationError(f"a job state must be text, not {item!r}")
        for word in item.split(","):
            state = base_state(word)
            if state is JobState.UNKNOWN and _word(word) != "UNKNOWN":
                known = ", ".join(s.value for s in JobState)
                raise ConfigurationError(f"unknown job state {word.strip()!r}; use {known}")
            out.add(state)
    return frozenset(out)
