"""Token sources (argument, S3M_TOKEN, curl header file, token command) and redaction."""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

import pytest

from s3m_grpc.auth import InsecureTokenFileWarning, Token, resolve_token
from s3m_grpc.errors import AuthenticationError

SECRET = "tok-" + "Z9" * 12


def test_argument_wins_over_everything(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("Authorization: from-file\n")
    tok = resolve_token(SECRET, env={"S3M_TOKEN": "from-env"}, cwd=tmp_path)
    assert tok.reveal() == SECRET
    assert tok.source == "argument"


def test_env_wins_over_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("Authorization: from-file\n")
    tok = resolve_token(env={"S3M_TOKEN": SECRET}, cwd=tmp_path)
    assert tok.reveal() == SECRET
    assert tok.source == "S3M_TOKEN"


def test_curl_header_file_in_cwd(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"Content-Type: application/json\nauthorization:   {SECRET}  \n")
    env_file.chmod(0o600)
    assert resolve_token(env={}, cwd=tmp_path).reveal() == SECRET


def test_header_file_named_by_env(tmp_path: Path) -> None:
    f = tmp_path / "hdr"
    f.write_text(f"Authorization: {SECRET}\n")
    f.chmod(0o600)
    assert resolve_token(env={"S3M_TOKEN_FILE": str(f)}, cwd=tmp_path).reveal() == SECRET


def test_named_header_file_without_token_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "hdr"
    f.write_text("Accept: */*\n")
    with pytest.raises(AuthenticationError, match="no 'Authorization"):
        resolve_token(header_file=f, env={}, cwd=tmp_path)


def test_header_file_readable_by_others_warns(tmp_path: Path) -> None:
    f = tmp_path / ".env"
    f.write_text(f"Authorization: {SECRET}\n")
    f.chmod(0o644)
    with pytest.warns(InsecureTokenFileWarning, match="chmod 600") as rec:
        resolve_token(env={}, cwd=tmp_path)
    assert SECRET not in str(rec[0].message)


def test_token_command(tmp_path: Path) -> None:
    cmd = f"{sys.executable} -c \"print('{SECRET}')\""
    tok = resolve_token(env={"S3M_TOKEN_COMMAND": cmd}, cwd=tmp_path)
    assert tok.reveal() == SECRET


def test_failing_token_command_does_not_echo_output(tmp_path: Path) -> None:
    cmd = f"{sys.executable} -c \"import sys; print('{SECRET}'); sys.exit(3)\""
    with pytest.raises(AuthenticationError) as err:
        resolve_token(token_command=cmd, env={}, cwd=tmp_path)
    assert "status 3" in str(err.value)
    assert SECRET not in str(err.value)


def test_no_token_anywhere_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(AuthenticationError, match="S3M_TOKEN"):
        resolve_token(env={}, cwd=tmp_path)


@pytest.mark.parametrize("bad", ["two words", "line\nbreak", "   "])
def test_malformed_token_rejected_without_echo(bad: str) -> None:
    with pytest.raises(AuthenticationError) as err:
        Token(bad)
    assert bad.strip() == "" or bad not in str(err.value)


def test_token_is_redacted_everywhere() -> None:
    tok = Token(SECRET)
    for text in (repr(tok), str(tok), f"{tok}", repr([tok]), repr({"t": tok})):
        assert SECRET not in text
    assert Token(SECRET) == tok
    with pytest.raises(TypeError):
        pickle.dumps(tok)


def test_os_environ_is_the_default_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("S3M_TOKEN", SECRET)
    assert resolve_token(cwd=tmp_path).reveal() == SECRET
    assert os.environ["S3M_TOKEN"] == SECRET


def test_dotenv_style_line(tmp_path: Path) -> None:
    f = tmp_path / ".env"
    f.write_text(f"OTHER=1\nexport S3M_TOKEN='{SECRET}'\n")
    f.chmod(0o600)
    assert resolve_token(env={}, cwd=tmp_path).reveal() == SECRET
