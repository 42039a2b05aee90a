"""Deep comparison of two messages, including what betterproto2's `==` leaves out."""

from __future__ import annotations

import math
from typing import Any

import betterproto2


def same(a: Any, b: Any, path: str = "") -> None:
    """Assert `a` and `b` are equal field by field, unknown fields and float bits included."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, betterproto2.Message):
        assert a._unknown_fields == b._unknown_fields, f"{path}: unknown fields differ"
        meta: Any = a._betterproto  # type: ignore[arg-type]
        for name in meta.meta_by_field_name:
            same(getattr(a, name), getattr(b, name), f"{path}.{name}")
    elif isinstance(a, list):
        assert len(a) == len(b), f"{path}: {len(a)} != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), f"{path}: nan != {b!r}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"
