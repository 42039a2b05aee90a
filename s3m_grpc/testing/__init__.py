"""Helpers for testing code that uses s3m-grpc, without a real S3M.

- A pytest plugin (`s3m_grpc.testing.plugin`), registered by entry point when s3m-grpc is
  installed: fixtures for a local server with simulated SLURM (`s3m_server`), clients bound to
  it (`s3m_client`, `s3m_async_client`) and an in-process transport (`s3m_transport`).
- `InProcessTransport`: a stub's calls go straight to a local server's service, no sockets.

The server behind them needs the `[server]` extra (`pip install 's3m-grpc[server]'`);
importing this package does not. See docs/testing.md.
"""

from s3m_grpc.testing.transport import InProcessTransport

__all__ = ["InProcessTransport"]
