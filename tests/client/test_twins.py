"""The blocking client has exactly the async client's public methods and signatures."""

from __future__ import annotations

import inspect

from s3m_grpc.client import Client as AsyncClient
from s3m_grpc.sync import Client as SyncClient


def public_methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_sync_and_async_clients_are_twins() -> None:
    ours, theirs = public_methods(SyncClient), public_methods(AsyncClient)
    assert set(ours) == set(theirs)
    for name, sig in theirs.items():
        assert str(ours[name]) == str(sig), name
    for name in theirs:
        assert inspect.iscoroutinefunction(getattr(AsyncClient, name)) or name == "close"
        assert not inspect.iscoroutinefunction(getattr(SyncClient, name))
