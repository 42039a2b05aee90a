"""A renewed token reaches every call without closing anything: calls in flight finish, and
every call refused with the old token is re-sent once with the new one."""

from __future__ import annotations

import asyncio
import dataclasses
import getpass
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from s3m_grpc import S3MClientFactory, errors
from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.server.backend import SubmitRequest, SubmitResult
from s3m_grpc.server.config import TokenInfo
from s3m_grpc.slurm import v0044

SCRIPT = "#!/bin/bash\ntrue\n"


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_rotation_keeps_calls_in_flight_and_resends_every_refused_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, transport: str
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./.env
    for var in ("S3M_TOKEN", "S3M_TOKEN_FILE"):
        monkeypatch.delenv(var, raising=False)
    old, new = "old-" + "a" * 20, "new-" + "b" * 20
    user = getpass.getuser()
    lifetime = 1.0
    tokens = {
        old: TokenInfo("stf040", user, expires_at=time.time() + lifetime),
        new: TokenInfo("stf040", user),
    }
    source = tmp_path / "token"
    source.write_text(old)
    command = f'{sys.executable} -c "print(open({str(source)!r}).read())"'
    config = dataclasses.replace(ServerConfig(), tokens=tokens)
    async with LocalServer(config) as srv:
        backend: Any = srv.backend
        real = backend.submit

        async def slow_submit(request: SubmitRequest) -> SubmitResult:
            result: SubmitResult = await real(request)
            await asyncio.sleep(lifetime + 0.5)  # still in flight when the token is renewed
            return result

        backend.submit = slow_submit
        async with S3MClientFactory(
            srv.grpc_target if transport == "grpc" else None,
            resource="odo",
            token_command=command,
            transport=transport,  # type: ignore[arg-type]
            plaintext=True,
            rest_url=srv.rest_url,
            retry=False,
        ) as f:
            stub = f.create_client(v0044.SlurmIndirectStub)
            assert (await stub.ping()).pings
            submit = asyncio.create_task(
                stub.post_job_submit(
                    v0044.JobSubmitReq(
                        script=SCRIPT,
                        job=v0044.JobSubmitReqJobDescription(
                            name="in-flight", environment=["PATH=/bin"]
                        ),
                    )
                )
            )
            await asyncio.sleep(lifetime + 0.1)  # the old token has expired...
            source.write_text(new)  # ...and its source has a new one
            pings = await asyncio.gather(*(stub.ping() for _ in range(20)), return_exceptions=True)
            assert [p for p in pings if isinstance(p, BaseException)] == []
            reply = await submit  # not cancelled by the rotation
            assert reply.job_id
            jobs = [j for j in await srv.backend.jobs() if j["name"] == "in-flight"]
            assert len(jobs) == 1  # and submitted exactly once
            assert f.tokens.current.reveal() == new
            source.write_text("revoked-" + "c" * 20)
            assert f.refresh_token()
            with pytest.raises(errors.AuthenticationError):  # refused, and nothing newer
                await stub.ping()
