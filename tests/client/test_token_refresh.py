"""A token renewed at its source (here: a token command) is picked up after it expires."""

from __future__ import annotations

import asyncio
import dataclasses
import getpass
import sys
import time
from pathlib import Path

import pytest

from s3m_grpc import AsyncClient as Client
from s3m_grpc import errors
from s3m_grpc.server.config import TokenInfo
from tests.client.conftest import server_config, start_server


async def test_expired_token_is_looked_up_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./.env
    for var in ("S3M_TOKEN", "S3M_TOKEN_FILE"):
        monkeypatch.delenv(var, raising=False)
    old, new = "old-" + "a" * 20, "new-" + "b" * 20
    user = getpass.getuser()
    tokens = {
        old: TokenInfo("stf040", user, expires_at=time.time() + 1.0),
        new: TokenInfo("stf040", user),
    }
    srv = start_server(dataclasses.replace(server_config(), tokens=tokens))
    source = tmp_path / "token"
    source.write_text(old)
    command = f'{sys.executable} -c "print(open({str(source)!r}).read())"'
    try:
        async with Client(
            "odo", endpoint=srv.grpc_target, rest_url=srv.rest_url, plaintext=True,
            token_command=command, transport="grpc",
        ) as c:  # fmt: skip
            assert await c.ping()
            source.write_text(new)  # the source renews the token...
            expiry = tokens[old].expires_at or 0.0
            await asyncio.sleep(max(0.0, expiry - time.time()) + 0.1)
            assert await c.ping()  # ...and the next call uses it after one refusal
            source.write_text("revoked-" + "c" * 20)
            c.factory.refresh_token()
            with pytest.raises(errors.AuthenticationError):
                await c.ping()
    finally:
        srv.stop()
