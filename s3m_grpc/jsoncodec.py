"""JSON with the contract's JSON names, for betterproto2 messages.

betterproto2 ignores `json_name` (`CPUs`, `CPU`) and camel-cases everything else, so REST and
`-o json` go through protobuf's own `json_format` on the upb classes generated from the same
protos. Reading is tolerant as S3M's REST clients need: unknown keys are ignored, missing keys
take defaults, 64-bit integers may be numbers or strings. Writing gives 64-bit integers as JSON
numbers, as slurmrestd and the S3M docs do.

Replies (`request=False`) are read lazily through `s3m_grpc.fastcodec`: orjson (C) parses the
text and each field is checked and converted when first read, exactly as `json_format` would,
so a 10,000-job reply costs one C parse plus what the caller reads; a bad value raises
`ProtocolError` at that read. Requests (`request=True`) are checked whole up front, so a bad
request fails with `InvalidRequestError` before anything is sent or run.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

import betterproto2
import orjson
from google.protobuf import descriptor, json_format
from google.protobuf.message import Message as UpbMessage

from s3m_grpc import fastcodec
from s3m_grpc._pb.message_pool import default_message_pool
from s3m_grpc.errors import InvalidRequestError, ProtocolError

M = TypeVar("M", bound=betterproto2.Message)

_FD = descriptor.FieldDescriptor
_INT64 = {_FD.TYPE_INT64, _FD.TYPE_UINT64, _FD.TYPE_SINT64, _FD.TYPE_FIXED64, _FD.TYPE_SFIXED64}
MAX_DEPTH = 64


def full_name(cls: type[betterproto2.Message]) -> str:
    """The proto full name of a generated betterproto2 class."""
    url = default_message_pool.type_to_url[cls]
    return url.rsplit("/", 1)[-1]


def upb_class(cls: type) -> type[UpbMessage]:
    """The protobuf (upb) class generated from the same message (`KeyError` if none)."""
    return fastcodec.upb_class(cls)


@cache
def _int64_plan(desc: Any) -> tuple[tuple[str, bool, Any], ...]:
    """Per message: (json key, repeated, sub-descriptor or None for a 64-bit scalar)."""
    plan = []
    for f in desc.fields:
        if f.type == _FD.TYPE_MESSAGE:
            if _has_int64(f.message_type, frozenset()):
                plan.append((f.json_name, f.is_repeated, f.message_type))
        elif f.type in _INT64:
            plan.append((f.json_name, f.is_repeated, None))
    return tuple(plan)


def _has_int64(desc: Any, seen: frozenset[str]) -> bool:
    if desc.full_name in seen:
        return False
    for f in desc.fields:
        if f.type in _INT64:
            return True
        if f.type == _FD.TYPE_MESSAGE and _has_int64(f.message_type, seen | {desc.full_name}):
            return True
    return False


def _numbers(obj: dict[str, Any], desc: Any) -> None:
    """Turn protobuf JSON's stringified 64-bit integers back into numbers, in place."""
    for key, repeated, sub in _int64_plan(desc):
        value = obj.get(key)
        if value is None:
            continue
        if sub is None:
            obj[key] = [int(v) for v in value] if repeated else int(value)
        elif repeated:
            for item in value:
                _numbers(item, sub)
        else:
            _numbers(value, sub)


def upb_to_dict(msg: UpbMessage) -> dict[str, Any]:
    """A upb message as a dict keyed by the contract's JSON names."""
    out: dict[str, Any] = json_format.MessageToDict(msg, preserving_proto_field_name=False)
    _numbers(out, msg.DESCRIPTOR)
    return out


def to_dict(message: betterproto2.Message) -> dict[str, Any]:
    """A message as a dict keyed by the contract's JSON names (defaults omitted)."""
    if fastcodec.supports(type(message)):
        return fastcodec.to_json_dict(message)
    return reference_to_dict(message)


def reference_to_dict(message: betterproto2.Message) -> dict[str, Any]:
    """`to_dict` through protobuf's `json_format` (what the generated writer must equal)."""
    if fastcodec.supports(type(message)):
        return upb_to_dict(fastcodec.to_upb(message))
    return upb_to_dict(upb_class(type(message)).FromString(bytes(message)))


def to_json(message: betterproto2.Message, *, indent: bool = False) -> bytes:
    """A message as JSON bytes with the contract's JSON names."""
    return orjson.dumps(to_dict(message), option=orjson.OPT_INDENT_2 if indent else 0)


def dict_to_json(cls: type[betterproto2.Message], obj: dict[str, Any]) -> bytes:
    """JSON bytes of a `cls` given as a dict with the contract's JSON names (the local
    server's replies), as `to_json` writes the message; a bad value raises `ProtocolError`."""
    return fastcodec.dict_to_json(cls, obj)


def from_dict(cls: type[M], data: Any, *, request: bool = False) -> M:
    """Build a message from a JSON-shaped dict; a bad shape raises a typed error.

    `request=True` makes a bad shape an `InvalidRequestError` (a client sent it); otherwise
    it is a `ProtocolError` (a server replied with it).
    """
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise _bad(request, f"expected a JSON object for {full_name(cls)}, got {kind}")
    if not request and fastcodec.supports(cls):
        # The message reads `data` later, so it gets its own copy (a C round trip through
        # orjson): the caller may change or reuse its dicts. What orjson cannot write (keys
        # that are not strings, integers beyond 64 bits, other types) is read the reference way.
        try:
            with fastcodec.gc_paused():
                own = orjson.loads(orjson.dumps(data))
        except (orjson.JSONEncodeError, TypeError):
            return reference_from_dict(cls, data, request=request)
        return fastcodec.from_json_object(cls, own)
    return reference_from_dict(cls, data, request=request)


def _from_own_dict(cls: type[M], data: Any, *, request: bool) -> M:
    """`from_dict` for a dict nobody else holds (just parsed): no copy needed."""
    if isinstance(data, dict) and not request and fastcodec.supports(cls):
        return fastcodec.from_json_object(cls, data)
    return from_dict(cls, data, request=request)


def reference_from_dict(cls: type[M], data: dict[str, Any], *, request: bool = False) -> M:
    """`from_dict` through protobuf's `json_format`, converting every field now."""
    upb = upb_class(cls)()
    try:
        # A request names only fields its message has (as grpc-gateway and protojson require);
        # a reply may carry fields newer than our protos.
        json_format.ParseDict(
            data, upb, ignore_unknown_fields=not request, max_recursion_depth=MAX_DEPTH
        )
    except (json_format.ParseError, RecursionError, ValueError, TypeError) as exc:
        raise _bad(request, f"invalid {full_name(cls)} JSON: {exc}") from None
    if fastcodec.supports(cls):
        return fastcodec.from_upb(cls, upb)
    return cls.parse(upb.SerializeToString())


def from_json(cls: type[M], data: bytes | str, *, request: bool = False) -> M:
    """Parse JSON text into a message of `cls` (see `from_dict`)."""
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise _bad(request, f"malformed JSON: {exc}") from None
    return _from_own_dict(cls, obj, request=request)


def _bad(request: bool, text: str) -> InvalidRequestError | ProtocolError:
    return InvalidRequestError(text) if request else ProtocolError(text)
