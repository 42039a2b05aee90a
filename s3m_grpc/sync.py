"""Deprecated: `s3m_grpc.sync.Client` is `s3m_grpc.Client` (this alias warns once)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from s3m_grpc._client import Client

__all__ = ["Client"]


def __getattr__(name: str) -> object:
    if name == "Client":
        from s3m_grpc._client import Client
        from s3m_grpc._deprecated import moved

        moved("s3m_grpc.sync.Client", "s3m_grpc.Client")
        return Client
    if name == "LoopThread":
        from s3m_grpc._client import LoopThread

        return LoopThread
    raise AttributeError(f"module 's3m_grpc.sync' has no attribute {name!r}")
