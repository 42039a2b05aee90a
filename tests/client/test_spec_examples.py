"""The S3M docs' Python examples run against the local server with only their import changed."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from s3m_grpc import S3MClientFactory
from s3m_grpc.server import LocalServer
from tests.client.conftest import server_config, start_server

FIRST_JOB_ID = 12345  # the job id the examples use
RESOURCE = {"v0.0.43": "defiant", "v0.0.44": "odo"}
_ENDPOINT = re.compile(r"^(GET|POST|DELETE) /slurm/open/(v0\.0\.4\d)/")
_IMPORT = re.compile(
    r"^from (betterproto\.lib\.std\.google\.protobuf|s3m_apis_betterproto\.slurm\.v004\d)"
    r" import (.+)$"
)


def examples(spec: str) -> list[tuple[str, str]]:
    """(version, code) for every Python gRPC example, in page order."""
    out: list[tuple[str, str]] = []
    version = ""
    lines = spec.splitlines()
    i = 0
    while i < len(lines):
        m = _ENDPOINT.match(lines[i])
        if m:
            version = m.group(2)
        if _IMPORT.match(lines[i]):
            j = i + 1
            while j < len(lines) and not lines[j].startswith("import "):
                j += 1
            out.append((version, "\n".join(lines[i:j]).strip()))
            i = j
        i += 1
    return out


def with_our_import(version: str, code: str) -> str:
    """Change only the import line: our package, plus the stub the page leaves implicit."""
    first, rest = code.split("\n", 1)
    m = _IMPORT.match(first)
    assert m is not None
    module = "s3m_grpc.slurm.v00" + version.rsplit(".", 1)[-1]
    return f"from {module} import SlurmIndirectStub, {m.group(2)}\n{rest}"


@pytest.fixture
def example_server() -> Iterator[LocalServer]:
    srv = start_server(server_config(first_job_id=FIRST_JOB_ID))
    try:
        yield srv
    finally:
        srv.stop()


@pytest.mark.sim_only(reason="the examples name job 12345: needs the simulator's first_job_id")
@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_spec_python_examples_run(
    shared: Path, example_server: LocalServer, transport: str
) -> None:
    found = examples((shared / "spec" / "s3m-compute-api.txt").read_text(encoding="utf-8"))
    calls = {m.group(1) for _, code in found if (m := re.search(r"client\.(\w+)\(", code))}
    assert calls == {
        "ping", "get_partitions", "post_job_submit", "get_job", "get_jobs", "delete_job",
        "get_nodes", "get_reservations",
    } | (calls & {"get_diag"})  # fmt: skip
    submitted = 0
    for version, code in found:
        factory = S3MClientFactory(
            example_server.grpc_target,
            example_server.token,
            RESOURCE[version],
            transport="grpc" if transport == "grpc" else "rest",
            rest_url=example_server.rest_url,
            plaintext=True,
        )
        body = with_our_import(version, code)
        scope: dict[str, Any] = {}
        source = (
            f"async def example(factory):\n{textwrap.indent(body, '    ')}\n    return locals()"
        )
        exec(source, scope)
        try:
            result = await scope["example"](factory)
        finally:
            await factory.close()
        if "result" in result and hasattr(result["result"], "job_id"):
            submitted += 1
            if submitted == 1:
                assert result["result"].job_id == FIRST_JOB_ID
        if "job" in result:
            assert result["job"].jobs[0].job_id == FIRST_JOB_ID
    assert submitted == 2
