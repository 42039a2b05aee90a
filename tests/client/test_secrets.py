"""The token appears in no log record, repr, exception text or program output."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import traceback
from pathlib import Path

import pytest

from s3m_grpc import errors
from s3m_grpc.server import LocalServer
from tests.client.conftest import ClientMaker


def leaks(secret: str, *texts: str) -> list[str]:
    return [t for t in texts if secret in t]


async def test_token_not_in_logs_reprs_or_exceptions(
    make_client: ClientMaker,
    server: LocalServer,
    transport: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    for token in (server.token, "wrong-" + server.token[::-1]):
        async with make_client(transport, token=token) as c:
            texts += [
                repr(c),
                repr(c.factory),
                repr(c.stub),
                repr(c.factory.transport),
                str(vars(c)),
            ]
            try:
                await c.ping()
                await c.get_job(99_999_998)
            except errors.S3MError as exc:
                texts += [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
            else:
                pytest.fail("expected an error")
        for secret in (token, server.token):
            assert not leaks(secret, *texts)
    out = capsys.readouterr()
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    for secret in (server.token, "wrong-" + server.token[::-1]):
        assert not leaks(secret, logged, out.out, out.err)


def test_token_not_in_program_output(server: LocalServer, tmp_path: Path) -> None:
    script = tmp_path / "prog.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import logging
            from s3m_grpc import Client
            logging.basicConfig(level=logging.DEBUG)
            c = Client("odo", endpoint={server.grpc_target!r}, rest_url={server.rest_url!r},
                       plaintext=True)
            print(c, c.aio.factory, c.stub, c.ping())
            c.get_job(99999997)   # uncaught NotFoundError: traceback on stderr
            """
        )
    )
    env = {**os.environ, "S3M_TOKEN": server.token}
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "NotFoundError" in done.stderr
    assert server.token not in done.stdout
    assert server.token not in done.stderr
