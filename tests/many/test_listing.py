"""The watcher's lean reading of `GetJobs` (`s3m_grpc.listing`) sees every job as a full decode
does, for every API version, and what it keeps of a job holds nothing of the reply."""

from __future__ import annotations

import gc
import warnings
from types import ModuleType
from typing import Any

import betterproto2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s3m_grpc import codec, fastcodec, jsoncodec
from s3m_grpc.errors import ProtocolError, SlurmError, SlurmWarning
from s3m_grpc.factory import DeprecatedVersionWarning
from s3m_grpc.fastcodec._lazy import BYTES
from s3m_grpc.fastcodec.sample import jobs_reply_upb
from s3m_grpc.jobs import JobInfo
from s3m_grpc.listing import READER, Decoded, Lean, listing
from s3m_grpc.server import LocalServer
from s3m_grpc.slurm import v0042, v0043, v0044
from s3m_grpc.transports.base import decode_reply
from s3m_grpc.watcher import _listing_key
from tests.codec.compare import same
from tests.codec.strategies import messages
from tests.many.conftest import client_on

MODULES = (v0042, v0043, v0044)
# The version each test client speaks, and a resource that serves it.
VERSIONS = {v0042: ("v0.0.42", "defiant"), v0043: ("v0.0.43", "odo"), v0044: ("v0.0.44", "odo")}
UNKNOWN_FIELD = b"\xb8\xf1\x04\x07"  # field 20023, varint 7: a field no version declares


def module_id(mod: ModuleType) -> str:
    return mod.__name__.rsplit(".", 1)[-1]


def reply_with_extras(mod: ModuleType, jobs: int) -> bytes:
    """A filled reply of `jobs` jobs; some carry fields no version knows (a newer server), some
    are array tasks or het components, and the reply itself has an unknown top-level field."""
    reply: Any = jobs_reply_upb(fastcodec.upb_class(mod.JobsResp), jobs, seed=7)
    for i, job in enumerate(reply.jobs):
        if i % 3 == 0:
            job.MergeFromString(UNKNOWN_FIELD)
        if i % 4 == 1:
            job.array_job_id.set, job.array_job_id.number = True, 900
            job.array_task_id.set, job.array_task_id.number = True, i
        if i % 5 == 2:
            job.het_job_id.set, job.het_job_id.number = True, 800
            job.het_job_offset.set, job.het_job_offset.number = True, 1
    return bytes(reply.SerializeToString() + UNKNOWN_FIELD)


def varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    return bytes(out + bytes([n]))


def reachable(root: object) -> list[object]:
    """Every object `root` keeps alive (classes and modules left out)."""
    seen: dict[int, object] = {}
    todo = [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, type | ModuleType):
            continue
        seen[id(obj)] = obj
        todo.extend(gc.get_referents(obj))
    return list(seen.values())


def assert_holds_no_reply(kept: object, reply: bytes, job_size: int) -> None:
    """Nothing reachable from `kept` is the reply, a view of it, or larger than one job."""
    for obj in reachable(kept):
        assert obj is not reply
        assert not isinstance(obj, memoryview | Lean | Decoded)
        if isinstance(obj, bytes | bytearray):
            assert len(obj) <= job_size, f"a {len(obj)}-byte buffer is kept"


@pytest.mark.parametrize("mod", MODULES, ids=module_id)
def test_every_job_is_read_as_a_full_decode_reads_it(mod: ModuleType) -> None:
    data = reply_with_extras(mod, 40)
    direct = codec.decode(mod.JobsResp, data)
    listed = READER.from_binary(mod.JobsResp, data)
    assert isinstance(listed, Lean)
    assert len(listed) == len(direct.jobs) == 40
    for (job, source), whole in zip(listed, direct.jobs, strict=True):
        assert job.job_id == whole.job_id
        assert tuple(job.job_state) == tuple(whole.job_state)
        assert list(_listing_key(job, True)) == list(_listing_key(whole, True))
        info = listed.later(source)()
        assert info == JobInfo.from_message(whole)
        assert type(info.raw) is type(whole)
        assert set(info.raw.__dict__) == {BYTES}  # nothing parsed until a field is read
        same(info.raw, whole)  # field for field, unknown fields included
        assert bytes(info.raw) == bytes(whole)  # type: ignore[arg-type]
    tasks = [j.job_id for j, _ in listed if any("_" in k for k in _listing_key(j, True))]
    assert set(range(2, 41, 4)) <= set(tasks)  # the array tasks set above are seen as such


@pytest.mark.parametrize("mod", MODULES, ids=module_id)
def test_a_kept_job_holds_nothing_of_the_reply(mod: ModuleType) -> None:
    data = reply_with_extras(mod, 20)
    listed = READER.from_binary(mod.JobsResp, data)
    kept = [listed.later(source)() for _, source in listed]
    job_size = max(len(bytes(j)) for j in codec.decode(mod.JobsResp, data).jobs)
    assert_holds_no_reply(kept, data, job_size)
    del listed
    same(kept[3].raw, codec.decode(mod.JobsResp, data).jobs[3])


@pytest.mark.parametrize("cls", [m.JobsResp for m in MODULES], ids=lambda c: c.__module__[-5:])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_reply_is_read_as_betterproto_reads_it(
    cls: type[betterproto2.Message], data: Any
) -> None:
    """Random replies (unknown fields at every level, any field set or not): the lean reading
    finds the same jobs, and keeps each exactly as betterproto2 decodes it."""
    wire = bytes(data.draw(messages(cls)))
    reference: Any = cls.parse(wire)
    listed = READER.from_binary(cls, wire)
    if reference.errors or reference.warnings:
        assert isinstance(listed, Decoded)
        assert listed.errors == reference.errors
        assert listed.warnings == reference.warnings
        return
    assert isinstance(listed, Lean)
    assert len(listed) == len(reference.jobs)
    for (job, source), whole in zip(listed, reference.jobs, strict=True):
        assert job.job_id == whole.job_id
        assert list(_listing_key(job, True)) == list(_listing_key(whole, True))
        info = listed.later(source)()
        assert info == JobInfo.from_message(whole)
        same(info.raw, whole)


async def test_errors_and_warnings_are_checked_as_in_any_reply() -> None:
    upb: Any = jobs_reply_upb(fastcodec.upb_class(v0044.JobsResp), 3)
    upb.warnings.add(description="backfill is behind")
    method = v0044.SlurmIndirectStub.SERVICE.method("GetJobs")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reply = await decode_reply(
            "t", method, v0044.Empty(), upb.SerializeToString(), READER.from_binary
        )
    assert [str(w.message) for w in caught if w.category is SlurmWarning] == ["backfill is behind"]
    assert isinstance(reply, Decoded)
    assert [job.job_id for job, _ in listing(reply)] == [1, 2, 3]
    upb.errors.add(error="Invalid user id", error_number=2001)
    with pytest.raises(SlurmError, match="Invalid user id"):
        await decode_reply("t", method, v0044.Empty(), upb.SerializeToString(), READER.from_binary)


def test_malformed_replies_are_protocol_errors() -> None:
    data = reply_with_extras(v0044, 3)
    for bad in (data[:-40], b"\x0b", b"\x00\x01", b"\x22\x05ab", b"\xff" * 11):
        # Cut inside the last job, a group, field 0, cut short, a varint too long: decoded
        # whole, so upb's rules decide.
        with pytest.raises(ProtocolError, match="JobsResp"):
            READER.from_binary(v0044.JobsResp, bad)
    group = b"\xbb\x01\xbc\x01"  # an empty unknown group (field 23): valid, read whole
    listed = READER.from_binary(v0044.JobsResp, data + group)
    assert isinstance(listed, Decoded)
    assert [job.job_id for job, _ in listed] == [1, 2, 3]
    listed = READER.from_binary(v0044.JobsResp, b"\x22\x02\xa8\xff")  # a job cut short inside
    with pytest.raises(ProtocolError, match="a job of the GetJobs reply"):
        list(listed)
    job_desc: Any = fastcodec.upb_class(v0044.JobsResp).DESCRIPTOR.fields_by_name["jobs"]
    name = job_desc.message_type.fields_by_name["name"].number
    job = varint(name << 3 | 2) + b"\x01\xff"  # a job whose name is not UTF-8
    listed = READER.from_binary(v0044.JobsResp, b"\x22" + varint(len(job)) + job)
    ((_, source),) = list(listed)
    with pytest.raises(ProtocolError, match="a job of the GetJobs reply"):
        listed.later(source)()


@pytest.mark.parametrize("mod", MODULES, ids=module_id)
def test_json_replies_give_the_same_views(mod: ModuleType) -> None:
    data = reply_with_extras(mod, 10)
    text = jsoncodec.to_json(codec.decode(mod.JobsResp, data))
    from_json = READER.from_json(mod.JobsResp, text)
    assert isinstance(from_json, Decoded)
    lean = READER.from_binary(mod.JobsResp, data)
    for (job, source), (jjob, jsource) in zip(lean, from_json, strict=True):
        assert list(_listing_key(job, True)) == list(_listing_key(jjob, True))
        info, jinfo = lean.later(source)(), from_json.later(jsource)()
        assert info == jinfo
        raws: Any = (info.raw, jinfo.raw)
        assert jsoncodec.to_dict(raws[0]) == jsoncodec.to_dict(raws[1])


@pytest.mark.parametrize("mod", MODULES, ids=module_id)
async def test_jobs_the_watcher_returns_equal_the_listing_field_for_field(
    server: LocalServer, mod: ModuleType
) -> None:
    """Against a real server, over gRPC and REST: what `wait_all` returns is each job as the
    queue lists it, and holds nothing of the poll's reply."""
    version, resource = VERSIONS[mod]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecatedVersionWarning)  # v0.0.42
        async with client_on(server, version=version, resource=resource) as c:
            jobs = [await c.submit("#!/bin/bash\ntrue\n", name=f"kept-{i}") for i in range(4)]
            found = await c.wait_all(jobs, timeout=60, poll_interval=0.1, max_interval=0.3)
            listed = {str(i.job_id): i for i in await c.list_jobs(name="kept-*")}
        async with client_on(server, version=version, resource=resource, transport="rest") as rest:
            over_rest = await rest.wait_all(jobs, timeout=60, poll_interval=0.1)
    assert set(found) == set(listed) == {str(j.job_id) for j in jobs}
    biggest = max(len(bytes(i.raw)) for i in listed.values())  # type: ignore[arg-type]
    assert_holds_no_reply(found, b"", biggest)
    for job_id, info in found.items():
        assert info.finished
        assert info.raw is not None
        assert set(info.raw.__dict__) == {BYTES}
        assert info == listed[job_id] == over_rest[job_id]
        same(info.raw, listed[job_id].raw)
        assert fastcodec.is_lazy(info.raw)
