"""Security: the token never shows (logs, reprs, exceptions and their chains, CLI output, `-v`
traces, a subprocess's and the server's stderr), token files others can read are warned
about, the server compares tokens in constant time, and the simulator keeps job paths inside
its sandbox.
"""

from __future__ import annotations

import hmac
import logging
import os
import pickle
import secrets
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from s3m_grpc import errors
from s3m_grpc.auth import InsecureTokenFileWarning, resolve_token
from s3m_grpc.cli.app import cli
from s3m_grpc.server import LocalServer
from s3m_grpc.server.auth import TokenStore
from s3m_grpc.server.config import TokenInfo
from tests.reliability.conftest import SCRIPT, client_for, job_ids
from tests.reliability.proxies import free_port
from tests.reliability.served import ServedProcess

ROOT = Path(__file__).resolve().parents[2]


def leaked(secret: str, *texts: str) -> list[str]:
    """Texts that contain the secret (or a good part of it)."""
    needles = {secret, secret[: len(secret) // 2], secret[len(secret) // 2 :]}
    return [t[:200] for t in texts if any(n in t for n in needles)]


def exception_texts(exc: BaseException) -> list[str]:
    """Everything a user or a log could show of an exception: str, repr, args, chain, trace."""
    out = ["".join(traceback.format_exception(exc))]
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        out += [str(e), repr(e), repr(e.args), repr(getattr(e, "errors", ()))]
        e = e.__cause__ or e.__context__
    return out


@pytest.fixture
def log_everything(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in ("s3m_grpc", "grpc", "aiohttp", "asyncio", "httpx", "urllib3"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    return caplog


def log_texts(caplog: pytest.LogCaptureFixture) -> list[str]:
    out = []
    for r in caplog.records:
        out.append(r.getMessage())
        out.append(repr(r.args))
        if r.exc_info and r.exc_info[1] is not None:
            out += exception_texts(r.exc_info[1])
    return out


# -- the Python client --------------------------------------------------------------------


@pytest.mark.parametrize("transport", ["grpc", "rest", "auto"])
async def test_no_token_in_logs_reprs_or_exceptions(
    server: LocalServer,
    log_everything: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    transport: str,
) -> None:
    wrong = "wrong-" + secrets.token_urlsafe(24)
    shown: list[str] = []
    failures: list[BaseException] = []
    async with client_for(server, transport) as good:
        sub = await good.submit(SCRIPT, name="secret-test")
        await good.get_job(sub.job_id)
        shown += [repr(good), repr(good.factory), repr(good.factory.transport), str(good.factory)]
        try:
            await good.get_job(987654)
        except errors.S3MError as exc:
            failures.append(exc)
    async with client_for(server, transport, token=wrong) as bad:
        shown += [repr(bad), repr(bad.factory), repr(bad.factory.transport)]
        for call in (bad.ping(), bad.submit(SCRIPT, name="x"), bad.cancel(sub.job_id)):
            try:
                await call
            except errors.S3MError as exc:
                failures.append(exc)
    down = f"127.0.0.1:{free_port()}"
    async with client_for(
        server, transport, token=wrong, endpoint=down, rest_url=f"http://{down}"
    ) as unreachable:
        try:
            await unreachable.ping(timeout=2)
        except errors.S3MError as exc:
            failures.append(exc)
    assert len(failures) == 5
    assert all(isinstance(f, errors.S3MError) for f in failures)
    texts = shown + log_texts(log_everything) + [t for f in failures for t in exception_texts(f)]
    out, err = capsys.readouterr()
    for secret in (server.token, wrong):
        assert leaked(secret, *texts, out, err) == []


def test_the_token_holder_never_shows_or_pickles_its_secret(tmp_path: Path) -> None:
    secret = secrets.token_urlsafe(32)
    token = resolve_token(secret)
    assert leaked(secret, repr(token), str(token), f"{token}", f"{token!r}") == []
    with pytest.raises(TypeError):
        pickle.dumps(token)


# -- the CLI --------------------------------------------------------------------------------


def cli_env(home: Path, **extra: str) -> dict[str, str | None]:
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("S3M_")}
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env.update(extra)
    return env


@pytest.fixture
def thread_server() -> Iterator[LocalServer]:
    srv = LocalServer().start_in_thread()
    try:
        yield srv
    finally:
        srv.stop()


def test_cli_output_and_verbose_traces_never_show_the_token(
    thread_server: LocalServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    srv = thread_server
    wrong = "wrong-" + secrets.token_urlsafe(24)
    good_file, wrong_file = tmp_path / "good", tmp_path / "wrong"
    good_file.write_text(f"Authorization: {srv.token}\n")
    wrong_file.write_text(wrong + "\n")
    for f in (good_file, wrong_file):
        f.chmod(0o600)
    base = ["--endpoint", f"http://{srv.grpc_target}", "--rest-url", srv.rest_url]
    base += ["--resource", "odo", "-v"]
    script = tmp_path / "job.sh"
    script.write_text("#!/bin/bash\n#SBATCH -J cli-secret\necho hi\n")
    runs = [
        (["--token-file", str(good_file), "ping"], {}),
        (["--token-file", str(good_file), "submit", str(script), "--dry-run"], {}),
        (["--token-file", str(good_file), "submit", str(script), "--export-env"], {}),
        (["--token-file", str(good_file), "job", "987654"], {}),
        (["--token-file", str(wrong_file), "jobs"], {}),
        (["jobs"], {"S3M_TOKEN": wrong}),
        (["--token", wrong, "ping"], {}),
        (["--token-file", str(good_file), "-o", "json", "diag"], {}),
    ]
    texts: list[str] = []
    codes = []
    for args, env in runs:
        result = CliRunner().invoke(
            cli,
            [*base, *args],
            env=cli_env(tmp_path, S3M_TOKEN=srv.token, **env) if "--export-env" in args
            else cli_env(tmp_path, **env),
        )  # fmt: skip
        codes.append(result.exit_code)
        texts += [result.output, getattr(result, "stderr", "") or ""]
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            texts += exception_texts(result.exception)
    assert codes[:3] == [0, 0, 0], texts
    assert codes[3] == 4  # not found
    assert codes[4:7] == [3, 3, 3]  # authentication
    texts += log_texts(caplog)
    for secret in (srv.token, wrong):
        assert leaked(secret, *texts) == []


def test_a_cli_process_and_the_server_process_never_show_the_token(tmp_path: Path) -> None:
    served = ServedProcess(
        free_port(), free_port(), tmp_path / "sandbox", secrets.token_urlsafe(24)
    )
    served.start()
    wrong = "wrong-" + secrets.token_urlsafe(24)
    outputs = []
    try:
        for token in (served.token, wrong):
            env = {k: v for k, v in os.environ.items() if not k.startswith("S3M_")}
            env.update(S3M_TOKEN=token, XDG_CONFIG_HOME=str(tmp_path / "config"))
            done = subprocess.run(
                [sys.executable, "-m", "s3m_grpc.cli", "-v", "--endpoint",
                 f"http://{served.grpc_target}", "--rest-url", served.rest_url,
                 "--resource", "odo", "job", "424242"],
                capture_output=True, text=True, env=env, timeout=60, cwd=ROOT,
            )  # fmt: skip
            outputs += [done.stdout, done.stderr]
            assert done.returncode in (3, 4), done.stderr
    finally:
        outputs.append(served.kill())
    for secret in (served.token, wrong):
        assert leaked(secret, *outputs) == []


# -- token files -----------------------------------------------------------------------------


def test_a_header_file_others_can_read_is_warned_about(tmp_path: Path) -> None:
    secret = secrets.token_urlsafe(24)
    f = tmp_path / ".env"
    f.write_text(f"Authorization: {secret}\n")
    f.chmod(0o644)
    with pytest.warns(InsecureTokenFileWarning, match="chmod 600") as got:
        assert resolve_token(None, header_file=f, env={}).reveal() == secret
    assert leaked(secret, *(str(w.message) for w in got)) == []
    f.chmod(0o600)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resolve_token(None, header_file=f, env={})


def test_the_cli_warns_about_a_readable_token_file_and_refuses_tokens_in_config(
    thread_server: LocalServer, tmp_path: Path
) -> None:
    f = tmp_path / "token"
    f.write_text(thread_server.token + "\n")
    f.chmod(0o640)
    args = ["--endpoint", f"http://{thread_server.grpc_target}", "--resource", "odo"]
    result = CliRunner().invoke(cli, [*args, "--token-file", str(f), "ping"], env=cli_env(tmp_path))
    assert result.exit_code == 0
    assert "can be read by other users" in result.output
    assert leaked(thread_server.token, result.output) == []
    config = tmp_path / "config" / "s3m" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'token = "{thread_server.token}"\n')
    result = CliRunner().invoke(cli, [*args, "ping"], env=cli_env(tmp_path))
    assert result.exit_code == 2
    assert "token" in result.output
    assert leaked(thread_server.token, result.output) == []


# -- the server ------------------------------------------------------------------------------


def test_the_server_compares_every_token_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every lookup runs `hmac.compare_digest` against every known token, whether the token
    matches the first, the last or none, so timing tells nothing."""
    known = [secrets.token_urlsafe(32) for _ in range(5)]
    store = TokenStore({t: TokenInfo("p", f"u{i}") for i, t in enumerate(known)})
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    for given in (known[0], known[-1]):
        calls.clear()
        store.authenticate(given)
        assert len(calls) == len(known)
    for given in (known[0][:-1] + "x", "nearly-" + known[2]):
        calls.clear()
        with pytest.raises(errors.AuthenticationError) as info:
            store.authenticate(given)
        assert leaked(given, *exception_texts(info.value)) == []
        assert len(calls) == len(known)
        assert all(isinstance(a, bytes) and isinstance(b, bytes) for a, b in calls)


@pytest.mark.parametrize("transport", ["grpc", "rest"])
@pytest.mark.parametrize(
    "where",
    [
        {"cwd": "/../../../../../../tmp"},
        {"cwd": "/lustre/../../../../../../../etc"},
        {"stdout": "/lustre/../../../../../../../../tmp/escaped.out"},
        {"stderr": "/../../../../../../../tmp/escaped.err"},
        {"cwd": "/link-out"},
        {"cwd": "/ok", "stdout": "../../../../../../../../tmp/rel.out"},
    ],
    ids=["cwd-dotdot", "cwd-deep", "stdout", "stderr", "symlink", "relative-stdout"],
)
async def test_the_sim_backend_refuses_paths_outside_its_sandbox(
    server: LocalServer, tmp_path: Path, transport: str, where: dict[str, Any]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (server.sandbox.root / "link-out").symlink_to(outside)
    async with client_for(server, transport) as c:
        with pytest.raises(errors.InvalidRequestError, match="outside the sandbox"):
            await c.submit(SCRIPT, name="escape", **where)
    assert await job_ids(server) == []
    assert list(outside.iterdir()) == []
