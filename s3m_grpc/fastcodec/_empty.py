"""`google.protobuf.Empty`, the one message the versions share, in the fast codec's terms."""

from __future__ import annotations

from typing import Any

from google.protobuf import empty_pb2

from s3m_grpc._pb.google.protobuf import Empty
from s3m_grpc.fastcodec._lazy import UPB, Odd, upb_unknown_fields


def encode_upb(m: Any) -> Any:
    """`Empty` (with any unknown fields it carries) as a upb message."""
    src = m.__dict__.get(UPB)
    if src is not None and len(m.__dict__) == 1:
        return src
    u = empty_pb2.Empty()
    unknown = m._unknown_fields
    if unknown:
        u.MergeFromString(unknown)
    return u


MESSAGES: dict[type, tuple[type, tuple[Any, ...]]] = {Empty: (empty_pb2.Empty, ())}
ENCODERS = {Empty: encode_upb}


def convert_upb(s: Any, unk: bool) -> Any:
    """A plain `Empty` from a upb `Empty`."""
    o = object.__new__(Empty)
    o.__dict__ = {"_unknown_fields": upb_unknown_fields(s) if unk else b""}
    return o


CONVERTERS = {Empty: convert_upb}


def empty_dict(m: Any) -> dict[str, Any]:
    """`Empty` in JSON: an empty object."""
    return {}


DICTS = {Empty: empty_dict}


def empty_jenc(d: Any) -> Any:
    """`Empty` from a JSON object (any keys are unknown and ignored)."""
    if type(d) is not dict:
        raise Odd
    return empty_pb2.Empty()


JSON_ENCODERS = {Empty: empty_jenc}


def udict_Empty(s: Any) -> dict[str, Any]:
    """`Empty` in JSON from upb: an empty object."""
    return {}
