"""Run the built Go programs as real processes: the Go server, and the Go client on a call list."""

from __future__ import annotations

import base64
import json
import os
import queue
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc

CANNED_DIR = Path(__file__).resolve().parent / "canned"
START_TIMEOUT = 15.0
CLIENT_TIMEOUT = 60.0


class GoProcessError(RuntimeError):
    """A Go program failed to start or exited with an error; the message holds its stderr."""


class GoServer:
    """`s3m-goserver` on 127.0.0.1 and a free port, for the life of a `with` block.

    Its stdin stays open while it runs: the server stops by itself when that pipe closes, so a
    killed test run leaves no server behind.
    """

    def __init__(
        self,
        binary: Path,
        *,
        token: str,
        readonly_token: str,
        canned_dir: Path = CANNED_DIR,
    ) -> None:
        self._cmd = [
            str(binary), "-addr", "127.0.0.1:0", "-canned", str(canned_dir),
            "-exit-on-stdin-eof",
        ]  # fmt: skip
        # Tokens go through the environment, never the command line (visible to `ps`).
        self._env = {
            **os.environ,
            "S3M_INTEROP_TOKEN": token,
            "S3M_INTEROP_READONLY_TOKEN": readonly_token,
        }
        self._proc: subprocess.Popen[str] | None = None
        self.target = ""

    def __enter__(self) -> GoServer:
        self._proc = subprocess.Popen(
            self._cmd,
            env=self._env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        stdout = self._proc.stdout
        assert stdout is not None
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        try:
            first = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            first = ""
        if not first.startswith("LISTENING "):
            stderr = self._failed_start_stderr()
            raise GoProcessError(f"s3m-goserver did not start: {first.strip()}\n{stderr.strip()}")
        self.target = first.split()[1]
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()

    def _failed_start_stderr(self) -> str:
        """Stop a server that did not come up; return what it wrote to stderr."""
        proc = self._proc
        assert proc is not None
        if proc.poll() is None:
            proc.terminate()
        try:
            _, stderr = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate(timeout=5)
        return stderr or ""

    def _stop(self) -> None:
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        finally:
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()


@dataclass(frozen=True)
class GoCall:
    """One call for the Go client: the request in contract JSON, the metadata as sent."""

    version: str
    method: str
    metadata: Sequence[tuple[str, str]]
    request: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        keys = [k for k, _ in self.metadata]  # values hold the token: never shown
        return f"GoCall({self.version} {self.method}, metadata keys={keys})"

    def to_line(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "method": self.method,
                "metadata": [list(kv) for kv in self.metadata],
                "request": self.request,
            }
        )


@dataclass(frozen=True)
class GoResult:
    """What the Go client saw: status, reply (protojson text), metadata and SLURM errors."""

    code: grpc.StatusCode
    message: str
    reply: dict[str, Any] | None
    header: dict[str, list[str]]
    trailer: dict[str, list[str]]
    errors: list[dict[str, Any]]
    client_error: str
    request_bytes: bytes  # the request exactly as Go encoded it
    reply_bytes: bytes  # the reply exactly as the server sent it (empty on error)

    @classmethod
    def from_line(cls, line: str) -> GoResult:
        data = json.loads(line)
        by_number = {c.value[0]: c for c in grpc.StatusCode}
        return cls(
            code=by_number[data["code"]],
            message=data["message"],
            reply=data.get("reply"),
            header=data.get("header") or {},
            trailer=data.get("trailer") or {},
            errors=data.get("errors") or [],
            client_error=data.get("client_error", ""),
            request_bytes=base64.b64decode(data.get("request_bytes") or ""),
            reply_bytes=base64.b64decode(data.get("reply_bytes") or ""),
        )


def run_go_client(binary: Path, target: str, calls: Sequence[GoCall]) -> list[GoResult]:
    """Run `s3m-goclient` once over every call; one result per call, in order."""
    stdin = "".join(c.to_line() + "\n" for c in calls)
    proc = subprocess.run(
        [str(binary), "-target", target],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=CLIENT_TIMEOUT,
        check=False,
    )
    if proc.returncode != 0:
        raise GoProcessError(f"s3m-goclient failed ({proc.returncode}): {proc.stderr.strip()}")
    results = [GoResult.from_line(line) for line in proc.stdout.splitlines() if line]
    if len(results) != len(calls):
        raise GoProcessError(f"s3m-goclient answered {len(results)} of {len(calls)} calls")
    return results
