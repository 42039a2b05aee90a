"""`python -m s3m_grpc.server` as a real process, for tests that talk to `s3m serve`."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Served:
    process: subprocess.Popen[str]
    grpc_target: str
    rest_url: str
    token: str
    readonly_token: str
    sandbox: Path
    output: list[str]

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            out, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        self.output.extend(out.splitlines())
        return self.process.returncode


def serve(tmp: Path, config: str = "", *extra: str) -> Served:
    """Start the server with `config` (TOML) and a sandbox under `tmp`; wait for its endpoints."""
    sandbox = tmp / "sandbox"
    cfg = tmp / "server.toml"
    cfg.write_text(f'[sandbox]\nroot = "{sandbox}"\n' + config)
    token_file = tmp / "token"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "s3m_grpc.server",
            "--config",
            str(cfg),
            "--token-file",
            str(token_file),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # The default state file lands under `tmp`, never in the user's ~/.local/state.
        env={**os.environ, "PYTHONUNBUFFERED": "1", "XDG_STATE_HOME": str(tmp / "state")},
    )
    lines: list[str] = []
    deadline = time.monotonic() + 60
    grpc_target = rest = ""
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if m := re.search(r"gRPC: (\S+)", line):
            grpc_target = m[1]
        if m := re.search(r"REST: (http://[^/\s]+)", line):
            rest = m[1]
        if "token (compute-ace) in" in line or "tokens: from the tokens file" in line:
            break
    if not (grpc_target and rest):
        proc.kill()
        raise AssertionError("server did not start:\n" + "\n".join(lines))
    token = readonly = ""
    if token_file.exists():
        token, readonly = token_file.read_text().split()
    return Served(proc, grpc_target, rest, token, readonly, sandbox, lines)
