"""SLURM time strings: parse `--time` in every format sbatch accepts, and print durations and dates.

Kept apart from the `#SBATCH` parser because tables and the progress line format times too.
"""

from __future__ import annotations

import re
import time as _time
from dataclasses import dataclass

from s3m_grpc.cli import fail

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


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """A job time limit in whole minutes, or no limit at all (`minutes is None`)."""

    minutes: int | None

    @property
    def infinite(self) -> bool:
        return self.minutes is None

    def __str__(self) -> str:
        return "UNLIMITED" if self.minutes is None else format_duration(self.minutes * 60)


def parse_time_limit(text: str) -> TimeLimit:
    """Parse `M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`, `UNLIMITED`/`INFINITE` (or 0).

    As in SLURM, seconds round up to the next minute and a limit of 0 means no limit.
    """
    value = text.strip()
    if value.lower() in _INFINITE_WORDS:
        return TimeLimit(None)
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
            return TimeLimit(None)
        minutes = -(-seconds // 60)
        if minutes > MAX_MINUTES:
            raise fail.script(f"time limit {text!r} is too long; the largest is {MAX_MINUTES} min")
        return TimeLimit(minutes)
    raise fail.script(
        f"invalid time limit {text!r}; use minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S or UNLIMITED"
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


def format_timestamp(epoch: float, now: float | None = None) -> str:
    """A Unix time for people: `14:03:07` today, `Nov 24 14:03` this year, else the full date."""
    if epoch <= 0:
        return ""
    current = _time.time() if now is None else now
    then = _time.localtime(epoch)
    today = _time.localtime(current)
    if then[:3] == today[:3]:
        return _time.strftime("%H:%M:%S", then)
    if then.tm_year == today.tm_year:
        return _time.strftime("%b %d %H:%M", then)
    return _time.strftime("%Y-%m-%d %H:%M", then)
