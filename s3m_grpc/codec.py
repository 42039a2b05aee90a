"""The message codec seam: how betterproto messages become bytes and back.

Transports and the server encode and decode only through here, so a faster decoder for large
replies can replace `decode` without touching them.
"""

from __future__ import annotations

from typing import TypeVar

import betterproto2

M = TypeVar("M", bound=betterproto2.Message)


def encode(message: betterproto2.Message) -> bytes:
    """Binary protobuf encoding of a message."""
    return bytes(message)


def decode(cls: type[M], data: bytes) -> M:
    """Parse binary protobuf into a message of `cls`."""
    return cls.parse(data)
