"""SLURM times: every sbatch time format, numbers and durations, begin times, squeue durations."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s3m_grpc.errors import InvalidRequestError, S3MError
from s3m_grpc.slurmtime import (
    MAX_MINUTES,
    UNLIMITED,
    TimeLimit,
    format_duration,
    parse_begin,
    parse_time_limit,
    time_limit,
)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30", 30),
        (" 30 ", 30),
        ("0:30", 1),
        ("5:00", 5),
        ("5:01", 6),
        ("1:30:00", 90),
        ("2-0", 2880),
        ("1-12", 2160),
        ("1-2:30", 1590),
        ("1-2:30:01", 1591),
        ("1-00:00:00", 1440),
        ("UNLIMITED", None),
        ("infinite", None),
        ("0", None),
        ("0:00:00", None),
        ("-1", None),
    ],
)
def test_every_sbatch_time_format(text: str, minutes: int | None) -> None:
    assert parse_time_limit(text) == TimeLimit(minutes)
    assert time_limit(text) == TimeLimit(minutes)


@pytest.mark.parametrize(
    ("value", "minutes"),
    [
        (30, 30),
        (0.5, 1),
        (90.01, 91),
        (timedelta(hours=2), 120),
        (timedelta(seconds=61), 2),
        (TimeLimit(7), 7),
        (UNLIMITED, None),
    ],
)
def test_numbers_and_durations_round_up(value: Any, minutes: int | None) -> None:
    assert time_limit(value) == TimeLimit(minutes)


@pytest.mark.parametrize(
    "bad",
    ["", "1h", "1:2:3:4", "-5", "1-", "a-1:00", "1.5", "٣", "soon", 0, -5, 0.0, True,
     float("nan"), float("inf"), timedelta(0), timedelta(minutes=-1), None, [30]],
)  # fmt: skip
def test_bad_time_limits_are_invalid_requests(bad: Any) -> None:
    with pytest.raises(InvalidRequestError, match="time limit"):
        time_limit(bad)


def test_too_long_is_refused_not_wrapped() -> None:
    assert time_limit(MAX_MINUTES) == TimeLimit(MAX_MINUTES)
    with pytest.raises(InvalidRequestError, match="too long"):
        time_limit(MAX_MINUTES + 1)
    with pytest.raises(InvalidRequestError, match="too long"):
        parse_time_limit("999999999-0")


def test_durations_print_like_squeue() -> None:
    assert [format_duration(s) for s in (-3, 5, 65, 3600, 90061)] == [
        "0:00",
        "0:05",
        "1:05",
        "1:00:00",
        "1-01:01:01",
    ]
    assert str(UNLIMITED) == "UNLIMITED"
    assert str(TimeLimit(90)) == "1:30:00"


NOW = datetime(2026, 12, 1, 15, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("now", timedelta(0)),
        ("now+60", timedelta(seconds=60)),
        ("now+10minutes", timedelta(minutes=10)),
        ("now+1hour", timedelta(hours=1)),
        ("now+2days", timedelta(days=2)),
        ("now+1w", timedelta(weeks=1)),
    ],
)
def test_begin_relative_to_now(text: str, delta: timedelta) -> None:
    assert parse_begin(text, now=NOW) == NOW + delta


def test_begin_dates_and_clock_times() -> None:
    local = NOW.astimezone()
    assert parse_begin("2026-12-24", now=NOW) == datetime(2026, 12, 24).astimezone()
    assert parse_begin("2026-12-24T10:30", now=NOW) == datetime(2026, 12, 24, 10, 30).astimezone()
    later = (local + timedelta(hours=1)).replace(minute=0, second=0)
    assert parse_begin(later.strftime("%H:%M"), now=NOW) == later
    earlier = (local - timedelta(hours=1)).replace(minute=0, second=0)
    assert parse_begin(earlier.strftime("%H:%M:%S"), now=NOW) == earlier + timedelta(days=1)
    midnight = local.replace(hour=0, minute=0, second=0) + timedelta(days=1)
    assert parse_begin("tomorrow", now=NOW) == parse_begin("midnight", now=NOW) == midnight
    assert parse_begin("2026-12-24", now=NOW).tzinfo is not None


@pytest.mark.parametrize("bad", ["", "someday", "2026-13-01", "25:00", "now-5", "now+5years"])
def test_bad_begin_times(bad: str) -> None:
    with pytest.raises(InvalidRequestError, match="begin time"):
        parse_begin(bad, now=NOW)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_random_text_raises_only_typed_errors(text: str) -> None:
    for call in (parse_time_limit, parse_begin):
        with contextlib.suppress(S3MError):
            call(text)
