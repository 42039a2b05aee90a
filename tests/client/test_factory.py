"""Factory settings: bad ones are refused up front with a typed error; nothing leaks the token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from s3m_grpc import S3MClientFactory, errors
from s3m_grpc.slurm import v0042, v0043, v0044

TOKEN = "factory-" + "t" * 24


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"transport": "carrier-pigeon"}, "transport"),
        ({"rest_url": "s3m.example:443"}, "rest_url"),
        ({"rest_path_template": "/slurm/{nope}/{path}"}, "rest_path_template"),
        ({"rest_path_template": "/slurm/{version}/"}, "{path}"),
        ({"timeout": 0}, "timeout"),
        ({"connect_timeout": -1}, "connect_timeout"),
        ({"ca_bundle": "/no/such/ca.pem"}, "CA bundle"),
    ],
)
def test_bad_settings_are_refused(options: dict[str, Any], match: str) -> None:
    with pytest.raises(errors.InvalidRequestError, match=match):
        S3MClientFactory(token=TOKEN, resource="defiant", **options)


def test_garbage_ca_bundle(tmp_path: Path) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    with pytest.raises(errors.InvalidRequestError, match="CA bundle"):
        S3MClientFactory(token=TOKEN, resource="defiant", ca_bundle=bad)


def test_resource_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("S3M_RESOURCE", raising=False)
    with pytest.raises(errors.InvalidRequestError, match="resource"):
        S3MClientFactory(token=TOKEN)


def test_defaults_follow_the_s3m_docs(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("S3M_ENDPOINT", "S3M_REST_URL"):
        monkeypatch.delenv(var, raising=False)
    f = S3MClientFactory(token=TOKEN, resource="odo")
    assert f.endpoint == "s3m.olcf.ornl.gov:443"
    assert f.settings.rest_url == "https://s3m.olcf.ornl.gov"
    assert not f.settings.endpoint.plaintext
    assert TOKEN not in repr(f)
    assert TOKEN not in str(vars(f))


def test_create_client_checks_the_stub_version() -> None:
    f = S3MClientFactory(token=TOKEN, resource="odo")
    assert isinstance(f.create_client(v0044.SlurmIndirectStub), v0044.SlurmIndirectStub)
    assert isinstance(f.create_client(v0043.SlurmIndirectStub), v0043.SlurmIndirectStub)
    with pytest.raises(errors.UnsupportedVersionError, match="odo"):
        f.create_client(v0042.SlurmIndirectStub)
    with pytest.raises(errors.InvalidRequestError, match="stub"):
        f.create_client(object)  # type: ignore[type-var]


def test_version_table_is_overridable() -> None:
    f = S3MClientFactory(token=TOKEN, resource="frontier", resources={"frontier": ("v0.0.44",)})
    assert f.create_client(v0044.SlurmIndirectStub)
    with pytest.raises(errors.UnsupportedVersionError):
        f.create_client(v0043.SlurmIndirectStub)
