"""Checks on what the Go client saw, made on the Python side.

The Go client reports each reply twice: decoded by Go and printed as protojson (the contract's
JSON names), and as the raw bytes it received. Reading the first with our JSON codec and the
second with our binary codec must give the same message, or Go and Python disagree on a field
number or a JSON name. The request is checked the same way in the other direction.
"""

from __future__ import annotations

from typing import Any

from s3m_grpc import codec, jsoncodec
from tests.interop import pyside
from tests.interop.goprocs import GoCall, GoResult

SCRIPT = "#!/bin/bash\necho interop from Go\n"


def submit_request(version: str, name: str) -> dict[str, Any]:
    """A PostJobSubmit request in contract JSON that the local server's sim backend accepts."""
    job: dict[str, Any] = {
        "name": name,
        "account": "stf040",
        "partition": "batch-cpu",
        "minimum_nodes": 1,
        "tasks": 1,
        "time_limit": {"number": 5, "set": True},
        "current_working_directory": "/tmp",
        "environment": ["PATH=/usr/bin:/bin"],
    }
    if pyside.script_in_job(version):
        return {"job": {**job, "script": SCRIPT}}
    return {"script": SCRIPT, "jobs": [job]}


def wire_problems(call: GoCall, result: GoResult) -> list[str]:
    """Where Go's decoding (or encoding) differs from ours for one call."""
    info = pyside.service(call.version).method(call.method)
    where = f"{call.version} {call.method}"
    if result.client_error:
        return [f"{where}: Go could not build the request: {result.client_error}"]
    sent_per_json = jsoncodec.from_dict(info.request_type, call.request, request=True)
    sent_per_go = codec.decode(info.request_type, result.request_bytes)
    problems = [f"{where} request {d}" for d in pyside.message_diff(sent_per_json, sent_per_go)]
    if result.reply is not None:
        reply_per_go = jsoncodec.from_dict(info.response_type, result.reply)
        reply_per_python = codec.decode(info.response_type, result.reply_bytes)
        problems += [
            f"{where} reply {d}" for d in pyside.message_diff(reply_per_python, reply_per_go)
        ]
    return problems
