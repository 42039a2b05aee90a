"""The lazy JSON path equals protobuf's `json_format` reading for every message of every version.

Replies parsed with `jsoncodec.from_dict`/`from_json` are filled on first read; whatever JSON
they come from (our own output, protobuf's with 64-bit integers as strings, odd but valid
spellings, wrong types), each field must come out as `json_format` makes it, or fail with
`ProtocolError` where it fails. The local server's writers (`codec.encode_dict`,
`jsoncodec.dict_to_json`) must give bytes that read back the same.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import betterproto2
import orjson
import pytest
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s3m_grpc import codec, fastcodec, jsoncodec
from s3m_grpc.errors import ProtocolError
from s3m_grpc.fastcodec._lazy import wrap_json
from s3m_grpc.slurm import v0044
from tests.codec.compare import same
from tests.codec.strategies import all_message_classes, class_of, messages, py_names

CLASSES = all_message_classes()
SETTINGS = settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _id(cls: type) -> str:
    return f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}"


def outcome(read: Any) -> Any:
    """The value `read()` gives, or the error class it raises."""
    try:
        return ("ok", fastcodec.materialize(read()) if callable(read) else read)
    except ProtocolError:
        return ("error", ProtocolError)


@pytest.mark.parametrize("cls", CLASSES, ids=_id)
@SETTINGS
@given(data=st.data())
def test_lazy_json_matches_json_format(cls: type[betterproto2.Message], data: Any) -> None:
    msg = data.draw(messages(cls, unknown=False))
    ours = jsoncodec.to_dict(msg)
    assert ours == jsoncodec.reference_to_dict(msg)  # generated writer == json_format's
    protobufs = json_format.MessageToDict(fastcodec.to_upb(msg))  # 64-bit ints as strings
    objects = (ours, protobufs, {**ours, "a_future_key": [1, {"x": None}]}, proto_named(cls, ours))
    for obj in objects:
        expected = outcome(partial(jsoncodec.reference_from_dict, cls, obj))
        if expected[0] == "error":
            # json_format does not read back all it writes (float32's largest value, written
            # as its shortest text, reads as too large): ours must fail the same way.
            assert outcome(partial(jsoncodec.from_dict, cls, obj)) == expected
            assert outcome(partial(_encoded_untouched, cls, obj)) == expected
            assert outcome(partial(_served_binary, cls, obj)) == expected
            assert outcome(partial(_served_json, cls, obj)) == expected
            continue
        reference = expected[1]
        lazy = jsoncodec.from_dict(cls, obj)
        assert type(lazy) is cls
        same(lazy, reference)
        same(fastcodec.materialize(jsoncodec.from_dict(cls, obj)), reference)
        same(jsoncodec.from_json(cls, orjson.dumps(obj)), reference)
        assert jsoncodec.to_dict(jsoncodec.from_dict(cls, obj)) == jsoncodec.to_dict(reference)
        # A reply nobody has read is encoded and written straight from its JSON (via upb).
        same(cls.parse(codec.encode(wrap_json(cls, obj))), reference)
        assert jsoncodec.to_dict(wrap_json(cls, obj)) == jsoncodec.reference_to_dict(reference)
        # The local server's writers, straight from the dict.
        same(_served_binary(cls, obj), reference)
        same(_served_json(cls, obj), reference)
        assert orjson.loads(jsoncodec.dict_to_json(cls, obj)) == jsoncodec.to_dict(reference)


def proto_named(cls: type[betterproto2.Message], obj: Any) -> Any:
    """`obj` with every key spelt as the proto field name (`cpus`, not the JSON `CPUs`), as
    `json_format` also reads it."""
    if not isinstance(obj, dict):
        return obj
    desc: Any = fastcodec.upb_class(cls).DESCRIPTOR
    out = {}
    for f in desc.fields:
        value = obj.get(f.json_name)
        if value is None:
            continue
        if f.message_type is not None:
            sub = class_of(f.message_type.full_name)
            value = (
                [proto_named(sub, x) for x in value] if f.is_repeated else proto_named(sub, value)
            )
        out[f.name] = value
    return out


ODD_VALUES: dict[int, list[Any]] = {
    FieldDescriptor.TYPE_STRING: [1, True, [], {}, "\u00e9t\u00e9", "\ud800", 1.5],
    FieldDescriptor.TYPE_BOOL: ["true", 1, 0, None, [True]],
    FieldDescriptor.TYPE_INT32: ["12", " 12", "1e3", 3.0, 3.5, True, 2**31, -(2**31), "x", [1]],
    FieldDescriptor.TYPE_UINT32: ["7", -1, 2**32, 2**32 - 1, 1.0, False],
    FieldDescriptor.TYPE_INT64: ["-9", str(2**63), 2**63 - 1, "1_0", 2.0, {}],
    FieldDescriptor.TYPE_UINT64: [str(2**64 - 1), 2**64, -1, "0x10"],
    FieldDescriptor.TYPE_DOUBLE: [1, "NaN", "Infinity", "-Infinity", "nan", "1.5", True, "x"],
    FieldDescriptor.TYPE_FLOAT: [0.1, 1, 3.5e38, "1e39", "NaN", 1e-50],
    FieldDescriptor.TYPE_MESSAGE: [[], "x", 1, {"set": "yes"}],
}

# One class per field kind and label is enough here; the property test covers every class.
ODD_CLASSES = [
    v0044.SlurmJobDescription,
    v0044.SlurmNodeDescription,
    v0044.JobSubmitReqJobDescription,
    v0044.DiagStatistics,
    v0044.JobsResp,
]


def _encoded(cls: type[betterproto2.Message], obj: dict[str, Any]) -> Any:
    return cls.parse(codec.encode(jsoncodec.from_dict(cls, obj)))


def _encoded_untouched(cls: type[betterproto2.Message], obj: dict[str, Any]) -> Any:
    return cls.parse(codec.encode(wrap_json(cls, obj)))


def _served_binary(cls: type[betterproto2.Message], obj: dict[str, Any]) -> Any:
    return cls.parse(codec.encode_dict(cls, obj))


def _served_json(cls: type[betterproto2.Message], obj: dict[str, Any]) -> Any:
    return jsoncodec.reference_from_dict(cls, orjson.loads(jsoncodec.dict_to_json(cls, obj)))


def _written_untouched(cls: type[betterproto2.Message], obj: dict[str, Any]) -> Any:
    return jsoncodec.to_dict(wrap_json(cls, obj))


def _written(cls: type[betterproto2.Message], obj: dict[str, Any]) -> Any:
    return jsoncodec.to_dict(jsoncodec.from_dict(cls, obj))


def _read(cls: type[betterproto2.Message], obj: dict[str, Any], name: str) -> Any:
    return getattr(jsoncodec.from_dict(cls, obj), name)


@pytest.mark.parametrize("cls", ODD_CLASSES, ids=_id)
def test_odd_and_wrong_values_read_as_json_format_reads_them(
    cls: type[betterproto2.Message],
) -> None:
    desc: Any = fastcodec.upb_class(cls).DESCRIPTOR
    names = py_names(cls)
    checked = 0
    for f in desc.fields:
        values = list(ODD_VALUES[f.type])
        if f.is_repeated:
            values = [[v] for v in values] + [values[0], [None]]
        for value in values:
            obj = {f.json_name: value}
            name = names[f.number]
            expected = outcome(partial(jsoncodec.reference_from_dict, cls, obj))
            got = outcome(partial(_read, cls, obj, name))
            encoded = outcome(partial(_encoded, cls, obj))
            untouched = outcome(partial(_encoded_untouched, cls, obj))
            unwritten = outcome(partial(_written_untouched, cls, obj))
            written = outcome(partial(_written, cls, obj))
            served = outcome(partial(_served_binary, cls, obj))
            served_json = outcome(partial(_served_json, cls, obj))
            if expected[0] == "ok":
                assert got[0] == "ok", (f.name, value)
                same(got[1], getattr(expected[1], name))
                same(encoded[1], expected[1])
                same(untouched[1], expected[1])
                assert unwritten[1] == jsoncodec.reference_to_dict(expected[1]), (f.name, value)
                assert written[1] == jsoncodec.reference_to_dict(expected[1]), (f.name, value)
                same(served[1], expected[1])
                same(served_json[1], expected[1])
            else:
                assert got == expected, (f.name, value)
                assert encoded == expected, (f.name, value)
                assert untouched == expected, (f.name, value)
                assert unwritten == expected, (f.name, value)
                assert written == expected, (f.name, value)
                assert served == expected, (f.name, value)
                assert served_json == expected, (f.name, value)
            checked += 1
    assert checked > 20


def test_bad_job_in_a_large_reply_fails_when_read() -> None:
    body = {"jobs": [{"job_id": 1, "name": "a"}, {"job_id": "x", "name": "b"}]}
    reply = jsoncodec.from_dict(v0044.JobsResp, body)
    assert reply.jobs[0].job_id == 1
    assert reply.jobs[1].name == "b"
    with pytest.raises(ProtocolError, match="job_id"):
        _ = reply.jobs[1].job_id
    with pytest.raises(ProtocolError):
        jsoncodec.from_dict(v0044.JobsResp, {"jobs": [{"job_id": 1}, 3]})
    with pytest.raises(ProtocolError):
        jsoncodec.from_dict(v0044.JobsResp, {"meta": {"plugin": {"type": 5}}})


def test_a_reply_does_not_see_later_changes_of_the_dict_it_came_from() -> None:
    body: dict[str, Any] = {"jobs": [{"job_id": 1, "name": "a", "job_state": ["PENDING"]}]}
    reply = jsoncodec.from_dict(v0044.JobsResp, body)
    body["jobs"][0]["name"] = "changed"
    body["jobs"][0]["job_state"].append("RUNNING")
    body["jobs"].append({"job_id": 2})
    assert [(j.name, j.job_state) for j in reply.jobs] == [("a", ["PENDING"])]


def test_dicts_orjson_cannot_copy_are_read_the_reference_way() -> None:
    with pytest.raises(ProtocolError):
        jsoncodec.from_dict(v0044.JobsResp, {"jobs": [{"job_id": 2**70}]})
    with pytest.raises(ProtocolError):
        jsoncodec.from_dict(v0044.JobsResp, {"jobs": [{"job_id": 3}], 5: "x"})
    reply = jsoncodec.from_dict(v0044.JobsResp, {"jobs": ({"job_id": 3},)})  # a tuple is a list
    assert reply.jobs[0].job_id == 3
