"""The local server's `slurm` backend: a real SLURM cluster driven through slurmrestd.

`SlurmBackend(options)` takes the server's `[backend]` table (see `options`). Each slurmrestd
API version has its own translation module (`v0038`: Slurm 22.05's `openapi/v0.0.38`).
`scripts/slurm-start` starts a cluster on 127.0.0.1 to point it at.
"""

from s3m_grpc.server.slurm.backend import SlurmBackend
from s3m_grpc.server.slurm.options import BackendConfigError, SlurmOptions

__all__ = ["BackendConfigError", "SlurmBackend", "SlurmOptions"]
