"""SLURM hostlist expressions: `node[001-004]` <-> `node001 … node004`."""

from __future__ import annotations

import re
from collections.abc import Iterable

_RANGE = re.compile(r"^(?P<prefix>[^\[\]]*)\[(?P<body>[^\]]+)\](?P<suffix>.*)$")
_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<num>\d+)$")


def expand(expr: str) -> list[str]:
    """`node[001-003,007],login1` → `["node001", "node002", "node003", "node007", "login1"]`."""
    out: list[str] = []
    for part in _split(expr):
        m = _RANGE.match(part)
        if not m:
            out.append(part)
            continue
        for item in m["body"].split(","):
            lo, _, hi = item.partition("-")
            width = len(lo)
            for n in range(int(lo), int(hi or lo) + 1):
                out.append(f"{m['prefix']}{n:0{width}d}{m['suffix']}")
    return out


def compress(names: Iterable[str]) -> str:
    """`["node001", "node002", "node004"]` → `node[001-002,004]`."""
    groups: dict[tuple[str, int], list[int]] = {}
    plain: list[str] = []
    order: list[tuple[str, int]] = []
    for name in names:
        m = _NUMBERED.match(name)
        if not m:
            plain.append(name)
            continue
        key = (m["prefix"], len(m["num"]))
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(int(m["num"]))
    parts: list[str] = []
    for prefix, width in order:
        nums = sorted(set(groups[(prefix, width)]))
        if len(nums) == 1:
            parts.append(f"{prefix}{nums[0]:0{width}d}")
            continue
        ranges: list[str] = []
        start = prev = nums[0]
        for n in [*nums[1:], None]:
            if n is not None and n == prev + 1:
                prev = n
                continue
            ranges.append(
                f"{start:0{width}d}" if start == prev else f"{start:0{width}d}-{prev:0{width}d}"
            )
            if n is not None:
                start = prev = n
        parts.append(f"{prefix}[{','.join(ranges)}]")
    return ",".join(parts + plain)


def _split(expr: str) -> list[str]:
    """Split on commas outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in expr:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        parts.append(cur)
    return [p.strip() for p in parts if p.strip()]
