"""s3m-grpc: a client (gRPC with REST fallback) and a local server for OLCF S3M's Compute API."""

__version__ = "0.1.0"
