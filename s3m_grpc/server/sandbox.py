"""Where a job's paths land on this host.

Requests name cluster paths (`/lustre/polis/stf040/scratch/user`). In sandbox mode (the
default) every absolute path is mapped under one root directory, created on demand, so a local
server never writes outside it. In host mode the paths are used as they are, but only inside a
list of allowed roots (the CLI's local mode: output lands in the user's working directory).
Anything that escapes (`..`, symlinks out) is refused with `InvalidRequestError`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from s3m_grpc.errors import ErrorEntry, InvalidRequestError

ESLURM_ACCESS_DENIED = 2002  # slurm_errno.h: "Access/permission denied"


class Sandbox:
    """Maps job paths to host paths and refuses anything outside the allowed area."""

    def __init__(self, root: Path | None = None, allowed_roots: Sequence[Path] = ()) -> None:
        self.host_mode = bool(allowed_roots)
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if self.host_mode:
            self.roots = tuple(Path(r).resolve() for r in allowed_roots)
            self.root = self.roots[0]
        else:
            if root is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="s3m-sandbox-")
                root = Path(self._tmp.name)
            root.mkdir(parents=True, exist_ok=True)
            self.root = root.resolve()
            self.roots = (self.root,)

    def __repr__(self) -> str:
        mode = "host" if self.host_mode else "sandbox"
        return f"Sandbox({mode}, roots={[str(r) for r in self.roots]})"

    def host_path(self, job_path: str, cwd: Path | None = None) -> Path:
        """The host path for a path named in a request (relative paths: relative to `cwd`)."""
        if "\x00" in job_path:
            raise _refuse(job_path, "contains a NUL byte")
        p = PurePosixPath(job_path)
        if p.is_absolute():
            host = Path(p) if self.host_mode else self.root / str(p).lstrip("/")
        else:
            host = (cwd or self.root) / str(p)
        resolved = Path(os.path.realpath(host))
        if not any(resolved == r or resolved.is_relative_to(r) for r in self.roots):
            where = "the allowed roots" if self.host_mode else "the sandbox"
            raise _refuse(job_path, f"is outside {where}")
        return resolved

    def directory(self, job_path: str | None) -> Path:
        """A job's working directory on this host, created on demand."""
        path = self.host_path(job_path) if job_path else self.root
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _refuse(job_path or str(path), f"cannot be created ({exc.strerror})") from None
        return path

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def _refuse(path: str, why: str) -> InvalidRequestError:
    shown = path if len(path) <= 200 else path[:200] + "…"
    text = f"path {shown!r} {why}"
    return InvalidRequestError(
        text,
        errors=[ErrorEntry(ESLURM_ACCESS_DENIED, "Access/permission denied", "sandbox", text)],
    )
