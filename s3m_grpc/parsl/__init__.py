"""Parsl on S3M: `S3MProvider`, an execution provider whose blocks are batch jobs sent through S3M.

Needs the `[parsl]` extra (`pip install 's3m-grpc[parsl]'`): without it importing this package
raises `s3m_grpc.extras.MissingExtraError` saying so. The core package never imports it.
"""

from s3m_grpc.extras import require

require("parsl")

from s3m_grpc.parsl.provider import S3MProvider, parsl_state  # noqa: E402

__all__ = ["S3MProvider", "parsl_state"]
