"""The JSON writer's check in C (`fastcodec._jsonclean`) gives what its specification, the
Python reader in `_generic.py`, gives: the same cleaned object (or the object itself when
nothing changes), or `Odd` for the same inputs; for every message of every version, on valid
objects, their other spellings, and objects with odd values, unknown keys and nulls put in."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import cache
from typing import Any

import betterproto2
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s3m_grpc import fastcodec, jsoncodec
from s3m_grpc.fastcodec import _generic
from s3m_grpc.fastcodec._lazy import Odd
from tests.codec.strategies import all_message_classes, messages
from tests.codec.test_json_exact import _id, proto_named
from tests.live import skip

CLASSES = all_message_classes()
SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ODD_VALUES: list[Any] = [
    None, "", "x", "\u00e9", 0, 1, -1, 2**31 - 1, 2**31, 2**32, 2**63, 2**64 - 1, 2**64,
    -(2**31) - 1, -(2**63) - 1, True, False, 0.0, -0.0, 1.5, -2.5e-310, 3.4e38, 3.5e38,
    float("nan"), float("inf"), [], [0], [1, 2], ["a", ""], [None], [True, False], [1.5, -0.0],
    [{}], [{"x": 1}], {}, {"x": 1}, {"set": True, "number": 0}, (1,),
]  # fmt: skip


def native_codecs() -> _generic.Codecs:
    if not _generic.Codecs().native:
        skip("the C extension s3m_grpc.fastcodec._jsonclean is not built (pip install -e .)")
    for cls in CLASSES:
        fastcodec.supports(cls)  # builds every class's codecs
    return fastcodec._CODECS


@cache
def python_codecs() -> _generic.Codecs:
    """The same codecs with the Python reader (every class built: readers find their
    sub-messages' readers in the same tables)."""
    codecs = _generic.Codecs(native=False)
    for cls, fields in list(native_codecs().fields.items()):
        codecs.fields[cls] = fields
    for cls, fields in codecs.fields.items():
        codecs.build(cls, native_codecs().upb[cls], fields)
    return codecs


def outcome(clean: Any, obj: Any) -> tuple[str, bytes | None, bool]:
    """(ok, the JSON it writes, whether it is `obj` itself), or ("odd", None, False)."""
    try:
        out = clean(obj)
    except Odd:
        return ("odd", None, False)
    return ("ok", orjson.dumps(out, option=orjson.OPT_NON_STR_KEYS), out is obj)


def dicts_in(obj: Any) -> Iterator[dict[str, Any]]:
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from dicts_in(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from dicts_in(v)


@st.composite
def spoilt(draw: st.DrawFn, obj: dict[str, Any]) -> dict[str, Any]:
    """`obj` with a few values made odd, nulled or defaulted, and unknown keys added."""
    obj = copy.deepcopy(obj)
    for _ in range(draw(st.integers(1, 4))):
        d = draw(st.sampled_from(list(dicts_in(obj))))
        key = draw(st.sampled_from([*sorted(d), "an_unknown_key"]))
        d[key] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
    return obj


@pytest.mark.parametrize("cls", CLASSES, ids=_id)
@SETTINGS
@given(data=st.data())
def test_the_c_check_matches_the_python_one(cls: type[betterproto2.Message], data: Any) -> None:
    native = native_codecs().json_clean[cls]
    python = python_codecs().json_clean[cls]
    ours = jsoncodec.to_dict(data.draw(messages(cls, unknown=False)))
    named = proto_named(cls, ours)
    objects = [ours, named, {**named, **ours}, {**ours, **named}, data.draw(spoilt(ours))]
    for obj in objects:
        assert outcome(native, obj) == outcome(python, obj), obj


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_each_odd_value_in_each_kind_of_field(value: Any) -> None:
    from s3m_grpc.slurm import v0044

    for cls in (v0044.SlurmJobDescription, v0044.JobSubmitReqJobDescription, v0044.JobsResp):
        native = native_codecs().json_clean[cls]
        python = python_codecs().json_clean[cls]
        for key in [k for f in native_codecs().fields[cls] for k in f.json_keys]:
            obj = {key: value}
            assert outcome(native, obj) == outcome(python, obj), obj


def test_objects_that_are_not_json_objects_are_odd() -> None:
    from s3m_grpc.slurm import v0044

    clean = native_codecs().json_clean[v0044.JobsResp]
    not_objects: list[Any] = [[], "x", None, 1, {"jobs": [[]]}, {"jobs": {}}, {"jobs": [1]}]
    for obj in not_objects:
        with pytest.raises(Odd):
            clean(obj)
