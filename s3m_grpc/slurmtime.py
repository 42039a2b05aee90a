"""SLURM times: time limits and begin times as sbatch reads them, durations as squeue prints them.

The one place that knows SLURM's time syntax, shared by `JobSpec` (keywords and `#SBATCH`
lines), the command line's flags and its tables. It imports nothing heavy (no grpc, no
messages) so `s3m --help` stays fast; a bad value raises `s3m_grpc.errors.InvalidRequestError`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from s3m_grpc.errors import InvalidRequestError

# Largest finite minute count a Uint32 time limit can carry (SLURM's INFINITE is 0xffffffff).
MAX_MINUTES = 0xFFFFFFFE
_INFINITE_WORDS = frozenset({"unlimited", "infinite", "-1"})
_NUM = r"([0-9]{1,9})"
_FORMS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(rf"{_NUM}"), ("m",)),
    (re.compile(rf"{_NUM}:{_NUM}"), ("m", "s")),
    (re.compile(rf"{_NUM}:{_NUM}:{_NUM}"), ("h", "m", "s")),
    (re.compile(rf"{_NUM}-{_NUM}"), ("d", "h")),
    (re.compile(rf"{_NUM}-{_NUM}:{_NUM}"), ("d", "h", "m")),
    (re.compile(rf"{_NUM}-{_NUM}:{_NUM}:{_NUM}"), ("d", "h", "m", "s")),
)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_NOW_PLUS = re.compile(
    r"now(?:\+([0-9]{1,9})(seconds?|minutes?|hours?|days?|weeks?|[smhdw])?)?", re.IGNORECASE
)
_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?"
)
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
_DAY_WORDS = {"today": (0, 0), "tomorrow": (1, 0), "midnight": (1, 0), "noon": (0, 12)}


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """A job time limit in whole minutes, or no limit at all (`minutes is None`)."""

    minutes: int | None

    @property
    def infinite(self) -> bool:
        return self.minutes is None

    def __str__(self) -> str:
        return "UNLIMITED" if self.minutes is None else format_duration(self.minutes * 60)


UNLIMITED = TimeLimit(None)

# What a time limit may be given as: minutes, a duration, SLURM text, or an already parsed limit.
TimeInput = int | float | timedelta | str | TimeLimit


def parse_time_limit(text: str, what: str = "time limit") -> TimeLimit:
    """Parse `M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`, `UNLIMITED`/`INFINITE` (or 0).

    As in sbatch, seconds round up to the next minute and a limit of 0 means no limit.
    """
    value = text.strip()
    if value.lower() in _INFINITE_WORDS:
        return UNLIMITED
    for pattern, units in _FORMS:
        match = pattern.fullmatch(value)
        if match is None:
            continue
        parts = dict(zip(units, (int(g) for g in match.groups()), strict=True))
        seconds = (
            parts.get("d", 0) * 86400
            + parts.get("h", 0) * 3600
            + parts.get("m", 0) * 60
            + parts.get("s", 0)
        )
        if seconds == 0:
            return UNLIMITED
        return _from_seconds(seconds, text, what)
    raise InvalidRequestError(
        f"invalid {what} {text!r}; use minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S or UNLIMITED"
    )


def time_limit(value: TimeInput, what: str = "time limit") -> TimeLimit:
    """A time limit from minutes (int or float), a `timedelta`, SLURM text or a `TimeLimit`.

    Numbers and durations must be positive (a limit never rounds down: 0.5 min is 1 min); only
    SLURM text says "no limit" (`UNLIMITED`, `INFINITE`, or `0` as sbatch reads it).
    """
    if isinstance(value, TimeLimit):
        return value
    if isinstance(value, str):
        return parse_time_limit(value, what)
    if isinstance(value, bool) or not isinstance(value, int | float | timedelta):
        raise InvalidRequestError(
            f"invalid {what} {value!r}: use minutes, a timedelta or SLURM text"
        )
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value) * 60
    if not math.isfinite(seconds) or seconds <= 0:
        raise InvalidRequestError(
            f"invalid {what} {value!r}: must be more than 0 minutes (use 'UNLIMITED' for none)"
        )
    return _from_seconds(seconds, value, what)


def _from_seconds(seconds: float, given: object, what: str) -> TimeLimit:
    minutes = math.ceil(seconds / 60)
    if minutes > MAX_MINUTES:
        raise InvalidRequestError(f"{what} {given!r} is too long; the largest is {MAX_MINUTES} min")
    return TimeLimit(minutes)


def parse_begin(text: str, now: datetime | None = None) -> datetime:
    """An sbatch `--begin` value as an aware datetime.

    Accepted: `YYYY-MM-DD[THH:MM[:SS]]` (local time), `HH:MM[:SS]` (the next such time),
    `now[+N[seconds|minutes|hours|days|weeks]]` (a bare N is seconds, as in sbatch), `today`,
    `tomorrow`, `midnight`, `noon`.
    """
    current = (now or datetime.now(UTC)).astimezone()
    value = text.strip()
    try:
        match = _NOW_PLUS.fullmatch(value)
        if match:
            count = int(match.group(1) or 0)
            unit = (match.group(2) or "").lower()[:1]
            return current + timedelta(seconds=count * _UNIT_SECONDS[unit])
        match = _DATE_TIME.fullmatch(value)
        if match:
            y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
            return datetime(y, mo, d, h, mi, s).astimezone()
        match = _CLOCK.fullmatch(value)
        if match:
            h, mi, s = (int(g) if g else 0 for g in match.groups())
            at = current.replace(hour=h, minute=mi, second=s, microsecond=0)
            return at if at > current else at + timedelta(days=1)
        if value.lower() in _DAY_WORDS:
            days, hour = _DAY_WORDS[value.lower()]
            start = current.replace(hour=hour, minute=0, second=0, microsecond=0)
            return start + timedelta(days=days)
    except (ValueError, OverflowError):
        pass
    raise InvalidRequestError(
        f"invalid begin time {text!r}; use YYYY-MM-DD[THH:MM[:SS]], HH:MM[:SS], now+N[unit], "
        "today, tomorrow, midnight or noon"
    )


def format_duration(seconds: float) -> str:
    """Seconds as squeue prints them: `M:SS`, `H:MM:SS` or `D-HH:MM:SS`."""
    total = max(0, int(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}-{hours:02d}:{minutes:02d}:{secs:02d}"
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
