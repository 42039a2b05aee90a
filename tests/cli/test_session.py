"""Choosing endpoint, resource and API version from settings (no server needed)."""

from __future__ import annotations

import pytest

from s3m_grpc.cli.config import Settings
from s3m_grpc.cli.errors import UsageError
from s3m_grpc.cli.session import choose_resource, choose_version
from s3m_grpc.errors import ConfigurationError
from s3m_grpc.settings import Endpoint


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("s3m.olcf.ornl.gov:443", ("s3m.olcf.ornl.gov:443", False)),
        ("https://s3m.example.org", ("s3m.example.org:443", False)),
        ("https://s3m.example.org:8443/", ("s3m.example.org:8443", False)),
        ("http://127.0.0.1:50051", ("127.0.0.1:50051", True)),
        ("http://localhost", ("localhost:80", True)),
    ],
)
def test_endpoints(endpoint: str, expected: tuple[str, bool]) -> None:
    parsed = Endpoint.parse(endpoint)
    assert (parsed.target, parsed.plaintext) == expected


@pytest.mark.parametrize("endpoint", ["", "host/path", "ftp://x/y"])
def test_bad_endpoints(endpoint: str) -> None:
    with pytest.raises(ConfigurationError, match="host:port"):
        Endpoint.parse(endpoint)


def test_versions_default_to_the_newest_the_resource_serves() -> None:
    assert choose_version(Settings(), "odo") == "v0.0.44"
    assert choose_version(Settings(), "defiant") == "v0.0.43"
    assert choose_version(Settings(api_version="42"), "defiant") == "v0.0.42"
    with pytest.raises(UsageError, match="unknown API version"):
        choose_version(Settings(api_version="v9"), "odo")
    # A resource newer than the built-in table: the newest version; the server decides.
    assert choose_version(Settings(), "brand-new-machine") == "v0.0.44"


def test_resource_is_required_except_locally() -> None:
    assert choose_resource(Settings(resource="defiant")) == "defiant"
    assert choose_resource(Settings(local=True)) == "odo"
    with pytest.raises(UsageError, match="S3M_RESOURCE"):
        choose_resource(Settings())
