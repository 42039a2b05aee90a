"""Job paths between what a request names and where SLURM reads and writes on this host.

Without a sandbox the paths go to SLURM as they are (a site's real file systems); a job that
names no working directory gets the backend's `workdir`. With the server's sandbox (or the
backend's own `path_root`), request paths such as `/lustre/proj/out.txt` are mapped under the
sandbox root before SLURM sees them, their directories are created (SLURM does not create an
output file's directory), and replies map them back, so callers see the paths they sent and
`LocalServer.host_path` finds the files, as with the sim backend.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from s3m_grpc.server.sandbox import Sandbox

JSON = dict[str, Any]

JOB_PATH_KEYS = ("current_working_directory", "standard_output", "standard_error")
REPLY_JOB_KEYS = (*JOB_PATH_KEYS, "standard_input", "command")
REPLY_DB_KEYS = (
    "working_directory",
    "stdout",
    "stderr",
    "stdin",
    "stdout_expanded",
    "stderr_expanded",
    "stdin_expanded",
    "submit_line",
)


class JobPaths:
    """Maps request paths to host paths (sandboxed or not) and back in replies."""

    def __init__(self, sandbox: Sandbox | None, workdir: str) -> None:
        self.sandbox = sandbox
        self.workdir = workdir
        mapped = sandbox is not None and not sandbox.host_mode
        self._root = str(sandbox.root) if sandbox is not None and mapped else ""

    def __repr__(self) -> str:
        return f"JobPaths(sandbox={self.sandbox!r}, workdir={self.workdir!r})"

    def request(self, desc: Mapping[str, Any]) -> JSON:
        """A job description with host paths for SLURM (directories created)."""
        out = dict(desc)
        if self.sandbox is None:
            if not out.get("current_working_directory"):
                out["current_working_directory"] = self.workdir
            return out
        cwd = str(desc.get("current_working_directory") or "")
        host_cwd = self.sandbox.directory(cwd or None)
        out["current_working_directory"] = str(host_cwd)
        for key in ("standard_output", "standard_error", "standard_input"):
            value = str(desc.get(key) or "")
            if value:
                host = self.sandbox.host_path(value, host_cwd)
                if key != "standard_input":
                    host.parent.mkdir(parents=True, exist_ok=True)
                out[key] = str(host)
        return out

    def reply(self, record: JSON, keys: tuple[str, ...]) -> JSON:
        """`record` with sandbox host paths under `keys` turned back into request paths."""
        if not self._root:
            return record
        for key in keys:
            value = record.get(key)
            if isinstance(value, str) and value:
                record[key] = self.unmap(value)
        return record

    def unmap(self, path: str) -> str:
        root = self._root
        if path == root:
            return "/"
        if path.startswith(root + "/"):
            return path[len(root) :]
        return path
