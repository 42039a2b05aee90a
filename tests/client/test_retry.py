"""Jittered backoff stays within its bounds; a cooldown ends when its time is up."""

from __future__ import annotations

from itertools import islice

from s3m_grpc.retry import Cooldown, backoff


def test_backoff_grows_to_its_maximum_with_jitter() -> None:
    low = list(islice(backoff(1.0, 8.0, 2.0, rng=lambda: 0.0), 6))
    high = list(islice(backoff(1.0, 8.0, 2.0, rng=lambda: 1.0), 6))
    # Jitter only shortens (the same formula as RetryPolicy.backoff).
    assert low == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert high == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    delays = list(islice(backoff(0.1, 1.0), 50))
    assert all(0.05 <= d <= 1.0 for d in delays)
    assert len(set(delays)) > 1  # jittered


def test_cooldown() -> None:
    now = [100.0]
    c = Cooldown(30.0, clock=lambda: now[0])
    assert not c.active
    c.trip()
    assert c.active
    now[0] += 29.9
    assert c.active
    now[0] += 0.2
    assert not c.active
    c.trip()
    c.reset()
    assert not c.active
