"""The adaptive pace on its own: spacing at a rate, a cut once per burst of refusals, the
server's Retry-After honoured, recovery while calls succeed."""

from __future__ import annotations

import time

import pytest

from s3m_grpc.bulk import Pace
from s3m_grpc.errors import ConfigurationError


async def test_calls_are_spaced_at_the_rate() -> None:
    pace = Pace(rate=50)
    started = time.monotonic()
    for _ in range(11):
        await pace.turn()
    assert time.monotonic() - started >= 10 / 50 * 0.95


async def test_unpaced_until_the_first_refusal_then_cut_once_per_burst() -> None:
    pace = Pace()
    starts = [await pace.turn() for _ in range(10)]
    assert pace.rate is None
    pace.refused(starts[0], retry_after=0.0)
    first_cut = pace.rate
    assert first_cut is not None
    assert first_cut == pytest.approx(10 * Pace.DECREASE)  # from the measured 10 calls/s
    for s in starts[1:]:  # the rest of the same burst: already accounted for
        pace.refused(s, retry_after=0.0)
    assert pace.rate == first_cut
    later = await pace.turn()
    pace.refused(later, retry_after=0.0)  # a call sent after the cut: cut again
    assert pace.rate == pytest.approx(first_cut * Pace.DECREASE)
    assert pace.refusals == 11


async def test_retry_after_holds_every_call_back() -> None:
    pace = Pace()
    started = await pace.turn()
    pace.refused(started, retry_after=0.3)
    await pace.turn()
    assert time.monotonic() - started >= 0.29


def test_recovers_while_calls_succeed_up_to_the_ceiling() -> None:
    pace = Pace(rate=20)
    pace.refused(0.0, retry_after=None)
    assert pace.rate == pytest.approx(20 * Pace.DECREASE)
    for _ in range(7):
        pace.succeeded()
    assert pace.rate is not None
    assert 14 < pace.rate < 20
    for _ in range(200):
        pace.succeeded()
    assert pace.rate == 20


@pytest.mark.parametrize("rate", [0, -1, float("inf"), float("nan")])
def test_a_bad_rate_is_a_configuration_error(rate: float) -> None:
    with pytest.raises(ConfigurationError, match="rate"):
        Pace(rate)
