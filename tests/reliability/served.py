"""The local server in a process of its own, on fixed ports, that a test can kill and restart.

Its backend is the simulator with an optional `delay` before listing and submitting jobs, so a
test can kill the server while a call is in flight. The token comes through the environment
(`S3M_RELIABILITY_TOKEN`), never the command line. Run as
`python -m tests.reliability.served GRPC_PORT HTTP_PORT SANDBOX DELAY`; it prints `READY`
once serving and runs until killed or its stdin closes.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from s3m_grpc.server import LocalServer, ServerConfig, registry
from s3m_grpc.server.backend import JSON, SubmitRequest, SubmitResult
from s3m_grpc.server.config import SandboxConfig, TokenInfo
from s3m_grpc.server.sandbox import Sandbox
from s3m_grpc.server.sim import SimBackend

TOKEN_ENV = "S3M_RELIABILITY_TOKEN"
ROOT = Path(__file__).resolve().parents[2]


class SlowSimBackend(SimBackend):
    """The simulator, `delay` seconds slower to list and to take a job."""

    def __init__(self, options: Mapping[str, Any] | None = None, *, sandbox: Sandbox) -> None:
        opts = dict(options or {})
        self.delay = float(opts.pop("delay", 0.0))
        super().__init__(opts, sandbox=sandbox)

    async def jobs(self) -> list[JSON]:
        await asyncio.sleep(self.delay)
        return await super().jobs()

    async def submit(self, request: SubmitRequest) -> SubmitResult:
        await asyncio.sleep(self.delay)
        return await super().submit(request)


async def _serve(grpc_port: int, http_port: int, sandbox: Path, delay: float) -> None:
    registry.BACKENDS["slowsim"] = f"{__name__}:SlowSimBackend"
    token = os.environ[TOKEN_ENV]
    cfg = ServerConfig(
        backend="slowsim",
        backend_options={
            "delay": delay,
            "tick_interval": 0.05,
            "kill_wait": 0.2,
            "min_job_age": 3600,  # finished jobs stay listed (the load test counts them)
        },
        tokens={token: TokenInfo("stf040", "tester")},
        sandbox=SandboxConfig(root=sandbox),
        grpc_port=grpc_port,
        http_port=http_port,
    )
    async with LocalServer(cfg):
        print("READY", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


@dataclass
class ServedProcess:
    """Starts/kills/restarts `python -m tests.reliability.served` on the same ports."""

    grpc_port: int
    http_port: int
    sandbox: Path
    token: str
    delay: float = 0.0
    process: subprocess.Popen[str] | None = None

    @property
    def grpc_target(self) -> str:
        return f"127.0.0.1:{self.grpc_port}"

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self, timeout: float = 60.0) -> None:
        args = [str(self.grpc_port), str(self.http_port), str(self.sandbox), str(self.delay)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.served", *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, TOKEN_ENV: self.token, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            line = self.process.stdout.readline()
            if line.strip() == "READY":
                return
            if not line:
                break
        err = self.kill()
        raise AssertionError(f"the served process did not start:\n{err[-3000:]}")

    def kill(self) -> str:
        """SIGKILL (no goodbye to clients); returns what the process wrote to stderr."""
        p, self.process = self.process, None
        if p is None:
            return ""
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
        _, err = p.communicate(timeout=30)
        return err


def main(argv: list[str]) -> None:
    grpc_port, http_port, sandbox, delay = argv
    asyncio.run(_serve(int(grpc_port), int(http_port), Path(sandbox), float(delay)))


if __name__ == "__main__":
    main(sys.argv[1:])
