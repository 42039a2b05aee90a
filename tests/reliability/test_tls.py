"""TLS with a private CA made at test time: verification is on by default, a custom CA bundle
works, a wrong CA (or a bundle that is no CA at all) fails clearly, before anything is sent.

TLS-serving fronts (grpc.aio with `ssl_server_credentials`, aiohttp with an SSL context) sit
before the real local server.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest

from s3m_grpc import AsyncClient as Client
from s3m_grpc import errors
from s3m_grpc.server import LocalServer
from tests.reliability.certs import Certs, make_certs
from tests.reliability.conftest import SCRIPT, job_ids
from tests.reliability.proxies import GrpcProxy, RestProxy

if TYPE_CHECKING:
    from s3m_grpc.settings import TransportKind


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("certs"))


@pytest.fixture
async def tls_fronts(server: LocalServer, certs: Certs) -> AsyncIterator[tuple[str, str]]:
    """(gRPC target, REST URL) of TLS fronts before the local server."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(certs.cert_file, certs.key_file)
    async with (
        GrpcProxy(server.grpc_target, tls=(certs.server_key, certs.server_cert)) as g,
        RestProxy(server.rest_url, ssl_context=ctx) as r,
    ):
        yield g.target, r.url


def tls_client(
    server: LocalServer, fronts: tuple[str, str], transport: str, **options: Any
) -> Client:
    endpoint, rest_url = fronts
    return Client(
        "odo",
        version="v0.0.44",
        transport=cast("TransportKind", transport),
        token=server.token,
        endpoint=endpoint,
        rest_url=rest_url,
        connect_timeout=3.0,
        **options,
    )


TRANSPORTS = ["grpc", "rest", "auto"]


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_custom_ca_bundle_is_trusted(
    server: LocalServer, tls_fronts: tuple[str, str], certs: Certs, transport: str
) -> None:
    async with tls_client(server, tls_fronts, transport, ca_bundle=certs.ca) as c:
        assert await c.ping()
        sub = await c.submit(SCRIPT, name="over-tls")
        assert (await c.get_job(sub.job_id)).job_id == sub.job_id


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("which", ["default", "wrong"])
async def test_an_untrusted_server_is_refused_before_anything_is_sent(
    server: LocalServer, tls_fronts: tuple[str, str], certs: Certs, transport: str, which: str
) -> None:
    """No bundle: the system's roots (verification on by default). Wrong bundle: another CA."""
    options: dict[str, Any] = {} if which == "default" else {"ca_bundle": certs.wrong_ca}
    async with tls_client(server, tls_fronts, transport, **options) as c:
        with pytest.raises(errors.ConnectError, match="not sent") as got:
            await c.ping(timeout=5)
        text = str(got.value).lower()
        assert any(w in text for w in ("certificate", "ssl", "handshake", "tls")), text
        with pytest.raises(errors.ConnectError, match="not sent"):
            await c.submit(SCRIPT, name="must-not-arrive", timeout=5)
    assert await job_ids(server) == []


@pytest.mark.parametrize("transport", ["grpc", "rest"])
@pytest.mark.parametrize("content", [None, b"not a certificate\n"], ids=["missing", "garbage"])
async def test_a_bad_ca_bundle_is_a_clear_error(
    server: LocalServer,
    tls_fronts: tuple[str, str],
    tmp_path: Path,
    transport: str,
    content: bytes | None,
) -> None:
    bundle = tmp_path / "ca.pem"
    if content is not None:
        bundle.write_bytes(content)
    with pytest.raises(errors.InvalidRequestError, match=r"CA bundle .*ca\.pem"):
        await ping_once(tls_client(server, tls_fronts, transport, ca_bundle=bundle))


async def ping_once(client: Client) -> None:
    async with client as c:
        await c.ping(timeout=5)
