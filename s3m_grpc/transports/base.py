"""What every transport does alike after a reply arrives, and the knobs they share.

An OK reply may still carry SLURM's `errors[]` (raise `SlurmError`) and `warnings[]` (Python
warnings). Doing it here keeps gRPC, REST and the fallback identical for the caller.
"""

from __future__ import annotations

import warnings
from typing import Any

from s3m_grpc import __version__
from s3m_grpc.errors import ErrorEntry, SlurmError, SlurmWarning

USER_AGENT = f"s3m-grpc/{__version__}"
# Largest reply accepted: a 10,000-job GetJobs is ~7.2 MB; leave room for much larger clusters.
MAX_RECEIVE_BYTES = 512 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0


def check_reply(reply: Any) -> None:
    """Raise `SlurmError` for `errors[]` in an OK reply; emit `warnings[]` as `SlurmWarning`."""
    errors = getattr(reply, "errors", None)
    if errors:
        entries = tuple(ErrorEntry.from_message(e) for e in errors)
        raise SlurmError(str(entries[0]), errors=entries)
    for w in getattr(reply, "warnings", None) or ():
        text = w.description or w.warning or "warning"
        if w.source:
            text = f"{text} (source: {w.source})"
        warnings.warn(text, SlurmWarning, stacklevel=4)
