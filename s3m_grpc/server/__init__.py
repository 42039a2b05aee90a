"""A local S3M Compute server: gRPC and REST front ends over a pluggable SLURM backend.

```python
from s3m_grpc.server import LocalServer, ServerConfig
async with LocalServer(ServerConfig()) as srv:
    srv.grpc_target, srv.rest_url, srv.token, srv.readonly_token
```
"""

from s3m_grpc.server.config import Limits, SandboxConfig, ServerConfig, TokenInfo
from s3m_grpc.server.local import LocalServer

__all__ = ["Limits", "LocalServer", "SandboxConfig", "ServerConfig", "TokenInfo"]
