"""The same job through the library and through the CLI gives byte-identical requests, on every
API version: what `Client.submit` and `s3m submit` put on the wire (caught by a real gRPC server
on 127.0.0.1 that records the request bytes), and what `s3m submit --dry-run` prints."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from typing import TYPE_CHECKING, Any

import grpc
import pytest
from click.testing import CliRunner

from s3m_grpc import AsyncClient as Client
from s3m_grpc import codec, jsoncodec, versions
from s3m_grpc.cli.app import cli
from s3m_grpc.jobspec import JobDirectiveWarning, JobSpec, submit_request
from tests.cli.conftest import clean_env

SCRIPT = """#!/bin/bash
#SBATCH -A STF040 --partition=batch -t 1-02:00:00
#SBATCH -N 1-2 -n 4 --cpus-per-task 2 -J "same job"
#SBATCH --mem=4G --mem-per-cpu=512 --begin=2026-12-24T10:00 --priority=5 -q normal
#SBATCH --time-min=30 --comment='a comment' -L fs:1 --ntasks-per-node=2 --wait-all-nodes=1
#SBATCH -o out-%j.txt -e err-%j.txt -i /dev/null --reservation=maint
#SBATCH --export=NAMED,SET=value
#SBATCH --array=1-4 --exclusive
srun hostname
"""
# The resource each version is served on (the built-in table), so every client check passes.
RESOURCES = {"v0.0.42": "defiant", "v0.0.43": "defiant", "v0.0.44": "odo"}


if TYPE_CHECKING:
    Handler = grpc.GenericRpcHandler[bytes, bytes]
else:
    Handler = grpc.GenericRpcHandler  # not subscriptable at run time


class Recorder(Handler):
    """Answers every PostJobSubmit with job 7 and keeps the raw request bytes."""

    def __init__(self) -> None:
        self.requests: list[bytes] = []
        self.lock = threading.Lock()

    def service(self, details: Any) -> grpc.RpcMethodHandler[bytes, bytes] | None:
        method: str = details.method
        for name in versions.API_VERSIONS:
            module = versions.get(name).module
            if method == module.SERVICE.method("PostJobSubmit").grpc_path:
                reply = codec.encode(module.JobSubmitResp(job_id=7))
                return grpc.unary_unary_rpc_method_handler(
                    lambda request, context, reply=reply: self._record(request, reply)
                )
        return None

    def _record(self, request: bytes, reply: bytes) -> bytes:
        with self.lock:
            self.requests.append(request)
        return reply

    def take(self) -> bytes:
        with self.lock:
            assert len(self.requests) == 1, f"{len(self.requests)} submits recorded"
            return self.requests.pop()


@pytest.fixture(scope="module")
def recorder() -> Iterator[tuple[Recorder, str]]:
    handler = Recorder()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield handler, f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)


async def library_submit(version: str, target: str, path: Path) -> int:
    client = Client(
        RESOURCES[version],
        version=version,
        endpoint=target,
        token="t",
        transport="grpc",
        plaintext=True,
    )
    try:
        with pytest.warns(JobDirectiveWarning, match="--array --exclusive"):
            sub = await client.submit(
                path, partition="debug", time_limit=30, env={"A": "1"}, cwd="/tmp/work"
            )
    finally:
        await client.close()
    return sub.job_id


@pytest.mark.filterwarnings("ignore::s3m_grpc.factory.DeprecatedVersionWarning")
@pytest.mark.parametrize("version", versions.API_VERSIONS)
def test_library_and_cli_send_the_same_bytes(
    version: str,
    recorder: tuple[Recorder, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler, target = recorder
    resource = RESOURCES[version]
    path = tmp_path / "job.sh"
    path.write_text(SCRIPT)
    monkeypatch.setenv("NAMED", "from-the-shell")
    monkeypatch.setenv("S3M_TOKEN", "not-sent-to-the-job")

    # The library: a script file, keywords over its directives.
    assert asyncio.run(library_submit(version, target, path)) == 7
    from_library = handler.take()

    # The command line: the same script, the same values as flags.
    common = ["--endpoint", f"http://{target}", "--resource", resource, "--api-version", version]
    args = ["submit", str(path), "-p", "debug", "-t", "30", "--env", "A=1", "-D", "/tmp/work"]
    env = clean_env(tmp_path, {"S3M_TOKEN": "t", "NAMED": "from-the-shell"})
    runner = CliRunner()
    sent = runner.invoke(cli, [*common, "--transport", "grpc", *args], env=env)
    assert sent.exit_code == 0, sent.output
    assert "Submitted batch job 7" in sent.stdout
    assert sent.stderr.count("--array --exclusive") == 1
    from_cli = handler.take()
    shown = runner.invoke(cli, [*common, "-o", "json", *args, "--dry-run"], env=env)
    assert shown.exit_code == 0, shown.output
    api = versions.get(version)
    dry_run = codec.encode(
        jsoncodec.from_dict(api.module.JobSubmitReq, json.loads(shown.stdout), request=True)
    )

    # The spec, built by hand.
    spec = JobSpec.from_script(SCRIPT, environ={"NAMED": "from-the-shell"}).merge(
        JobSpec(
            partition="debug",
            time_limit=30,
            environment={"A": "1"},
            current_working_directory="/tmp/work",
        )
    )
    by_hand = codec.encode(submit_request(spec, api))

    assert from_library == from_cli == dry_run == by_hand
    job = jsoncodec.to_dict(codec.decode(api.module.JobSubmitReq, from_library))["job"]
    assert job["partition"] == "debug"
    assert job["time_limit"] == {"set": True, "number": 30}
    assert job["environment"] == [
        "PATH=/usr/local/bin:/usr/bin:/bin",
        "NAMED=from-the-shell",
        "SET=value",
        "A=1",
    ]
    assert job["memory_per_node"] == {"set": True, "number": 4096}
    assert job["script"] == SCRIPT
