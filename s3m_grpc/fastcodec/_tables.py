"""Field tables of every message class, read at run time from upb descriptors and betterproto2.

For each betterproto2 class: its upb class (same proto full name in
protobuf's default pool) and one `_lazy` field descriptor per proto field, naming the Python
attribute, the upb attribute, the JSON keys (the contract's `json_name`, then the proto name)
and the scalar kind. Everything the codec does is driven by these tables, so a proto change
needs no generated code here; a field kind the codec does not handle stops at load time.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from typing import Any

from google.protobuf import descriptor_pool, empty_pb2, message_factory
from google.protobuf.descriptor import FieldDescriptor

from s3m_grpc._pb.message_pool import default_message_pool
from s3m_grpc.fastcodec._lazy import (
    Field,
    Message,
    OptionalScalar,
    RepeatedMessage,
    RepeatedScalar,
    Scalar,
)

KINDS = {
    FieldDescriptor.TYPE_STRING: "string",
    FieldDescriptor.TYPE_BOOL: "bool",
    FieldDescriptor.TYPE_INT32: "int32",
    FieldDescriptor.TYPE_UINT32: "uint32",
    FieldDescriptor.TYPE_INT64: "int64",
    FieldDescriptor.TYPE_UINT64: "uint64",
    FieldDescriptor.TYPE_DOUBLE: "double",
    FieldDescriptor.TYPE_FLOAT: "float",
    FieldDescriptor.TYPE_MESSAGE: "message",
}
_PB_ROOT = "s3m_grpc._pb"
_UPB_ROOT = "s3m_grpc._upb"
_WELL_KNOWN = {"google.protobuf.Empty": empty_pb2.Empty}
_IMPORTED: set[str] = set()


def full_name(cls: type) -> str | None:
    """The proto full name of a generated betterproto2 class (None for any other class)."""
    url = default_message_pool.type_to_url.get(cls)
    return None if url is None else url.rsplit("/", 1)[-1]


def _import_upb(cls: type) -> None:
    """Import the upb modules of `cls`'s proto package (they register its descriptors)."""
    module = getattr(cls, "__module__", "")
    if module in _IMPORTED or not module.startswith(_PB_ROOT + "."):
        return
    _IMPORTED.add(module)
    package = _UPB_ROOT + module[len(_PB_ROOT) :]
    try:
        pkg = importlib.import_module(package)
    except ImportError:
        return  # google.protobuf: protobuf's own modules
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.endswith("_pb2"):
            importlib.import_module(f"{package}.{info.name}")


def upb_class(cls: type) -> type | None:
    """The upb class generated from the same proto message as betterproto2 class `cls`."""
    name = full_name(cls)
    if name is None:
        return None
    _import_upb(cls)
    known = _WELL_KNOWN.get(name)
    if known is not None:
        return known
    desc = descriptor_pool.Default().FindMessageTypeByName(name)
    return message_factory.GetMessageClass(desc)


def fields(cls: type, upb: Any) -> tuple[Field, ...]:
    """The lazy field descriptors of `cls` (upb class `upb`), in declaration order."""
    # betterproto2's per-field metadata, read from the dataclass fields: its `_betterproto`
    # summary resolves every type hint, which costs more than everything else here.
    py_names = {
        f.metadata["betterproto"].number: f.name
        for f in dataclasses.fields(cls)
        if "betterproto" in f.metadata
    }
    out: list[Field] = []
    for f in upb.DESCRIPTOR.fields:
        kind = KINDS.get(f.type)
        if kind is None or (f.containing_oneof is not None and not f.has_presence):
            raise TypeError(f"fastcodec: unsupported field {f.full_name} (type {f.type})")
        keys = tuple(dict.fromkeys((f.json_name, f.name)))
        args = (py_names[f.number], f.name, keys, kind, upb)
        if f.type == FieldDescriptor.TYPE_MESSAGE:
            sub = _class_named(f.message_type.full_name)
            kind_cls = RepeatedMessage if f.is_repeated else Message
            out.append(kind_cls(*args, sub))
        elif f.is_repeated:
            out.append(RepeatedScalar(*args))
        elif f.has_presence:
            out.append(OptionalScalar(*args))
        else:
            out.append(Scalar(*args))
    return tuple(out)


def _class_named(name: str) -> type:
    """The betterproto2 class of proto message `name`."""
    cls = default_message_pool.url_to_type.get(f"type.googleapis.com/{name}")
    if cls is None:
        raise TypeError(f"fastcodec: no betterproto2 class for {name}")
    return cls
