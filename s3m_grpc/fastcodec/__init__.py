"""Fast codec: upb (C) parses and serializes; betterproto2 dataclasses stay the public types.

`decode` parses binary protobuf with upb and returns an instance of the requested betterproto2
class whose fields are converted from the upb message on first access (see `_lazy`), so a
10,000-job reply costs one C parse plus the fields a caller actually reads. `from_json_object`
does the same over a dict from orjson. `encode` builds a upb message from a betterproto2 message
(or reuses the parsed upb message when nothing was read) and serializes it in C; `materialize`
turns a lazy message into a plain one. Nothing here is generated: the field tables are read from
the upb descriptors and betterproto2's metadata when a proto package is first used (`_tables`),
and one generic encoder, converter and JSON writer per class is built from them (`_generic`).
The design and its risks are in docs/decisions/0002-table-driven-codec.md.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import betterproto2
import orjson
from google.protobuf import json_format
from google.protobuf.message import DecodeError
from google.protobuf.message import Message as UpbMessage

from s3m_grpc.errors import InvalidRequestError, ProtocolError
from s3m_grpc.fastcodec import _tables
from s3m_grpc.fastcodec._generic import Codecs
from s3m_grpc.fastcodec._lazy import (
    BYTES,
    JSON,
    ODD,
    UPB,
    Field,
    Message,
    RepeatedMessage,
    UnknownFields,
    parse_bytes,
    wrap_bytes,
    wrap_json,
    wrap_upb,
)

__all__ = [
    "decode",
    "decode_on_read",
    "dict_to_json",
    "dict_to_upb",
    "encode",
    "from_json_object",
    "from_upb",
    "gc_paused",
    "is_lazy",
    "materialize",
    "supports",
    "to_json_dict",
    "to_upb",
    "upb_class",
]

M = TypeVar("M", bound=betterproto2.Message)

_CODECS = Codecs()
_UPB_CLASS: dict[type, type] = {}
_FIELDS: dict[type, tuple[Field, ...]] = {}
_UNKNOWN = UnknownFields()


def _load(cls: type) -> None:
    """Build the tables and codec functions of `cls` and every message class it contains."""
    todo = [cls]
    built = []
    while todo:
        msg_cls = todo.pop()
        if msg_cls in _UPB_CLASS:
            continue
        upb = _tables.upb_class(msg_cls)
        if upb is None:
            continue
        fields = _tables.fields(msg_cls, upb)
        _UPB_CLASS[msg_cls] = upb
        _FIELDS[msg_cls] = fields
        _CODECS.fields[msg_cls] = fields
        built.append((msg_cls, upb, fields))
        todo += [f.cls for f in fields if isinstance(f, Message)]
    for msg_cls, upb, fields in built:
        _CODECS.build(msg_cls, upb, fields)
        # Lazy field descriptors; ordinary instances keep their values in __dict__ and never
        # reach them.
        for field in fields:
            setattr(msg_cls, field.name, field)
        msg_cls._unknown_fields = _UNKNOWN  # type: ignore[attr-defined]


def _upb_of(cls: type) -> Any:
    upb = _UPB_CLASS.get(cls)
    if upb is None:
        _load(cls)
        upb = _UPB_CLASS.get(cls)
    return upb


def supports(cls: type) -> bool:
    """Whether `cls` has a fast path (every generated message of every version does)."""
    return _upb_of(cls) is not None


def upb_class(cls: type) -> type[UpbMessage]:
    """The upb class generated from the same message as betterproto2 class `cls`."""
    upb = _upb_of(cls)
    if upb is None:
        raise KeyError(cls)
    return upb  # type: ignore[no-any-return]


def decode(cls: type[M], data: bytes) -> M:
    """Parse binary protobuf into a `cls` whose fields are filled on first access."""
    upb = _upb_of(cls)
    if upb is None:
        return cls.parse(data)
    msg = upb()
    try:
        msg.ParseFromString(data)
    except DecodeError as exc:
        raise ProtocolError(f"cannot decode {upb.DESCRIPTOR.full_name}: {exc}") from None
    return wrap_upb(cls, msg)  # type: ignore[no-any-return]


def decode_on_read(cls: type[M], data: bytes) -> M:
    """A `cls` that keeps binary `data` and parses it (upb) when a field is first read.

    For messages kept long and seldom read: the bytes take a fraction of the parsed message's
    memory. `data` must be valid (upb wrote it, or parsed it already): a parse error there
    would surface at an attribute read.
    """
    return wrap_bytes(cls, upb_class(cls), data)  # type: ignore[no-any-return]


def from_upb(cls: type[M], msg: UpbMessage) -> M:
    """A `cls` reading its fields from the upb message `msg` (kept, not copied)."""
    _upb_of(cls)
    return wrap_upb(cls, msg)  # type: ignore[no-any-return]


def from_json_object(cls: type[M], obj: dict[str, Any]) -> M:
    """A `cls` reading its fields from a JSON object with the contract's JSON names.

    Each field is checked and converted when first read, as protobuf's `json_format` would
    (unknown keys ignored, null = unset, 64-bit integers as numbers or strings); a bad value
    raises `ProtocolError` at that read. The fields of the message itself and of its singular
    sub-messages are read here, so a wrong shape there fails now; the items of repeated
    message fields (the jobs of a 10,000-job reply) are checked as they are read.
    """
    _upb_of(cls)
    message = wrap_json(cls, obj)
    _read_singular(message)
    return message  # type: ignore[no-any-return]


def _read_singular(message: Any) -> None:
    for field in _FIELDS[type(message)]:
        value = getattr(message, field.name)
        if value is not None and type(field) is Message:
            _read_singular(value)


def to_upb(message: betterproto2.Message) -> UpbMessage:
    """The message as an upb message (shares storage with a lazy message's untouched source)."""
    if _upb_of(type(message)) is None:
        raise TypeError(f"no fast codec for {type(message).__qualname__}")
    try:
        with gc_paused():
            return _CODECS.to_upb(message)  # type: ignore[no-any-return]
    except (TypeError, ValueError, DecodeError) as exc:
        name = type(message).__name__
        raise InvalidRequestError(f"cannot encode {name}: {exc}") from None


def encode(message: betterproto2.Message) -> bytes:
    """Binary protobuf of `message`, serialized by upb."""
    if _upb_of(type(message)) is None:
        return bytes(message)
    return to_upb(message).SerializeToString()


def dict_to_upb(cls: type[betterproto2.Message], obj: dict[str, Any]) -> UpbMessage:
    """A upb `cls` from a JSON object with the contract's names, read as protobuf's
    `json_format` reads it (unknown keys ignored, null = unset); a bad value raises
    `ProtocolError`.

    An object whose values all have their plain spelling goes to upb as it is, so upb builds
    the whole tree in C; no betterproto2 message is made on the way.
    """
    upb = _upb_of(cls)
    if upb is None:
        raise TypeError(f"no fast codec for {cls.__qualname__}")
    with gc_paused():
        try:
            return upb(**_CODECS.json_kwargs[cls](obj))  # type: ignore[no-any-return]
        except ODD:
            pass  # an unusual value somewhere: protobuf's own reader decides
        msg = upb()
        try:
            json_format.ParseDict(obj, msg, ignore_unknown_fields=True, max_recursion_depth=64)
        except (json_format.ParseError, RecursionError, ValueError, TypeError) as exc:
            raise ProtocolError(f"invalid {upb.DESCRIPTOR.full_name} JSON: {exc}") from None
        return msg  # type: ignore[no-any-return]


def dict_to_json(cls: type[betterproto2.Message], obj: dict[str, Any]) -> bytes:
    """JSON text of `cls` from a JSON object with the contract's names; a bad value raises
    `ProtocolError`, as `dict_to_upb` does.

    When every value has its plain spelling, one pass leaves out what protobuf JSON leaves out
    (defaults of fields without presence, nulls, empty lists, unknown keys; only those parts
    are copied) and orjson writes the result; any other object is read into upb and written
    the way protobuf JSON writes it.
    """
    if _upb_of(cls) is None:
        raise TypeError(f"no fast codec for {cls.__qualname__}")
    with gc_paused():
        try:
            return orjson.dumps(_CODECS.json_clean[cls](obj))
        except (*ODD, orjson.JSONEncodeError):
            pass
        return orjson.dumps(_CODECS.write_upb[cls](dict_to_upb(cls, obj)))


def is_lazy(message: betterproto2.Message) -> bool:
    """Whether `message` still reads some fields from its source."""
    d = message.__dict__
    return UPB in d or JSON in d or BYTES in d


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while building many objects that all stay alive.

    Building ~400,000 messages otherwise triggers repeated full collections that walk every
    object built so far (measured: about 2x the conversion time); nothing built here is garbage.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def has_unknown_fields(msg: UpbMessage) -> bool:
    """Whether a upb message or any message inside it holds unknown fields."""
    copy = type(msg)()
    copy.CopyFrom(msg)
    copy.DiscardUnknownFields()
    return copy.ByteSize() != msg.ByteSize()


def to_json_dict(message: betterproto2.Message) -> dict[str, Any]:
    """The message as a dict with the contract's JSON names, as protobuf JSON writes it
    (defaults omitted, 64-bit integers as numbers)."""
    _upb_of(type(message))
    with gc_paused():
        return _CODECS.write[type(message)](message)


def materialize(message: M) -> M:
    """Convert every field of `message` and its sub-messages now and drop the sources.

    Afterwards the message is an ordinary betterproto2 instance (returned for chaining).
    """
    with gc_paused():
        return _materialize(message)


def _materialize(message: M) -> M:
    cls = type(message)
    _upb_of(cls)
    fields = _FIELDS.get(cls)
    if fields is None:
        return message
    d = message.__dict__
    src = d.get(UPB)
    if src is None and BYTES in d:
        src = parse_bytes(message)
    if src is not None:
        # Convert everything not read yet in one go; fields already read (and perhaps
        # changed) are kept and materialized themselves.
        fresh = _CODECS.convert[cls](src, has_unknown_fields(src)).__dict__
        del d[UPB]
        for name, value in d.items():
            fresh[name] = value
        message.__dict__ = fresh
        if not d:
            return message
        d = fresh
    for field in fields:
        value = getattr(message, field.name)
        if isinstance(field, RepeatedMessage):
            for item in value:
                _materialize(item)
        elif isinstance(field, Message) and value is not None:
            _materialize(value)
    message._unknown_fields  # noqa: B018 - reading it converts it
    d.pop(JSON, None)
    return message
