"""`s3m_grpc.heap`: the C heap's freed pages go back to the OS, and the watcher does so after
each large listing it has read."""

from __future__ import annotations

import os
import platform

import pytest

from s3m_grpc import heap, watcher
from s3m_grpc.server import LocalServer
from tests.many.conftest import client_on

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"


def rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_freed_holes_in_the_heap_are_given_back() -> None:
    if not GLIBC:
        assert heap.release_freed_memory() is False
        return
    heap.release_freed_memory()
    # 64 KB blocks come from the heap (under glibc's mmap threshold); freeing every other one
    # leaves holes between live blocks, which `free` never gives back by itself.
    blocks = [bytes(64 * 1024) for _ in range(800)]
    del blocks[::2]
    before = rss()
    assert heap.release_freed_memory() is True
    given_back = before - rss()
    assert given_back > 10 * 2**20, given_back  # of the ~25 MB freed


async def test_the_watcher_releases_after_a_large_listing_only(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    released: list[int] = []

    def release() -> bool:
        released.append(1)
        return True

    monkeypatch.setattr(watcher, "release_freed_memory", release)
    async with client_on(server) as c:
        job = await c.submit("#!/bin/bash\nsleep 0.3\n", name="small-listing")
        await c.wait(job, timeout=30, poll_interval=0.1, max_interval=0.2)
        assert c.watcher.polls >= 1
        assert released == []  # one listed job: nothing worth handing back
        monkeypatch.setattr(watcher, "RELEASE_AFTER_JOBS", 1)
        polls = c.watcher.polls
        job = await c.submit("#!/bin/bash\nsleep 0.3\n", name="large-listing")
        await c.wait(job, timeout=30, poll_interval=0.1, max_interval=0.2)
        assert len(released) == c.watcher.polls - polls >= 1
