"""The job watcher's lean reading of a `GetJobs` reply.

Of each listed job the watcher needs its id, its SLURM state words and, for array tasks and
heterogeneous components, four ids; of a followed job whose state changed, the whole job. A
10,000-job binary reply is ~7.5 MB on the wire; parsed whole by upb it takes ~34 MB more, and
a job kept as a upb copy of its own ~8 KB. Read here instead (`READER`, a `ReplyReader` the
watcher passes with its `GetJobs`):

- The reply's top level is walked on its wire bytes (`_scan`): where each job starts and
  ends, nothing decoded, nothing copied. A reply the walk does not read (errors or warnings
  in it, a group, malformed bytes) is decoded whole as any other.
- While the watcher looks at a job, its bytes are parsed (in C, well under a microsecond)
  into a narrow job message (id, state words, the array and het ids; upb skips the rest),
  dropped after.
- Of a changed job a copy of its bytes is taken (`later`); its `JobInfo` is read from that
  copy parsed whole when the watcher needs the view, which may be after the reply is gone;
  its `raw` keeps only the copy (`fastcodec.decode_on_read`: parsed again if a field is
  read), so a finished job kept costs its view and its ~1 KB of bytes, never the reply.

The narrow job message is made at run time from each version's descriptors (field numbers
and types copied), in a descriptor pool of its own. A reply carrying `errors` or `warnings`, a
JSON reply (REST) and a reply a transport decoded its own way are read through their decoded
messages (`Decoded`), each kept job detached from the reply.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import betterproto2
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import DecodeError
from google.protobuf.message import Message as UpbMessage

from s3m_grpc import codec, jsoncodec
from s3m_grpc.errors import ProtocolError
from s3m_grpc.fastcodec import decode_on_read, from_upb, upb_class
from s3m_grpc.fastcodec._lazy import UPB
from s3m_grpc.jobs import JobInfo

__all__ = ["READER", "Decoded", "Lean", "ListingReader", "detached", "listing"]

# What the watcher reads of every listed job (`watcher._listing_key`).
JOB_FIELDS = (
    "job_id",
    "job_state",
    "array_job_id",
    "array_task_id",
    "het_job_id",
    "het_job_offset",
)
_POOL = descriptor_pool.DescriptorPool()  # the narrow messages only
_NARROW: dict[type, _Narrow] = {}
_NARROW_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class _Narrow:
    """How to read one version's `GetJobs` reply."""

    jobs: int  # field number of `jobs`
    checked: frozenset[int]  # field numbers of `errors` and `warnings`
    job: type[UpbMessage]  # JOB_FIELDS only
    full_job: type[UpbMessage]  # the job's upb class
    job_cls: type[betterproto2.Message]  # the job's betterproto2 class


def _narrow(cls: type[betterproto2.Message]) -> _Narrow:
    """How to read response type `cls` (a version's `JobsResp`); made once (replies are read
    on worker threads, so under a lock)."""
    narrow = _NARROW.get(cls)
    if narrow is None:
        with _NARROW_LOCK:
            narrow = _NARROW.get(cls)
            if narrow is None:
                narrow = _NARROW[cls] = _make_narrow(cls)
    return narrow


def _make_narrow(cls: type[betterproto2.Message]) -> _Narrow:
    reply_desc: Any = upb_class(cls).DESCRIPTOR
    fields = reply_desc.fields_by_name
    job_desc = fields["jobs"].message_type
    source = descriptor_pb2.FileDescriptorProto()
    reply_desc.file.CopyToProto(source)
    package = "s3m_grpc.listing." + reply_desc.full_name.replace(".", "_")
    file = descriptor_pb2.FileDescriptorProto(
        name=package.replace(".", "/") + ".proto", package=package, syntax=source.syntax
    )
    whole = descriptor_pb2.DescriptorProto()
    job_desc.CopyToProto(whole)
    job = file.message_type.add(name="Job")
    copied: set[str] = set()
    for field in whole.field:
        if field.name not in JOB_FIELDS:
            continue
        kept = job.field.add()
        kept.CopyFrom(field)
        kept.ClearField("oneof_index")  # presence is not read: no (synthetic) oneof needed
        kept.ClearField("proto3_optional")
        if field.type == descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE:
            # A `*NoVal` (scalars only): copied whole into this file.
            sub = job_desc.fields_by_name[field.name].message_type
            kept.type_name = f".{package}.{sub.name}"
            if sub.name not in copied:
                copied.add(sub.name)
                sub.CopyToProto(file.message_type.add())
    _POOL.Add(file)
    return _Narrow(
        jobs=fields["jobs"].number,
        checked=frozenset((fields["errors"].number, fields["warnings"].number)),
        job=message_factory.GetMessageClass(_POOL.FindMessageTypeByName(f"{package}.Job")),
        full_job=message_factory.GetMessageClass(job_desc),
        job_cls=_job_class(cls),
    )


def _job_class(cls: type[betterproto2.Message]) -> type[betterproto2.Message]:
    """The betterproto2 class of `cls.jobs`' items."""
    meta: Any = cls._betterproto  # type: ignore[arg-type]
    job_cls: type[betterproto2.Message] = meta.cls_by_field["jobs"]
    return job_cls


class Lean:
    """A binary `GetJobs` reply as the watcher reads it (see the module docstring)."""

    __slots__ = ("_data", "_narrow", "_spans")

    errors: tuple[()] = ()  # a reply with errors or warnings is `Decoded`
    warnings: tuple[()] = ()

    def __init__(self, data: bytes, spans: Sequence[int], narrow: _Narrow) -> None:
        self._data = memoryview(data)
        self._spans = spans  # start, end of each job in `data`
        self._narrow = narrow

    def __len__(self) -> int:
        return len(self._spans) // 2

    def __iter__(self) -> Iterator[tuple[Any, memoryview]]:
        """Each job as (what the watcher reads: `job_id`, `job_state`, the array and het
        ids; the source `info` takes)."""
        parse = self._narrow.job.FromString
        data, spans = self._data, self._spans
        for i in range(0, len(spans), 2):
            source = data[spans[i] : spans[i + 1]]
            try:
                job = parse(source)  # type: ignore[arg-type]
            except DecodeError as exc:
                raise ProtocolError(f"cannot decode a job of the GetJobs reply: {exc}") from None
            yield job, source

    def later(self, source: memoryview) -> Callable[[], JobInfo]:
        """The job's `JobInfo` when called; it holds a copy of the job's bytes only, and so
        does the view's `raw`."""
        return partial(_lean_info, self._narrow, bytes(source))


def _lean_info(narrow: _Narrow, data: bytes) -> JobInfo:
    try:
        whole = narrow.full_job.FromString(data)
    except DecodeError as exc:
        raise ProtocolError(f"cannot decode a job of the GetJobs reply: {exc}") from None
    return JobInfo.from_message(whole, decode_on_read(narrow.job_cls, data))


class Decoded:
    """A `GetJobs` reply decoded whole: read through its messages."""

    __slots__ = ("reply",)

    def __init__(self, reply: Any) -> None:
        self.reply = reply

    @property
    def errors(self) -> Any:
        return self.reply.errors

    @property
    def warnings(self) -> Any:
        return self.reply.warnings

    def __len__(self) -> int:
        return len(self.reply.jobs)

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        for job in self.reply.jobs:
            yield job, job

    def later(self, source: Any) -> Callable[[], JobInfo]:
        """The job's `JobInfo` when called, from the job detached from the reply."""
        return partial(JobInfo.from_message, detached(source))


def detached(job: Any) -> Any:
    """The job message `job` on its own: a job decoded lazily from a binary reply reads from
    the reply's buffer and keeps all of it alive. Its bytes are copied (in C) into a message
    of its own; a job read from JSON or already converted holds only itself and is returned
    as is."""
    src = job.__dict__.get(UPB)
    if src is None:
        return job
    own = type(src)()
    own.CopyFrom(src)
    return from_upb(type(job), own)


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """The varint at `data[pos]` and the position after it."""
    value = shift = 0
    while shift < 64:
        byte = data[pos]  # IndexError: cut short
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
    raise ValueError("varint longer than 10 bytes")


def _scan(data: bytes, narrow: _Narrow) -> Sequence[int] | None:
    """Start and end of each job in a binary reply (its top-level fields walked, nothing
    decoded); None when the reply holds `errors` or `warnings`, or anything this walk does not
    read (a group, malformed bytes): such a reply is decoded whole, by upb's rules."""
    spans = array("q")
    jobs, checked = narrow.jobs, narrow.checked
    pos, end = 0, len(data)
    try:
        while pos < end:
            tag, pos = _varint(data, pos)
            number, kind = tag >> 3, tag & 7
            if number == 0:
                return None
            if kind == 2:  # length-delimited: a message, string or bytes
                size, pos = _varint(data, pos)
                if number == jobs:
                    spans.append(pos)
                    spans.append(pos + size)
                elif number in checked:
                    return None
                pos += size
            elif kind == 0:
                _, pos = _varint(data, pos)
            elif kind == 1:
                pos += 8
            elif kind == 5:
                pos += 4
            else:
                return None
    except (IndexError, ValueError):
        return None
    return spans if pos == end else None


class ListingReader:
    """Reads `GetJobs` replies into `Lean` (binary) or `Decoded` (JSON) listings."""

    def from_binary(self, cls: type[betterproto2.Message], data: bytes) -> Lean | Decoded:
        narrow = _narrow(cls)
        spans = _scan(data, narrow)
        if spans is None:  # read and checked as any reply (malformed: `ProtocolError`)
            return Decoded(codec.decode(cls, data))
        return Lean(data, spans, narrow)

    def from_json(self, cls: type[betterproto2.Message], data: bytes) -> Decoded:
        return Decoded(jsoncodec.from_json(cls, data))


READER = ListingReader()


def listing(reply: Any) -> Lean | Decoded:
    """What a `GetJobs` call with `reader=READER` returned, as a listing (a transport that
    decodes replies its own way returns the reply itself)."""
    if isinstance(reply, Lean | Decoded):
        return reply
    return Decoded(reply)
