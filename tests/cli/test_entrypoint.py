"""The installed `s3m` entry point as a real process: --help without grpc, --local end to end,
exit codes, the progress line under a pseudo-terminal, `s3m serve` + a second `s3m` talking to it.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import clean_env

ROOT = Path(__file__).resolve().parents[2]
S3M = shutil.which("s3m", path=str(Path(sys.executable).parent)) or shutil.which("s3m")


def s3m_command() -> list[str]:
    if S3M is None:
        pytest.skip("the s3m entry point is not installed (pip install -e .)")
    return [S3M]


def process_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("S3M_")}
    env.update({k: v for k, v in clean_env(home).items() if v is not None})
    return env


def run(args: list[str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*s3m_command(), *args],
        cwd=cwd,
        env=process_env(cwd),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize("args", [["--help"], ["submit", "--help"], ["jobs", "--help"]])
def test_help_imports_neither_grpc_nor_messages(tmp_path: Path, args: list[str]) -> None:
    code = (
        "import sys\n"
        "from s3m_grpc.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('grpc', 'betterproto2', 'google.protobuf', 'asyncio')\n"
        "         if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert "Usage: s3m" in done.stdout
    assert "HEAVY []" in done.stdout
    help_text = run(["--help"], tmp_path)
    assert help_text.returncode == 0
    assert "--local" in help_text.stdout


def test_readme_main_job_local_submit_wait(tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "hello.sh", tmp_path / "hello.sh")
    done = run(["--local", "submit", "hello.sh", "--wait"], tmp_path)
    assert done.returncode == 0, done.stderr
    job_id = re.search(r"Submitted batch job (\d+)", done.stdout)
    assert job_id, done.stdout
    assert f"job {job_id.group(1)} COMPLETED" in done.stdout
    assert f"Hello from job {job_id.group(1)}" in done.stdout
    assert f"working directory: {tmp_path}" in done.stdout
    assert (tmp_path / f"hello-{job_id.group(1)}.out").is_file()
    assert "Traceback" not in done.stderr
    # Not a terminal: plain lines, one per state change, no redrawing.
    assert "\r" not in done.stdout
    assert "\x1b" not in done.stdout
    states = re.findall(r"\] job \d+ (\w+)", done.stdout)
    assert states[-1] == "COMPLETED"
    assert len(states) == len(set(states))


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--local", "submit", "fail.sh", "--wait"], 5),
        (["--local", "submit", "slow.sh", "--wait", "--wait-timeout", "1"], 124),
        (["--local", "frobnicate"], 2),
    ],
)
def test_exit_codes_of_the_real_process(tmp_path: Path, args: list[str], code: int) -> None:
    (tmp_path / "fail.sh").write_text("#!/bin/bash\necho failing >&2\nexit 3\n")
    (tmp_path / "slow.sh").write_text("#!/bin/bash\nsleep 20\n")
    done = run(args, tmp_path)
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    if code not in (0, 2):
        assert len([x for x in done.stderr.splitlines() if x.startswith("s3m: error:")]) == 1


def read_pty(fd: int, proc: subprocess.Popen[bytes], limit: float) -> bytes:
    chunks = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    return b"".join(chunks)


def test_progress_line_under_a_pseudo_terminal(tmp_path: Path) -> None:
    (tmp_path / "nap.sh").write_text("#!/bin/bash\nsleep 2\necho rested\n")
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [*s3m_command(), "--local", "submit", "nap.sh", "--wait"],
        cwd=tmp_path,
        env={**process_env(tmp_path), "LANG": "C.UTF-8"},
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
    )
    os.close(terminal)
    try:
        output = read_pty(controller, proc, 60).decode("utf-8", "replace")
        assert proc.wait(30) == 0, output
    finally:
        os.close(controller)
        if proc.poll() is None:
            proc.kill()
    assert output.count("\r\x1b[2K") >= 3, output  # the line was redrawn in place
    assert re.search(r"[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+:\d\d waiting: \d+ RUNNING", output), output
    assert re.search(r"\[\d+:\d\d\] job \d+ COMPLETED", output)
    assert "rested" in output


def test_completion_scripts(tmp_path: Path) -> None:
    for shell, needle in (("bash", "complete -o"), ("zsh", "compdef"), ("fish", "complete")):
        done = run(["completion", shell], tmp_path)
        assert done.returncode == 0, done.stderr
        assert "_S3M_COMPLETE" in done.stdout
        assert needle in done.stdout


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    token_file = tmp_path / "token"
    proc = subprocess.Popen(
        [*s3m_command(), "serve", "--token-file", str(token_file)],
        cwd=tmp_path,
        env=process_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        grpc_target = rest = ""
        deadline = time.monotonic() + 60
        while not (grpc_target and rest) and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if "gRPC:" in line:
                grpc_target = line.split("gRPC:", 1)[1].strip()
            if "REST:" in line:
                rest = line.split("REST:", 1)[1].strip().split("/slurm/", 1)[0]
        assert grpc_target, "s3m serve did not report its gRPC address"
        assert rest, "s3m serve did not report its REST address"
        yield grpc_target, rest, token_file
    finally:
        proc.terminate()
        proc.wait(30)


def test_serve_and_a_second_process_talking_to_it(
    served: tuple[str, str, Path], tmp_path: Path
) -> None:
    grpc_target, rest, token_file = served
    common = ["--endpoint", f"http://{grpc_target}", "--rest-url", rest]
    common += ["--token-file", str(token_file), "--resource", "defiant"]
    for transport in ("grpc", "rest"):
        done = run([*common, "--transport", transport, "partitions"], tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("PARTITION")
    token = token_file.read_text().split()[0]
    assert token not in done.stdout + done.stderr


class CuttableProxy:
    """A real TCP forwarder on 127.0.0.1 whose listener and connections can be cut and restored:
    a network outage between the CLI and a server that keeps running."""

    def __init__(self, target_port: int) -> None:
        import asyncio
        import threading

        self.target_port = target_port
        self.port = 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server: Any = None
        self.writers: set[Any] = set()

    def _run(self, coro: Any) -> Any:
        import asyncio

        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    async def _pipe(self, reader: Any, writer: Any) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            writer.close()

    async def _handle(self, reader: Any, writer: Any) -> None:
        import asyncio

        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_writer}
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )

    async def _start(self) -> None:
        import asyncio

        self.server = await asyncio.start_server(
            self._handle, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self.server.sockets[0].getsockname()[1]

    async def _cut(self) -> None:
        self.server.close()
        for writer in self.writers:
            writer.transport.abort()
        self.writers.clear()
        await self.server.wait_closed()

    def start(self) -> int:
        self._run(self._start())
        return self.port

    def cut(self) -> None:
        self._run(self._cut())

    def close(self) -> None:
        if self.server is not None and self.server.is_serving():
            self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def test_wait_survives_a_network_outage(tmp_path: Path) -> None:
    """The connection to the server is cut mid-wait and restored: the wait goes on."""
    from s3m_grpc.server import LocalServer, SandboxConfig, ServerConfig

    config = ServerConfig(sandbox=SandboxConfig(allowed_roots=(tmp_path,)))
    server = LocalServer(config).start_in_thread()
    proxy = CuttableProxy(server.grpc_port)
    waiter: subprocess.Popen[str] | None = None
    try:
        port = proxy.start()
        (tmp_path / "token").write_text(server.token)
        (tmp_path / "token").chmod(0o600)
        common = ["--endpoint", f"http://127.0.0.1:{port}", "--resource", "odo"]
        common += ["--transport", "grpc", "--token-file", "token"]
        go = tmp_path / "go"
        (tmp_path / "gated.sh").write_text(
            f"#!/bin/bash\nwhile [ ! -e {go} ]; do sleep 0.1; done\necho released\n"
        )
        submitted = run([*common, "submit", "gated.sh", "-D", str(tmp_path)], tmp_path)
        job_id = submitted.stdout.split()[-1]
        waiter = subprocess.Popen(
            [*s3m_command(), *common, "wait", job_id, "--interval", "0.5", "--timeout", "90"],
            cwd=tmp_path,
            env=process_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert waiter.stdout is not None
        first = waiter.stdout.readline()
        assert f"job {job_id} RUNNING" in first, first
        proxy.cut()
        time.sleep(2)  # a few polls meet the outage
        proxy.start()
        go.touch()
        out, err = waiter.communicate(timeout=90)
    finally:
        if waiter is not None and waiter.poll() is None:
            waiter.kill()
        proxy.close()
        server.stop()
    assert waiter.returncode == 0, out + err
    assert "still waiting" in out
    assert out.rstrip().endswith(f"job {job_id} COMPLETED")


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`s3m ... | head`: the reader leaves early; no traceback, the usual SIGPIPE status."""
    proc = subprocess.Popen(
        [*s3m_command(), "--local", "-o", "json", "watch", "--count", "50", "--interval", "0.2"],
        cwd=tmp_path,
        env=process_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith(b"{")
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 141
    assert b"Traceback" not in err
    assert b"error" not in err
