"""The message codec seam: how betterproto messages become bytes and back.

Transports and the server encode and decode only through here. Both go through upb (C) via
`s3m_grpc.fastcodec`: `decode` returns the requested betterproto2 class with fields converted
on first access, so a 10,000-job reply costs one C parse plus what the caller reads;
`encode` serializes with upb; `encode_dict` serializes a JSON-shaped dict (the local server's
replies) straight through upb. Malformed input raises `ProtocolError`; a message whose fields
hold values of the wrong type raises `InvalidRequestError`.
"""

from __future__ import annotations

from typing import Any, TypeVar

import betterproto2

from s3m_grpc import fastcodec

M = TypeVar("M", bound=betterproto2.Message)


def encode(message: betterproto2.Message) -> bytes:
    """Binary protobuf encoding of a message."""
    return fastcodec.encode(message)


def encode_dict(cls: type[betterproto2.Message], obj: dict[str, Any]) -> bytes:
    """Binary protobuf of a `cls` given as a JSON object with the contract's names (read as
    protobuf's `json_format` reads it), built by upb without a betterproto2 message."""
    return fastcodec.dict_to_upb(cls, obj).SerializeToString()


def decode(cls: type[M], data: bytes) -> M:
    """Parse binary protobuf into a message of `cls`."""
    return fastcodec.decode(cls, data)
