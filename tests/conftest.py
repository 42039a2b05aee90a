"""Shared fixtures: where the read-only reference material lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import live

ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path | None:
    """`../shared` beside the checkout (CI and developers have it; users do not)."""
    candidates = [os.environ.get("S3M_SHARED"), ROOT.parent / "shared"]
    for c in candidates:
        if c and (Path(c) / "s3m-contract").is_dir():
            return Path(c)
    return None


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if path is None:
        live.skip("the shared reference material (../shared) is not present")
    return path
