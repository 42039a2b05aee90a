"""Settings precedence (flags > environment > profile > defaults), profiles, token files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from s3m_grpc.cli.app import cli
from s3m_grpc.cli.config import read_token_file, resolve
from s3m_grpc.cli.errors import ConfigError
from tests.cli.conftest import Target, clean_env

CONFIG = """
output = "yaml"
profile = "odo"

[profiles.odo]
resource = "odo"
api_version = "v0.0.44"
timeout = 12.5

[profiles.defiant]
resource = "defiant"
transport = "rest"
"""


def write_config(tmp: Path, text: str = CONFIG) -> dict[str, str]:
    path = tmp / "s3m" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return {"XDG_CONFIG_HOME": str(tmp), "HOME": str(tmp)}


def test_default_profile_and_top_level_defaults(tmp_path: Path) -> None:
    s = resolve({}, write_config(tmp_path))
    assert (s.resource, s.api_version, s.timeout, s.output) == ("odo", "v0.0.44", 12.5, "yaml")
    assert s.transport == "auto"
    assert s.sources["resource"].endswith("config.toml")


def test_named_profile_and_flags_win(tmp_path: Path) -> None:
    env = write_config(tmp_path)
    s = resolve({"output": "json", "resource": None}, env, profile="defiant")
    assert (s.resource, s.transport, s.output) == ("defiant", "rest", "json")
    assert s.sources["output"] == "command line or environment"


def test_s3m_config_names_another_file(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text('resource = "wombat"\n')
    assert resolve({}, {"S3M_CONFIG": str(other)}).resource == "wombat"


def test_missing_config_file_is_fine(tmp_path: Path) -> None:
    assert resolve({}, {"XDG_CONFIG_HOME": str(tmp_path)}).resource is None


@pytest.mark.parametrize(
    ("text", "profile", "needle"),
    [
        ("[profiles.a]\nresource='x'\n", "b", "no profile 'b'"),
        ("token = 'abc'\n", None, "tokens do not belong"),
        ("colour = 'blue'\n", None, "unknown setting"),
        ("transport = 'pigeon'\n", None, "transport"),
        ("timeout = -1\n", None, "positive"),
        ("resource = 3\n", None, "must be a string"),
        ("this is = not toml [", None, "cannot read config"),
    ],
)
def test_bad_config_is_a_clear_error(
    tmp_path: Path, text: str, profile: str | None, needle: str
) -> None:
    env = write_config(tmp_path, text)
    with pytest.raises(ConfigError, match=needle) as info:
        resolve({}, env, profile=profile)
    assert "abc" not in str(info.value)


def test_token_files_plain_and_curl_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain"
    plain.write_text("# my token\n\nabc123\n")
    plain.chmod(0o600)
    header = tmp_path / "header"
    header.write_text("Content-Type: application/json\nAuthorization: xyz789\n")
    header.chmod(0o644)
    assert read_token_file(str(plain)) == "abc123"
    assert "warning" not in capsys.readouterr().err
    assert read_token_file(str(header)) == "xyz789"
    warned = capsys.readouterr().err
    assert f"chmod 600 {header}" in warned
    assert "xyz789" not in warned
    empty = tmp_path / "empty"
    empty.write_text("Accept: */*\n")
    with pytest.raises(ConfigError, match="holds no token"):
        read_token_file(str(empty))
    with pytest.raises(ConfigError, match="cannot read token file"):
        read_token_file(str(tmp_path / "missing"))


def test_profile_drives_a_real_command(target: Target) -> None:
    config = target.workdir / "config" / "s3m" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[profiles.local-test]\noutput = "json"\napi_version = "v0.0.43"\n')
    try:
        result = target.invoke(["--profile", "local-test", "ping"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["meta"]["plugin"]["data_parser"] == "data_parser/v0.0.43"
        via_env = target.invoke(["ping"], env={"S3M_PROFILE": "local-test", "S3M_OUTPUT": "yaml"})
        assert via_env.stdout.startswith("meta:")
    finally:
        config.unlink()


def test_token_precedence_flag_file_over_env_over_profile_file(target: Target) -> None:
    good = str(target.token_file)
    bad = target.workdir / "stale-token"
    bad.write_text("stale-token-value\n")
    config = target.workdir / "config" / "s3m" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[profiles.p]\ntoken_file = "{bad}"\n')
    token = target.server.token
    base = [
        "--endpoint", f"http://{target.server.grpc_target}", "--rest-url", target.server.rest_url,
        "--resource", "odo", "--profile", "p",
    ]  # fmt: skip
    try:
        env = clean_env(target.workdir, {"S3M_TOKEN": token})
        # S3M_TOKEN (environment) beats the profile's token_file...
        assert CliRunner().invoke(cli, [*base, "ping"], env=env).exit_code == 0
        # ...the profile's token_file is used without it...
        alone = CliRunner().invoke(cli, [*base, "ping"], env=clean_env(target.workdir))
        assert alone.exit_code == 3
        assert "stale-token-value" not in alone.output
        # ...and --token-file beats both.
        flagged = [*base, "--token-file", good, "ping"]
        env_bad = clean_env(target.workdir, {"S3M_TOKEN": "wrong"})
        assert CliRunner().invoke(cli, flagged, env=env_bad).exit_code == 0
    finally:
        config.unlink()
