"""Old import paths kept for a release: each warns `DeprecationWarning` once, then resolves."""

from __future__ import annotations

import warnings

_warned: set[str] = set()


def moved(old: str, new: str) -> None:
    """Warn (once per process for `old`) that `old` is now `new`."""
    if old in _warned:
        return
    _warned.add(old)
    warnings.warn(f"{old} is deprecated; use {new}", DeprecationWarning, stacklevel=3)
