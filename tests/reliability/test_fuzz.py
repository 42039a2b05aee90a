"""Bad input, property-based and mutated: the REST reply reader (JSON codec, HTTP error reader,
the client's `JobInfo`), the server's request reader and the `#SBATCH` parser raise only our
typed errors. Never another exception, a hang, or memory out of proportion to the input.

Mutations start from real documents (a filled GetJobs reply, the spec's submit request, the
example batch scripts) so the fuzzer reaches deep fields, not only the first check.
"""

from __future__ import annotations

import contextlib
import json
import time
import tracemalloc
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s3m_grpc import codec, errors, jsoncodec, versions
from s3m_grpc.fastcodec.sample import jobs_reply_upb
from s3m_grpc.jobs import JobInfo
from s3m_grpc.jobspec import JobSpec, submit_request
from s3m_grpc.slurm import v0042, v0044
from s3m_grpc.transports.rest import http_error

ROOT = Path(__file__).resolve().parents[2]
FUZZ = settings(
    max_examples=150,
    deadline=2000,  # ms per example: a hang is a failure, not a slow test
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

REPLY_CLASSES = {"v0044": v0044.JobsResp, "v0042": v0042.JobsResp}


def _reply_doc(version: str) -> dict[str, Any]:
    cls = REPLY_CLASSES[version]
    upb = jobs_reply_upb(jsoncodec.upb_class(cls), 2, seed=7)
    return jsoncodec.upb_to_dict(upb)


REPLY_DOCS = {v: _reply_doc(v) for v in REPLY_CLASSES}
SUBMIT_DOC = jsoncodec.to_dict(
    submit_request(
        JobSpec(
            script="#!/bin/bash\nsrun hostname\n",
            account="STF040",
            partition="batch",
            time_limit=10,
            nodes=1,
            current_working_directory="/tmp",
            environment={"PATH": "/bin"},
            name="fuzz",
        ),
        versions.get("v0.0.44"),
    )
)
SCRIPTS = [p.read_text() for p in sorted((ROOT / "examples").glob("*.sh"))] or [
    "#!/bin/bash\n#SBATCH -A stf040 -t 10\nhostname\n"
]

# Values that have broken JSON readers: huge numbers, floats where ints go, NaN, deep lists,
# odd strings, wrong containers.
NASTY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**30, -1, 0]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["", "NaN", "Infinity", "1e999", "9" * 50, "\ud800", "0x10", " 12 "]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


def _replace(doc: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy: Any = dict(doc) if isinstance(doc, dict) else list(doc)
    if delete and not rest:
        del copy[head]
    else:
        copy[head] = _replace(doc[head], rest, value, delete)
    return copy


@st.composite
def mutated_docs(draw: st.DrawFn, base: dict[str, Any]) -> Any:
    """`base` with a few values replaced by nasty ones, or deleted."""
    doc: Any = base
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        doc = _replace(doc, path, draw(NASTY), delete=bool(path) and draw(st.booleans()))
    return doc


@st.composite
def mutated_bytes(draw: st.DrawFn, base: bytes) -> bytes:
    """`base` with bytes flipped, cut out, inserted, or the end cut off."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        op = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        i = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del data[i : i + draw(st.integers(1, 16))]
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[i:]
    return bytes(data)


def dump(doc: Any) -> bytes:
    """JSON text of a document (the standard library writes integers of any size)."""
    return json.dumps(doc).encode()


def read_reply_fully(cls: type[Any], data: bytes) -> None:
    """What the REST transport and the client do with a reply body, reading every field."""
    reply = jsoncodec.from_json(cls, data)
    jsoncodec.to_dict(reply)
    codec.encode(reply)
    for job in reply.jobs:
        JobInfo.from_message(job).to_dict()


def expect_typed(fn: Any, *args: Any) -> None:
    """`fn(*args)` returns, or raises an `S3MError`; anything else fails the test."""
    with contextlib.suppress(errors.S3MError):
        fn(*args)


# -- the reply reader (REST transport + client) ----------------------------------------------


@pytest.mark.parametrize("version", sorted(REPLY_CLASSES))
def test_the_unmutated_reply_reads(version: str) -> None:
    read_reply_fully(REPLY_CLASSES[version], orjson.dumps(REPLY_DOCS[version]))


@FUZZ
@given(data=st.data(), version=st.sampled_from(sorted(REPLY_CLASSES)))
def test_mutated_reply_values_raise_only_typed_errors(data: st.DataObject, version: str) -> None:
    doc = data.draw(mutated_docs(REPLY_DOCS[version]))
    expect_typed(read_reply_fully, REPLY_CLASSES[version], dump(doc))


@FUZZ
@given(data=st.data(), version=st.sampled_from(sorted(REPLY_CLASSES)))
def test_mutated_reply_bytes_raise_only_typed_errors(data: st.DataObject, version: str) -> None:
    raw = data.draw(mutated_bytes(orjson.dumps(REPLY_DOCS[version])))
    expect_typed(read_reply_fully, REPLY_CLASSES[version], raw)


@FUZZ
@given(body=st.binary(max_size=300))
def test_random_reply_bytes_raise_only_typed_errors(body: bytes) -> None:
    expect_typed(read_reply_fully, v0044.JobsResp, body)


@FUZZ
@given(
    status=st.integers(100, 999),
    body=st.one_of(st.binary(max_size=200), st.builds(dump, NASTY)),
    retry_after=st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["1", "-5", "1e9"])),
)
def test_any_failed_http_reply_becomes_a_typed_error(
    status: int, body: bytes, retry_after: str | None
) -> None:
    assert isinstance(http_error(status, body, retry_after), errors.S3MError)


# -- the server's request reader ---------------------------------------------------------------


def read_request(data: bytes) -> None:
    req = jsoncodec.from_json(v0044.JobSubmitReq, data, request=True)
    codec.encode(req)


@FUZZ
@given(data=st.data())
def test_mutated_submit_requests_raise_only_invalid_request(data: st.DataObject) -> None:
    if data.draw(st.booleans()):
        raw = dump(data.draw(mutated_docs(SUBMIT_DOC)))
    else:
        raw = data.draw(mutated_bytes(orjson.dumps(SUBMIT_DOC)))
    with contextlib.suppress(errors.InvalidRequestError):
        read_request(raw)


# -- the #SBATCH parser ------------------------------------------------------------------------

DIRECTIVE = st.sampled_from(
    ["#SBATCH ", "#SBATCH\t", "#SBATCH -", "#SBATCH --", "-A", "-t", "-N", "--time=", "--export="]
)


@st.composite
def mutated_scripts(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SCRIPTS)).splitlines()
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        piece = draw(st.one_of(DIRECTIVE, st.text(max_size=20)))
        in_place: bool = draw(st.booleans())
        if lines and in_place:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))] + piece
        else:
            lines.insert(i, draw(DIRECTIVE) + piece)
    return "\n".join(lines)


@FUZZ
@given(script=mutated_scripts())
def test_mutated_scripts_raise_only_invalid_request(script: str) -> None:
    with contextlib.suppress(errors.InvalidRequestError):
        JobSpec.from_script(script)


# -- inputs built to exhaust: depth, size, digits ------------------------------------------------


def _huge_inputs() -> dict[str, bytes]:
    job = dict(REPLY_DOCS["v0044"]["jobs"][0])
    return {
        "deep-lists": b"[" * 200_000 + b"]" * 200_000,
        "deep-objects": b'{"jobs":' * 100_000 + b"1" + b"}" * 100_000,
        "long-digits": orjson.dumps({"jobs": [{**job, "job_id": 1}]}).replace(
            b'"job_id":1', b'"job_id":' + b"9" * 100_000
        ),
        "long-string": orjson.dumps({"jobs": [{**job, "name": "x" * 5_000_000}]}),
        "many-jobs-wrong-type": orjson.dumps({"jobs": ["not a job"] * 5_000}),
        "nul-and-bom": b"\xef\xbb\xbf\x00" + orjson.dumps(REPLY_DOCS["v0044"]),
    }


@pytest.mark.parametrize("name", sorted(_huge_inputs()))
def test_inputs_built_to_exhaust_fail_fast_in_bounded_memory(name: str) -> None:
    data = _huge_inputs()[name]
    tracemalloc.start()
    start = time.monotonic()
    try:
        expect_typed(read_reply_fully, v0044.JobsResp, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - start < 10
    assert peak < 40 * len(data) + (64 << 20), f"peak {peak >> 20} MiB for {len(data)} bytes"


@pytest.mark.parametrize(
    "script",
    [
        "#!/bin/bash\n" + "#SBATCH -A x\n" * 50_000 + "hostname\n",
        "#!/bin/bash\n#SBATCH " + "-A " * 100_000 + "\n",
        "#!/bin/bash\n#SBATCH --time=" + "9" * 100_000 + "\n",
        "#!/bin/bash\n#SBATCH -N " + "1," * 50_000 + "1\n",
        "#!/bin/bash\n#SBATCH --export=" + "A=1," * 50_000 + "\n",
        "#!/bin/bash\n#SBATCH -J '" + "x" * 100_000 + "\n",
    ],
    ids=["many-lines", "many-options", "long-time", "long-nodes", "long-export", "open-quote"],
)
def test_sbatch_scripts_built_to_exhaust_fail_fast(script: str) -> None:
    start = time.monotonic()
    with contextlib.suppress(errors.InvalidRequestError):
        JobSpec.from_script(script)
    assert time.monotonic() - start < 10
