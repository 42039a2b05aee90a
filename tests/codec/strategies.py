"""Hypothesis strategies: random betterproto2 messages of any generated class.

Built from the upb descriptor of each class (field kinds, presence) and betterproto2's field
names, so every message type of every version is covered without a per-message list. Messages
may carry unknown fields at any level, as a newer server's replies would.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from functools import cache
from typing import Any

import betterproto2
from google.protobuf.descriptor import FieldDescriptor
from hypothesis import strategies as st

from s3m_grpc import fastcodec
from s3m_grpc._pb.message_pool import default_message_pool

INT_RANGES = {
    FieldDescriptor.TYPE_INT32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_UINT32: (0, 2**32 - 1),
    FieldDescriptor.TYPE_INT64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_UINT64: (0, 2**64 - 1),
}
MAX_DEPTH = 2


def all_message_classes() -> list[type[betterproto2.Message]]:
    """Every generated message class of every API version, in a stable order."""
    from s3m_grpc.slurm import v0042, v0043, v0044

    out: list[type[betterproto2.Message]] = []
    for mod in (v0042, v0043, v0044):
        for name in sorted(mod.__all__):
            obj = getattr(mod, name)
            if isinstance(obj, type) and issubclass(obj, betterproto2.Message) and obj not in out:
                out.append(obj)
    assert all(fastcodec.supports(cls) for cls in out)
    return out


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


@st.composite
def unknown_fields(draw: st.DrawFn, known: frozenset[int]) -> bytes:
    """Valid wire bytes of 0-3 fields whose numbers the message does not declare."""
    out = b""
    for _ in range(draw(st.integers(0, 3))):
        number = draw(st.integers(1, 2000).filter(lambda n: n not in known))
        wire = draw(st.sampled_from((0, 1, 2, 5)))
        out += _varint(number << 3 | wire)
        if wire == 0:
            out += _varint(draw(st.integers(0, 2**64 - 1)))
        elif wire == 1:
            out += struct.pack("<Q", draw(st.integers(0, 2**64 - 1)))
        elif wire == 5:
            out += struct.pack("<I", draw(st.integers(0, 2**32 - 1)))
        else:
            payload = draw(st.binary(max_size=8))
            out += _varint(len(payload)) + payload
    return out


def _scalar(f: Any) -> st.SearchStrategy[Any]:
    t = f.type
    if t == FieldDescriptor.TYPE_STRING:
        return st.text(max_size=12)
    if t == FieldDescriptor.TYPE_BOOL:
        return st.booleans()
    if t == FieldDescriptor.TYPE_DOUBLE:
        return st.floats()
    if t == FieldDescriptor.TYPE_FLOAT:
        return st.floats(width=32)
    low, high = INT_RANGES[t]
    return st.one_of(st.integers(low, high), st.sampled_from((0, low, high)))


def py_names(cls: type[betterproto2.Message]) -> dict[int, str]:
    meta: Any = cls._betterproto  # type: ignore[arg-type]
    return {m.number: name for name, m in meta.meta_by_field_name.items()}


def class_of(desc_full_name: str) -> type[betterproto2.Message]:
    if desc_full_name == "google.protobuf.Empty":
        from s3m_grpc._pb.google.protobuf import Empty

        return Empty
    for url, cls in default_message_pool.url_to_type.items():
        if url.rsplit("/", 1)[-1] == desc_full_name:
            return cls
    raise KeyError(desc_full_name)


def _later(
    cls: type[betterproto2.Message], depth: int, unknown: bool
) -> Callable[[], st.SearchStrategy[Any]]:
    return lambda: messages(cls, depth, unknown)


@cache
def messages(
    cls: type[betterproto2.Message], depth: int = 0, unknown: bool = True
) -> st.SearchStrategy[Any]:
    """Random instances of `cls` (sub-messages down to MAX_DEPTH levels)."""
    desc: Any = fastcodec.upb_class(cls).DESCRIPTOR
    names = py_names(cls)
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for f in desc.fields:
        name = names[f.number]
        if f.type == FieldDescriptor.TYPE_MESSAGE:
            sub_cls = class_of(f.message_type.full_name)
            if depth >= MAX_DEPTH:
                sub: st.SearchStrategy[Any] = st.builds(sub_cls)
            else:
                sub = st.deferred(_later(sub_cls, depth + 1, unknown))
            if f.is_repeated:
                parts[name] = st.lists(sub, max_size=2)
            else:
                parts[name] = st.none() | sub
        elif f.is_repeated:
            parts[name] = st.lists(_scalar(f), max_size=3)
        elif f.has_presence:
            parts[name] = st.none() | _scalar(f)
        else:
            parts[name] = _scalar(f)
    known = frozenset(f.number for f in desc.fields)
    extra = unknown_fields(known) if unknown else st.just(b"")

    def build(args: tuple[dict[str, Any], bytes]) -> Any:
        kwargs, raw = args
        msg = cls(**kwargs)
        msg._unknown_fields = raw
        return msg

    return st.tuples(st.fixed_dictionaries(parts), extra).map(build)
