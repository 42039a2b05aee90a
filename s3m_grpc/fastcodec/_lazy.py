"""Field descriptors that fill a betterproto2 message from a upb message or a JSON dict on demand.

betterproto2 0.10 keeps every field value in the instance `__dict__` and defines no class
attribute for it. A non-data descriptor installed on the class under the field's name is
therefore consulted only when the instance `__dict__` lacks the name: ordinary instances never
reach it, while an instance made by `wrap_upb`/`wrap_json` (whose `__dict__` holds only its
source) converts a field the first time it is read and stores the result in `__dict__`, after
which reads are plain attribute reads. betterproto2's own `__eq__`, `__repr__`, `__bytes__`,
`to_dict`, copy and pickle read fields through `__getattribute__`/`getattr`, so they see the same
values an eagerly parsed message holds.

A third source, binary bytes (`wrap_bytes`), is parsed into upb when a field is first read and
is read as a upb source from then on: a message kept for long (the job watcher's `JobInfo.raw`)
holds its wire bytes only, a fraction of what the parsed upb message takes.
"""

from __future__ import annotations

import re
from typing import Any

from google.protobuf import json_format
from google.protobuf.internal.type_checkers import ToShortestFloat
from google.protobuf.message import Message as UpbMessage
from google.protobuf.unknown_fields import UnknownFieldSet

from s3m_grpc.errors import ProtocolError

# Keys under which a lazily filled message keeps its source (never a field name: fields are
# identifiers without a leading `_s3m_`).
UPB = "_s3m_upb"
JSON = "_s3m_json"
BYTES = "_s3m_bytes"

_SURROGATE = re.compile("[\ud800-\udfff]")
INT_RANGE = {
    "int32": (-(2**31), 2**31),
    "uint32": (0, 2**32),
    "int64": (-(2**63), 2**63),
    "uint64": (0, 2**64),
}


class Odd(Exception):
    """A JSON value not in its plain spelling: read that message field by field instead."""


# What the fast JSON-to-upb path raises (itself, or upb on an out-of-range or unencodable
# value) on a value it leaves to the exact path.
ODD = (Odd, TypeError, ValueError, AttributeError, UnicodeError, OverflowError)


def wrap_upb(cls: type, src: UpbMessage) -> Any:
    """A `cls` instance whose fields are read from the upb message `src` on first access."""
    obj: Any = object.__new__(cls)
    obj.__dict__[UPB] = src
    return obj


def wrap_json(cls: type, src: dict[str, Any]) -> Any:
    """A `cls` instance whose fields are read from the JSON object `src` on first access."""
    obj: Any = object.__new__(cls)
    obj.__dict__[JSON] = src
    return obj


def wrap_bytes(cls: type, upb_cls: type[UpbMessage], data: bytes) -> Any:
    """A `cls` instance keeping binary `data` (of upb class `upb_cls`) until a field is read.

    `data` must parse (upb wrote or already parsed it): it is parsed on first read, where no
    error is expected.
    """
    obj: Any = object.__new__(cls)
    obj.__dict__[BYTES] = (upb_cls, data)
    return obj


def parse_bytes(obj: Any) -> UpbMessage | None:
    """Parse the bytes `obj` keeps (`wrap_bytes`) into its upb source now; None when it
    keeps none."""
    d = obj.__dict__
    kept = d.pop(BYTES, None)
    if kept is None:
        return None
    upb_cls, data = kept
    src: UpbMessage = upb_cls()
    src.ParseFromString(data)
    d[UPB] = src
    return src


def upb_unknown_fields(src: UpbMessage) -> bytes:
    """The unknown fields of `src` itself (not of its sub-messages), as raw wire bytes."""
    if not len(UnknownFieldSet(src)):
        return b""
    # Clearing every known field of a copy leaves exactly this level's unknown bytes, in the
    # order they arrived, as betterproto2 keeps them.
    copy = type(src)()
    copy.CopyFrom(src)
    for field, _ in copy.ListFields():
        copy.ClearField(field.name)
    return copy.SerializeToString()


class Field:
    """Base of the per-field descriptors; subclasses convert one kind of field."""

    __slots__ = ("json_keys", "kind", "name", "upb_cls", "upb_name")

    def __init__(
        self, name: str, upb_name: str, json_keys: tuple[str, ...], kind: str, upb_cls: type
    ) -> None:
        self.name = name
        self.upb_name = upb_name
        self.json_keys = json_keys
        self.kind = kind
        self.upb_cls = upb_cls

    def __set_name__(self, owner: type, name: str) -> None:  # pragma: no cover - set by install
        pass

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            # As before installation: the class itself has no attribute of a field's name.
            raise AttributeError(self.name)
        d = obj.__dict__
        src = d.get(UPB)
        if src is not None:
            value = self.from_upb(src)
        else:
            js = d.get(JSON)
            if js is not None:
                value = self.from_json(js)
            else:
                src = parse_bytes(obj)
                if src is None:
                    raise AttributeError(
                        f"{type(obj).__name__!r} object has no attribute {self.name!r}"
                    )
                value = self.from_upb(src)
        d[self.name] = value
        return value

    def from_upb(self, src: Any) -> Any:
        raise NotImplementedError

    def from_json(self, js: dict[str, Any]) -> Any:
        raise NotImplementedError

    def json_value(self, js: dict[str, Any]) -> Any:
        """The raw JSON value of this field (`None` when absent or null)."""
        for key in self.json_keys:
            value = js.get(key)
            if value is not None:
                return value
        return None

    def reference(self, key_value: Any) -> Any:
        """Convert an unusual JSON value exactly as protobuf's `json_format` does."""
        upb = self.upb_cls()
        try:
            json_format.ParseDict({self.json_keys[0]: key_value}, upb, ignore_unknown_fields=True)
        except (json_format.ParseError, RecursionError, ValueError, TypeError) as exc:
            name = upb.DESCRIPTOR.full_name
            raise ProtocolError(f"invalid {name} JSON: {exc}") from None
        return self.from_upb(upb)


class Scalar(Field):
    """string, bool, integer or floating-point field without presence."""

    __slots__ = ()

    def from_upb(self, src: Any) -> Any:
        return getattr(src, self.upb_name)

    def from_json(self, js: dict[str, Any]) -> Any:
        value = self.json_value(js)
        if value is None:
            return _DEFAULTS[self.kind]
        return json_scalar(self, value)


class OptionalScalar(Field):
    """proto3 `optional` scalar: `None` when not present."""

    __slots__ = ()

    def from_upb(self, src: Any) -> Any:
        name = self.upb_name
        return getattr(src, name) if src.HasField(name) else None

    def from_json(self, js: dict[str, Any]) -> Any:
        value = self.json_value(js)
        if value is None:
            return None
        return json_scalar(self, value)


class RepeatedScalar(Field):
    """repeated scalar field: a new list."""

    __slots__ = ()

    def from_upb(self, src: Any) -> Any:
        return list(getattr(src, self.upb_name))

    def from_json(self, js: dict[str, Any]) -> Any:
        value = self.json_value(js)
        if value is None:
            return []
        if type(value) is list:
            kind = self.kind
            if kind == "string":
                if all(type(v) is str and (v.isascii() or not _SURROGATE.search(v)) for v in value):
                    return list(value)
            elif kind == "bool":
                if all(type(v) is bool for v in value):
                    return list(value)
            elif kind in INT_RANGE:
                low, high = INT_RANGE[kind]
                if all(type(v) is int and low <= v < high for v in value):
                    return list(value)
        return self.reference(value)


class Message(Field):
    """singular message field: `None` when not present."""

    __slots__ = ("cls",)

    def __init__(
        self,
        name: str,
        upb_name: str,
        json_keys: tuple[str, ...],
        kind: str,
        upb_cls: type,
        cls: type,
    ) -> None:
        super().__init__(name, upb_name, json_keys, kind, upb_cls)
        self.cls = cls

    def from_upb(self, src: Any) -> Any:
        name = self.upb_name
        if not src.HasField(name):
            return None
        obj: Any = object.__new__(self.cls)
        obj.__dict__[UPB] = getattr(src, name)
        return obj

    def from_json(self, js: dict[str, Any]) -> Any:
        value = self.json_value(js)
        if value is None:
            return None
        if type(value) is dict:
            obj: Any = object.__new__(self.cls)
            obj.__dict__[JSON] = value
            return obj
        return self.reference(value)


class RepeatedMessage(Message):
    """repeated message field: a new list of lazily filled messages."""

    __slots__ = ()

    def from_upb(self, src: Any) -> Any:
        cls = self.cls
        new = object.__new__
        out = []
        for item in getattr(src, self.upb_name):
            obj: Any = new(cls)
            obj.__dict__[UPB] = item
            out.append(obj)
        return out

    def from_json(self, js: dict[str, Any]) -> Any:
        value = self.json_value(js)
        if value is None:
            return []
        if type(value) is list:
            cls = self.cls
            new = object.__new__
            out = []
            for item in value:
                if type(item) is not dict:
                    return self.reference(value)
                obj: Any = new(cls)
                obj.__dict__[JSON] = item
                out.append(obj)
            return out
        return self.reference(value)


class UnknownFields:
    """`_unknown_fields`: the raw bytes of fields this message does not know."""

    __slots__ = ()

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            raise AttributeError("_unknown_fields")
        d = obj.__dict__
        src = d.get(UPB)
        if src is None and JSON not in d:
            src = parse_bytes(obj)
        if src is not None:
            value = upb_unknown_fields(src)
        elif JSON in d:
            value = b""
        else:
            raise AttributeError(
                f"{type(obj).__name__!r} object has no attribute '_unknown_fields'"
            )
        d["_unknown_fields"] = value
        return value


_DEFAULTS: dict[str, Any] = {
    "string": "",
    "bool": False,
    "int32": 0,
    "uint32": 0,
    "int64": 0,
    "uint64": 0,
    "double": 0.0,
    "float": 0.0,
}


def json_scalar(field: Field, value: Any) -> Any:
    """A JSON scalar as the Python value upb would hold; unusual shapes go the reference way."""
    kind = field.kind
    t = type(value)
    if kind == "string":
        if t is str and (value.isascii() or not _SURROGATE.search(value)):
            return value
    elif kind == "bool":
        if t is bool:
            return value
    elif kind in INT_RANGE:
        if t is int:
            low, high = INT_RANGE[kind]
            if low <= value < high:
                return value
    elif kind == "double" and t is float and value - value == 0.0:  # finite
        return value
    return field.reference(value)


def json_double(value: float) -> Any:
    """A double as protobuf JSON writes it ("NaN", "Infinity", "-Infinity" as strings)."""
    if value - value == 0.0:
        return value
    if value != value:
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def json_float(value: float) -> Any:
    """A float32 as protobuf JSON writes it: the shortest text that reads back the same."""
    if value - value == 0.0:
        return ToShortestFloat(value)
    return json_double(value)
