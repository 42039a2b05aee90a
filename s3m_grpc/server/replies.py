"""Building reply messages straight from backend dicts into protobuf's upb classes.

A reply is built once as a upb message: gRPC sends its bytes (`SerializeToString`, in C) and
REST sends its JSON (`jsoncodec.upb_to_dict`), so both transports answer alike. Walking the
dict with a per-message plan costs a fraction of `json_format.ParseDict` (which checks and
looks up names on every field) and avoids building betterproto dataclasses that would only be
encoded again; `benchmarks/bench_server.py` measures both. Semantics match
`jsoncodec.from_dict`: keys are the contract's JSON names, unknown keys and nulls are ignored,
64-bit integers may be numbers or strings, and an empty object still marks a message present.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import betterproto2
from google.protobuf import descriptor
from google.protobuf.message import Message as UpbMessage

from s3m_grpc import jsoncodec
from s3m_grpc.errors import InternalError

_FD = descriptor.FieldDescriptor
_INTS = {
    _FD.TYPE_INT32,
    _FD.TYPE_INT64,
    _FD.TYPE_UINT32,
    _FD.TYPE_UINT64,
    _FD.TYPE_SINT32,
    _FD.TYPE_SINT64,
    _FD.TYPE_FIXED32,
    _FD.TYPE_FIXED64,
    _FD.TYPE_SFIXED32,
    _FD.TYPE_SFIXED64,
}
_FLOATS = {_FD.TYPE_FLOAT, _FD.TYPE_DOUBLE}

# Per field: (attribute name, repeated, sub-plan for messages or a scalar converter).
Plan = dict[str, tuple[str, bool, Any]]


def _int(v: Any) -> int:
    return v if type(v) is int else int(v)


def _float(v: Any) -> float:
    return float(v)


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    raise TypeError(f"expected a boolean, got {type(v).__name__}")


def _str(v: Any) -> str:
    if isinstance(v, str):
        return v
    raise TypeError(f"expected a string, got {type(v).__name__}")


@cache
def _plan(desc: Any) -> Plan:
    plan: Plan = {}
    for f in desc.fields:
        if f.type == _FD.TYPE_MESSAGE:
            conv: Any = f.message_type  # resolved lazily (messages may nest recursively)
        elif f.type in _INTS:
            conv = _int
        elif f.type in _FLOATS:
            conv = _float
        elif f.type == _FD.TYPE_BOOL:
            conv = _bool
        elif f.type == _FD.TYPE_STRING:
            conv = _str
        else:  # bytes and enums do not occur in the SLURM messages
            conv = None
        if conv is not None:
            plan[f.json_name] = (f.name, f.is_repeated, conv)
    return plan


def _fill(msg: Any, data: dict[str, Any], plan: Plan) -> None:
    for key, value in data.items():
        entry = plan.get(key)
        if entry is None or value is None:
            continue
        name, repeated, conv = entry
        if isinstance(conv, descriptor.Descriptor):
            sub = _plan(conv)
            if repeated:
                items = getattr(msg, name)
                for item in value:
                    _fill(items.add(), item, sub)
            else:
                child = getattr(msg, name)
                if value:
                    _fill(child, value, sub)
                else:
                    child.SetInParent()
        elif repeated:
            getattr(msg, name).extend([conv(v) for v in value])
        else:
            setattr(msg, name, conv(value))


def build(cls: type[betterproto2.Message], data: dict[str, Any]) -> UpbMessage:
    """The upb message of reply class `cls` holding `data` (a dict keyed by JSON names)."""
    msg = jsoncodec.upb_class(cls)()
    try:
        _fill(msg, data, _plan(msg.DESCRIPTOR))
    except (TypeError, ValueError, AttributeError) as exc:
        raise InternalError(
            f"the backend's {jsoncodec.full_name(cls)} reply has a bad value: {exc}"
        ) from None
    return msg
