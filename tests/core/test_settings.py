"""Settings: one place reads the environment; endpoint forms mean the same everywhere."""

from __future__ import annotations

import pytest

from s3m_grpc import S3MClientFactory, errors
from s3m_grpc.errors import ConfigurationError, InvalidRequestError
from s3m_grpc.settings import DEFAULT_REST_URL, ClientSettings, Endpoint
from s3m_grpc.transports.chain import connections, open_connections
from s3m_grpc.transports.fallback import FallbackTransport
from s3m_grpc.transports.grpc import GrpcTransport
from s3m_grpc.transports.rest import RestTransport

TOKEN = "settings-test-" + "t" * 20


@pytest.mark.parametrize(
    ("text", "target", "plaintext"),
    [
        ("s3m.olcf.ornl.gov:443", "s3m.olcf.ornl.gov:443", False),
        ("https://s3m.olcf.ornl.gov", "s3m.olcf.ornl.gov:443", False),
        ("https://s3m.olcf.ornl.gov/", "s3m.olcf.ornl.gov:443", False),
        ("https://example.org:8443", "example.org:8443", False),
        ("http://127.0.0.1:50051", "127.0.0.1:50051", True),
        ("http://localhost", "localhost:80", True),
        ("[::1]:50051", "[::1]:50051", False),
        ("https://[::1]", "[::1]:443", False),
    ],
)
def test_endpoint_forms(text: str, target: str, plaintext: bool) -> None:
    assert Endpoint.parse(text) == Endpoint(target, plaintext)


@pytest.mark.parametrize(
    "text", ["", "host", "host:", ":443", "host:port", "ftp://host:21", "host:99999", "a/b:1"]
)
def test_bad_endpoints_are_configuration_errors(text: str) -> None:
    with pytest.raises(ConfigurationError, match="invalid endpoint"):
        Endpoint.parse(text)


def test_configuration_error_is_a_value_error_not_a_server_refusal() -> None:
    assert issubclass(ConfigurationError, ValueError)
    with pytest.raises(ValueError, match="unknown transport"):
        S3MClientFactory(token=TOKEN, resource="odo", transport="grcp")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        S3MClientFactory(token=TOKEN, resource="odo", timeout=-1)
    with pytest.raises(ConfigurationError):
        S3MClientFactory(token=TOKEN, resource="odo", rest_url="ftp://x")
    with pytest.raises(ConfigurationError):
        S3MClientFactory(token=TOKEN, resource="odo", rest_path_template="/slurm/{oops}")
    # Still an InvalidRequestError for code written against earlier releases.
    assert issubclass(ConfigurationError, InvalidRequestError)


def test_environment_is_read_in_one_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S3M_ENDPOINT", "http://127.0.0.1:50051")  # the CLI's form
    monkeypatch.setenv("S3M_RESOURCE", "odo")
    monkeypatch.delenv("S3M_REST_URL", raising=False)
    s = ClientSettings.resolve()
    assert s.endpoint == Endpoint("127.0.0.1:50051", plaintext=True)
    assert s.resource == "odo"
    assert s.rest_url is None  # not S3M's own endpoint: no REST URL is guessed
    monkeypatch.setenv("S3M_REST_URL", "http://127.0.0.1:8080/")
    assert ClientSettings.resolve().rest_url == "http://127.0.0.1:8080"
    # Keywords win over the environment.
    assert ClientSettings.resolve(resource="defiant").resource == "defiant"


def test_defaults_are_s3m(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("S3M_ENDPOINT", "S3M_REST_URL"):
        monkeypatch.delenv(var, raising=False)
    s = ClientSettings.resolve(resource="odo")
    assert s.endpoint == Endpoint("s3m.olcf.ornl.gov:443", plaintext=False)
    assert s.rest_url == DEFAULT_REST_URL


async def test_auto_without_a_rest_url_is_grpc_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("S3M_REST_URL", raising=False)
    auto = ClientSettings.resolve(resource="odo", endpoint="http://127.0.0.1:1")
    t = open_connections(auto)
    assert isinstance(t, GrpcTransport)  # never REST on the gRPC port
    await t.close()
    both = ClientSettings.resolve(
        resource="odo", endpoint="http://127.0.0.1:1", rest_url="http://127.0.0.1:2"
    )
    t = open_connections(both)
    assert isinstance(t, FallbackTransport)
    await t.close()
    rest = ClientSettings.resolve(resource="odo", endpoint="http://127.0.0.1:3", transport="rest")
    t = open_connections(rest)
    assert isinstance(t, RestTransport)  # REST alone: at the endpoint's own origin
    assert rest.rest_url == "http://127.0.0.1:3"
    await t.close()


async def test_one_endpoint_form_reaches_a_real_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from s3m_grpc.server import LocalServer, ServerConfig
    from s3m_grpc.slurm import v0044

    async with LocalServer(ServerConfig()) as srv:
        monkeypatch.setenv("S3M_ENDPOINT", f"http://{srv.grpc_target}")
        monkeypatch.setenv("S3M_REST_URL", srv.rest_url)
        async with S3MClientFactory(token=srv.token, resource="odo") as f:
            stub = f.create_client(v0044.SlurmIndirectStub)
            assert (await stub.ping()).pings
            assert isinstance(connections(f.transport), FallbackTransport)


def test_a_resource_missing_from_the_table_is_a_warning_the_server_decides() -> None:
    from s3m_grpc.factory import UnknownResourceWarning
    from s3m_grpc.slurm import v0044

    f = S3MClientFactory(token=TOKEN, resource="frontier2")
    with pytest.warns(UnknownResourceWarning, match="the server decides"):
        stub = f.create_client(v0044.SlurmIndirectStub)
    assert isinstance(stub, v0044.SlurmIndirectStub)
    # A known resource still refuses a version it does not serve, before anything is sent.
    known = S3MClientFactory(token=TOKEN, resource="wombat")
    with pytest.raises(errors.UnsupportedVersionError, match=r"serves v0\.0\.42"):
        known.create_client(v0044.SlurmIndirectStub)


def test_a_non_ascii_token_is_an_authentication_error_in_library_and_cli() -> None:
    import subprocess
    import sys

    pasted = "abc\u200bdef" + "x" * 20  # a zero-width space copied from a web page
    with pytest.raises(errors.AuthenticationError, match="non-ASCII") as err:
        S3MClientFactory(token=pasted, resource="odo")
    assert pasted not in str(err.value)
    done = subprocess.run(
        [sys.executable, "-m", "s3m_grpc.cli", "--resource", "odo", "ping"],
        env={"S3M_TOKEN": pasted, "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3, done.stderr  # authentication, not "internal error"
    assert "non-ASCII" in done.stderr
    assert pasted not in done.stderr + done.stdout
