"""TLS with verification: a custom CA bundle works, a bad certificate is a connect failure.

The local server speaks plaintext; here a TLS-terminating TCP proxy (ALPN h2 for gRPC) sits
in front of its real gRPC and REST ports, with certificates made by the `openssl` tool.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from s3m_grpc import errors
from s3m_grpc.server import LocalServer
from s3m_grpc.transports.chain import connections
from s3m_grpc.transports.fallback import FallbackTransport
from tests.client.conftest import ClientMaker


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl tool is not installed")
    d = tmp_path_factory.mktemp("certs")
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    _openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
             "-subj", "/CN=s3m-test-ca", cwd=d)  # fmt: skip
    for name, san in (("good", "IP:127.0.0.1,DNS:localhost"), ("wrong", "DNS:other.example")):
        (d / f"{name}.ext").write_text(f"subjectAltName={san}\n")
        _openssl("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr",
                 "-subj", f"/CN={name}", cwd=d)  # fmt: skip
        _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                 "-CAcreateserial", "-out", f"{name}.pem", "-days", "1",
                 "-extfile", f"{name}.ext", cwd=d)  # fmt: skip
    return d


@contextlib.asynccontextmanager
async def tls_proxy(certs: Path, name: str, backend_port: int) -> AsyncIterator[int]:
    """A TLS front (certificate `name`) for a plaintext 127.0.0.1 port; yields its port."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(certs / f"{name}.pem", certs / f"{name}.key")
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    tasks: set[asyncio.Task[None]] = set()

    async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        try:
            while data := await src.read(65536):
                dst.write(data)
                await dst.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            dst.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        br, bw = await asyncio.open_connection("127.0.0.1", backend_port)
        await asyncio.gather(pipe(reader, bw), pipe(br, writer))

    def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.ensure_future(handle(reader, writer))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(on_client, "127.0.0.1", 0, ssl=ctx)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        server.close()
        for t in list(tasks):
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def port_of(address: str) -> int:
    return int(address.rsplit(":", 1)[-1])


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_custom_ca_bundle(
    make_client: ClientMaker, server: LocalServer, certs: Path, transport: str
) -> None:
    async with (
        tls_proxy(certs, "good", port_of(server.grpc_target)) as gport,
        tls_proxy(certs, "good", port_of(server.rest_url)) as hport,
    ):
        c = make_client(
            transport, endpoint=f"127.0.0.1:{gport}", rest_url=f"https://127.0.0.1:{hport}",
            plaintext=False, ca_bundle=certs / "ca.pem",
        )  # fmt: skip
        async with c:
            assert await c.ping()


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_unknown_ca_is_a_connect_error(
    make_client: ClientMaker, server: LocalServer, certs: Path, transport: str
) -> None:
    async with (
        tls_proxy(certs, "good", port_of(server.grpc_target)) as gport,
        tls_proxy(certs, "good", port_of(server.rest_url)) as hport,
    ):
        c = make_client(
            transport,
            endpoint=f"127.0.0.1:{gport}",
            rest_url=f"https://127.0.0.1:{hport}",
            plaintext=False,
        )  # fmt: skip (system CAs only: our test CA is unknown)
        async with c:
            with pytest.raises(errors.ConnectError, match="not sent"):
                await c.submit("#!/bin/bash\ntrue\n")


async def test_tls_failure_on_grpc_falls_back_to_rest(
    make_client: ClientMaker, server: LocalServer, certs: Path
) -> None:
    async with (
        tls_proxy(certs, "wrong", port_of(server.grpc_target)) as gport,
        tls_proxy(certs, "good", port_of(server.rest_url)) as hport,
    ):
        c = make_client(
            "auto", endpoint=f"127.0.0.1:{gport}", rest_url=f"https://127.0.0.1:{hport}",
            plaintext=False, ca_bundle=certs / "ca.pem",
        )  # fmt: skip
        async with c:
            assert await c.ping()
            t = connections(c.factory.transport)
            assert isinstance(t, FallbackTransport)
            assert t.last_used == "rest"
