"""The fast binary path equals betterproto2's own codec for every message of every version.

Random messages (presence, defaults, repeated and nested fields, unknown fields at any level)
are encoded by betterproto2; the lazy decode, its full materialization and the upb encoder
must give exactly what betterproto2 gives.
"""

from __future__ import annotations

import copy
import pickle
from typing import Any

import betterproto2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s3m_grpc import codec, fastcodec, jsoncodec
from tests.codec.compare import same
from tests.codec.strategies import all_message_classes, messages

CLASSES = all_message_classes()
SETTINGS = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _id(cls: type) -> str:
    return f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}"


@pytest.mark.parametrize("cls", CLASSES, ids=_id)
@SETTINGS
@given(data=st.data())
def test_decode_and_encode_match_betterproto(cls: type[betterproto2.Message], data: Any) -> None:
    msg = data.draw(messages(cls))
    wire = bytes(msg)  # reference encoder
    reference = cls.parse(wire)  # reference decoder

    lazy = codec.decode(cls, wire)
    assert type(lazy) is cls
    assert lazy == reference
    same(lazy, reference)
    assert repr(lazy) == repr(reference)
    assert bool(lazy) == bool(reference)

    plain = fastcodec.materialize(codec.decode(cls, wire))
    same(plain, reference)
    assert not fastcodec.is_lazy(plain)
    assert set(plain.__dict__) == set(reference.__dict__)

    # Our encoder: betterproto2 reads back the same message, from plain and lazy sources.
    for source in (msg, reference, codec.decode(cls, wire), plain):
        same(cls.parse(codec.encode(source)), reference)


@pytest.mark.parametrize("cls", CLASSES[::7], ids=_id)
@SETTINGS
@given(data=st.data())
def test_lazy_messages_behave_as_plain_ones(cls: type[betterproto2.Message], data: Any) -> None:
    msg = data.draw(messages(cls))
    wire = bytes(msg)
    reference = cls.parse(wire)
    same(pickle.loads(pickle.dumps(codec.decode(cls, wire))), reference)
    # betterproto2's copies drop unknown fields; ours must do what it does.
    same(copy.deepcopy(codec.decode(cls, wire)), copy.deepcopy(reference))
    same(copy.copy(codec.decode(cls, wire)), copy.copy(reference))
    assert jsoncodec.to_dict(codec.decode(cls, wire)) == jsoncodec.reference_to_dict(reference)
    assert codec.decode(cls, wire).to_dict() == reference.to_dict()
    assert bytes(codec.decode(cls, wire)) == bytes(reference)


@pytest.mark.parametrize("cls", CLASSES[::3], ids=_id)
@SETTINGS
@given(data=st.data())
def test_messages_kept_as_bytes_equal_betterproto(
    cls: type[betterproto2.Message], data: Any
) -> None:
    """`decode_on_read` (bytes parsed on first read) gives what betterproto2 gives, through
    every way a user sees a message."""
    msg = data.draw(messages(cls))
    wire = bytes(msg)
    reference = cls.parse(wire)

    def kept() -> Any:
        return fastcodec.decode_on_read(cls, wire)

    assert type(kept()) is cls
    assert kept() == reference
    same(kept(), reference)
    assert repr(kept()) == repr(reference)
    assert bool(kept()) == bool(reference)
    assert bytes(kept()) == bytes(reference)
    same(cls.parse(codec.encode(kept())), reference)
    same(pickle.loads(pickle.dumps(kept())), reference)
    same(copy.deepcopy(kept()), copy.deepcopy(reference))
    same(copy.copy(kept()), copy.copy(reference))
    assert jsoncodec.to_dict(kept()) == jsoncodec.reference_to_dict(reference)
    assert kept().to_dict() == reference.to_dict()
    assert kept()._unknown_fields == reference._unknown_fields
    plain = fastcodec.materialize(kept())
    same(plain, reference)
    assert not fastcodec.is_lazy(plain)
    assert set(plain.__dict__) == set(reference.__dict__)
