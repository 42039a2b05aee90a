"""Deprecated: `s3m_grpc.client.Client` is `s3m_grpc.AsyncClient` (this alias warns once)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from s3m_grpc._async_client import AsyncClient as Client

__all__ = ["Client"]


def __getattr__(name: str) -> object:
    if name == "Client":
        from s3m_grpc._async_client import AsyncClient
        from s3m_grpc._deprecated import moved

        moved("s3m_grpc.client.Client", "s3m_grpc.AsyncClient")
        return AsyncClient
    if name == "NOT_FOUND_GRACE":
        from s3m_grpc.waiting import NOT_FOUND_GRACE

        return NOT_FOUND_GRACE
    raise AttributeError(f"module 's3m_grpc.client' has no attribute {name!r}")
