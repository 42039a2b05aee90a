"""s3m-grpc: a client (gRPC with REST fallback) and a local server for OLCF S3M's Compute API.

from s3m_grpc import Client, AsyncClient   # blocking, and async with the same methods
from s3m_grpc import S3M, AsyncS3M         # every resource of an endpoint, one connection
"""

import logging
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# A library logs, the application decides where it goes (no "No handlers" noise by default).
logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from s3m_grpc._async_client import AsyncClient
    from s3m_grpc._client import Client
    from s3m_grpc.factory import S3MClientFactory
    from s3m_grpc.multi import S3M, AsyncS3M

__all__ = ["S3M", "AsyncClient", "AsyncS3M", "Client", "S3MClientFactory", "__version__"]


def __getattr__(name: str) -> object:
    # Lazy, so importing message modules does not load grpc/httpx.
    if name == "S3MClientFactory":
        from s3m_grpc.factory import S3MClientFactory

        return S3MClientFactory
    if name == "Client":
        from s3m_grpc._client import Client

        return Client
    if name == "AsyncClient":
        from s3m_grpc._async_client import AsyncClient

        return AsyncClient
    if name in ("S3M", "AsyncS3M"):
        from s3m_grpc import multi

        return getattr(multi, name)
    raise AttributeError(f"module 's3m_grpc' has no attribute {name!r}")
