"""Backends by name, imported only when chosen (the slurm backend pulls in more)."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from s3m_grpc.errors import InvalidRequestError
from s3m_grpc.server.backend import Backend
from s3m_grpc.server.sandbox import Sandbox

BACKENDS: dict[str, str] = {
    "sim": "s3m_grpc.server.sim:SimBackend",
    "slurm": "s3m_grpc.server.slurm:SlurmBackend",
}


def create(
    name: str, options: Mapping[str, Any], sandbox: Sandbox, state: Path | None = None
) -> Backend:
    """Construct backend `name` with its options (`[backend]` minus `name`); a backend that
    keeps jobs itself also gets the server's state file (`state`, None: in memory)."""
    target = BACKENDS.get(name)
    if target is None:
        raise InvalidRequestError(
            f"unknown backend {name!r}; known backends: {', '.join(sorted(BACKENDS))}"
        )
    module_name, attr = target.split(":")
    try:
        cls = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise InvalidRequestError(f"backend {name!r} is not available here: {exc}") from None
    # Backends that run jobs on this host take the server's sandbox (where job paths land).
    params = inspect.signature(cls).parameters
    kwargs: dict[str, Any] = {}
    if "sandbox" in params:
        kwargs["sandbox"] = sandbox
    if "state" in params:
        kwargs["state"] = state
    backend: Backend = cls(options, **kwargs)
    return backend
