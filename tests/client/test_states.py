"""Normalized job states: base state, flags, a complete terminal set."""

from __future__ import annotations

import pytest

from s3m_grpc.states import TERMINAL, JobState, base_state, flags, is_finished


@pytest.mark.parametrize(
    ("raw", "state"),
    [
        (["PENDING"], JobState.PENDING),
        (["RUNNING", "COMPLETING"], JobState.RUNNING),
        (["COMPLETED"], JobState.COMPLETED),
        (["CANCELLED by 1234"], JobState.CANCELLED),
        ("TIMEOUT", JobState.TIMEOUT),
        (["REQUEUED", "PENDING"], JobState.PENDING),
        (["OUT_OF_MEMORY"], JobState.OUT_OF_MEMORY),
        (["CD"], JobState.COMPLETED),
        (["NODE_FAIL"], JobState.NODE_FAIL),
        (["BOOT_FAIL"], JobState.BOOT_FAIL),
        (["DEADLINE"], JobState.DEADLINE),
        (["PREEMPTED"], JobState.PREEMPTED),
        (["weird"], JobState.UNKNOWN),
        ([], JobState.UNKNOWN),
    ],
)
def test_base_state(raw: list[str] | str, state: JobState) -> None:
    assert base_state(raw) is state


def test_terminal_set_is_complete() -> None:
    expected = {
        "COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "PREEMPTED",
        "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY",
    }  # fmt: skip
    assert {s.value for s in TERMINAL} == expected
    assert not JobState.PENDING.terminal
    assert JobState.FAILED.terminal


def test_finished_waits_for_completing_and_requeue() -> None:
    assert is_finished(["COMPLETED"])
    assert not is_finished(["COMPLETED", "COMPLETING"])
    assert not is_finished(["PREEMPTED", "REQUEUED"])
    assert not is_finished(["RUNNING"])
    assert flags(["RUNNING", "COMPLETING", "STAGE_OUT"]) == {"COMPLETING", "STAGE_OUT"}


def test_state_is_text() -> None:
    assert str(JobState.RUNNING) == "RUNNING"
    assert JobState("FAILED") == "FAILED"
