"""Parsl on S3M: `S3MProvider`, an execution provider whose blocks are batch jobs sent through S3M.

Needs the `[parsl]` extra (`pip install 's3m-grpc[parsl]'`); the core package never imports it.
"""

from s3m_grpc.parsl.provider import S3MProvider, parsl_state

__all__ = ["S3MProvider", "parsl_state"]
