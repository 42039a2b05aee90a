"""A local S3M Compute server: gRPC and REST front ends over a pluggable SLURM backend.

```python
from s3m_grpc.server import LocalServer, ServerConfig
async with LocalServer(ServerConfig()) as srv:
    srv.grpc_target, srv.rest_url, srv.token, srv.readonly_token
```

Needs the `[server]` extra (`pip install 's3m-grpc[server]'`); without it importing this package
raises `s3m_grpc.extras.MissingExtraError` saying so.
"""

from s3m_grpc.extras import require

require("server")

from s3m_grpc.server.config import Limits, SandboxConfig, ServerConfig, TokenInfo  # noqa: E402
from s3m_grpc.server.local import LocalServer  # noqa: E402

__all__ = ["Limits", "LocalServer", "SandboxConfig", "ServerConfig", "TokenInfo"]
