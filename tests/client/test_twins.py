"""The blocking and async clients are twins (same methods, options and docstrings), and the old
import paths still work for a release, with a deprecation warning."""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap

from s3m_grpc import AsyncClient, Client, S3MClientFactory


def public_methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") or name == "__init__"
    }


# What differs between twins by design: the async client's streams are async iterators and its
# handles `AsyncJob`s; the blocking client's are iterators and `Job`s.
BLOCKING_NAMES = (("AsyncIterator", "Iterator"), ("AsyncJob", "Job"))
STREAMS = {"as_completed", "watch"}
PLAIN = {"job"}  # makes a handle, no call: not a coroutine on either client


def blocking_signature(sig: inspect.Signature) -> str:
    text = str(sig)
    for theirs, ours in BLOCKING_NAMES:
        text = text.replace(theirs, ours)
    return text


def test_sync_and_async_clients_are_twins() -> None:
    ours, theirs = public_methods(Client), public_methods(AsyncClient)
    assert set(ours) == set(theirs)
    for name, sig in theirs.items():
        assert str(ours[name]) == blocking_signature(sig), name
        assert getattr(Client, name).__doc__ == getattr(AsyncClient, name).__doc__, name
        if name != "__init__":
            assert getattr(AsyncClient, name).__doc__, f"{name} has no docstring"
    for name in theirs:
        if name == "__init__":
            continue
        async_fn, sync_fn = getattr(AsyncClient, name), getattr(Client, name)
        if name in STREAMS:
            assert inspect.isasyncgenfunction(async_fn), name
            assert not inspect.isasyncgenfunction(sync_fn), name
        elif name in PLAIN or name == "close":
            assert not inspect.iscoroutinefunction(sync_fn), name
        else:
            assert inspect.iscoroutinefunction(async_fn), name
        assert not inspect.iscoroutinefunction(sync_fn), name


def test_client_options_mirror_the_factory() -> None:
    factory = inspect.signature(S3MClientFactory.__init__).parameters
    client = inspect.signature(AsyncClient.__init__).parameters
    assert set(client) == set(factory) | {"version", "factory"}
    for name, param in factory.items():
        if name == "self":
            continue
        assert client[name].default == param.default, name
        assert client[name].annotation == param.annotation, name
        if name != "resource":
            assert client[name].kind is inspect.Parameter.KEYWORD_ONLY, name
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in client.values())


def test_old_import_paths_warn_once_and_resolve() -> None:
    program = textwrap.dedent(
        """
        import warnings
        warnings.simplefilter("always")
        with warnings.catch_warnings(record=True) as seen:
            from s3m_grpc.client import Client as A
            from s3m_grpc.client import Client as A2
            from s3m_grpc.sync import Client as B
            from s3m_grpc.sync import Client as B2
        import s3m_grpc
        assert A is A2 is s3m_grpc.AsyncClient and B is B2 is s3m_grpc.Client
        texts = [str(w.message) for w in seen if w.category is DeprecationWarning]
        print("\\n".join(texts))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.splitlines() == [
        "s3m_grpc.client.Client is deprecated; use s3m_grpc.AsyncClient",
        "s3m_grpc.sync.Client is deprecated; use s3m_grpc.Client",
    ]
