"""`s3m wait` runs on the client's wait engine: `--timeout` bounds a wait on a
server that accepts connections and never answers, over both transports."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from s3m_grpc.cli import exitcodes
from s3m_grpc.cli.app import cli
from tests.cli.conftest import clean_env


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A 127.0.0.1 port that accepts connections, reads, and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        listener.close()


@pytest.mark.parametrize("transport", ["grpc", "rest"])
def test_wait_timeout_bounds_a_silent_server(
    silent_port: int, tmp_path: Path, transport: str
) -> None:
    token = tmp_path / "token"
    token.write_text("some-token\n")
    token.chmod(0o600)
    target = f"127.0.0.1:{silent_port}"
    start = time.monotonic()
    result = CliRunner().invoke(
        cli,
        ["--endpoint", f"http://{target}", "--rest-url", f"http://{target}", "--resource",
         "odo", "--token-file", str(token), "--transport", transport,
         "wait", "12345", "--timeout", "2"],
        env=clean_env(tmp_path),
        catch_exceptions=False,
    )  # fmt: skip
    elapsed = time.monotonic() - start
    assert result.exit_code == exitcodes.TIMEOUT, result.output
    assert "timed out after 2s waiting for job 12345" in result.stderr
    assert elapsed < 3.5, elapsed
