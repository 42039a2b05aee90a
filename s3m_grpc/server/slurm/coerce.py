"""Fit slurmrestd values into the contract's v0.0.44 message shapes, guided by the descriptors.

Older slurmrestd versions send the same facts in looser types: a bare integer (or `null`, or
SLURM's NO_VAL/INFINITE sentinels) where v0.0.44 has a `{set, infinite, number}` wrapper, one
string where v0.0.44 has a list, `null` for an empty string. Each version module renames and
restructures what differs; this module then walks the target message's descriptor and turns
every value into the type that field has, dropping what does not fit (a counter outside int32,
a key the contract lacks), so the server's JSON parse of a backend dict never fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from s3m_grpc._upb.olcf.s3m.slurm.v0044 import slurm_pb2

JSON = dict[str, Any]
_FD = FieldDescriptor

# SLURM's sentinels (slurm.h): "no value" and "infinite" per integer width.
NO_VAL16, INFINITE16 = 0xFFFE, 0xFFFF
NO_VAL, INFINITE = 0xFFFFFFFE, 0xFFFFFFFF
NO_VAL64, INFINITE64 = 0xFFFFFFFFFFFFFFFE, 0xFFFFFFFFFFFFFFFF
_NO_VALS = {NO_VAL16, NO_VAL, NO_VAL64}
_INFINITES = {INFINITE16, INFINITE, INFINITE64, -1}

_RANGES: dict[int, tuple[int, int]] = {
    _FD.TYPE_INT32: (-(2**31), 2**31 - 1),
    _FD.TYPE_SINT32: (-(2**31), 2**31 - 1),
    _FD.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
    _FD.TYPE_UINT32: (0, 2**32 - 1),
    _FD.TYPE_FIXED32: (0, 2**32 - 1),
    _FD.TYPE_INT64: (-(2**63), 2**63 - 1),
    _FD.TYPE_SINT64: (-(2**63), 2**63 - 1),
    _FD.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    _FD.TYPE_UINT64: (0, 2**64 - 1),
    _FD.TYPE_FIXED64: (0, 2**64 - 1),
}
_FLOATS = {_FD.TYPE_DOUBLE, _FD.TYPE_FLOAT}


def descriptor(name: str) -> Descriptor:
    """The v0.0.44 message descriptor for a (possibly nested, dotted) message name."""
    obj: Any = slurm_pb2
    for part in name.split("."):
        obj = getattr(obj, part)
    desc: Descriptor = obj.DESCRIPTOR
    return desc


def unset() -> JSON:
    return {"set": False, "infinite": False, "number": 0}


def noval(value: Any, number_type: int = _FD.TYPE_UINT64) -> JSON:
    """A `*NoVal` wrapper for a bare slurmrestd number (None and NO_VAL mean unset)."""
    if isinstance(value, Mapping):
        out = {k: value[k] for k in ("set", "infinite", "number") if k in value}
        return out if _fits(out.get("number", 0), number_type) else unset()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return unset()
    number = int(value)
    if number in _INFINITES:
        return {"set": False, "infinite": True, "number": 0}
    if number in _NO_VALS or not _fits(number, number_type):
        return unset()
    return {"set": True, "infinite": False, "number": number}


def _fits(number: Any, number_type: int) -> bool:
    if number_type in _FLOATS:
        return isinstance(number, int | float)
    lo, hi = _RANGES.get(number_type, (-(2**63), 2**64 - 1))
    return isinstance(number, int) and lo <= number <= hi


@cache
def _is_noval(desc: Descriptor) -> bool:
    return desc.name.endswith("NoVal") and {f.name for f in desc.fields} == {
        "set",
        "infinite",
        "number",
    }


def coerce(src: Mapping[str, Any], desc: Descriptor) -> JSON:
    """`src` with every field of `desc` in that field's JSON type; other keys are dropped."""
    out: JSON = {}
    for f in desc.fields:
        if f.json_name not in src:
            continue
        value = _field(src[f.json_name], f)
        if value is not None:
            out[f.json_name] = value
    return out


def _field(value: Any, f: FieldDescriptor) -> Any:
    if f.is_repeated:
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        if f.type == _FD.TYPE_STRING:
            items = [v for v in items if v not in (None, "")]
        converted = [_single(v, f) for v in items]
        return [v for v in converted if v is not None]
    return _single(value, f)


def _single(value: Any, f: FieldDescriptor) -> Any:
    if f.type == _FD.TYPE_MESSAGE:
        sub = f.message_type
        assert sub is not None
        if _is_noval(sub):
            return noval(value, sub.fields_by_name["number"].type)
        return coerce(value, sub) if isinstance(value, Mapping) else None
    if value is None:
        return None
    if f.type == _FD.TYPE_STRING:
        if isinstance(value, list):
            return ",".join(str(v) for v in value)
        return value if isinstance(value, str) else str(value)
    if f.type == _FD.TYPE_BOOL:
        return bool(value)
    if f.type in _FLOATS:
        return float(value) if isinstance(value, int | float) else None
    if isinstance(value, Mapping):  # a wrapper where the contract has a bare number
        if not value.get("set", False):
            return None
        value = value.get("number")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = int(value)
    return number if _fits(number, f.type) else None
