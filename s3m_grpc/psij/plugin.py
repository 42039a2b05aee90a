"""What `psij-descriptors/s3m_descriptor.py` names: PSI/J loads the named class's module from
its file as a fresh module (not through `import`), so the executor lives in
`s3m_grpc.psij.executor` and this file only imports it: `S3MExecutorConfig` and
`S3MJobExecutor` are then the same classes for PSI/J and for code that imports them."""

from s3m_grpc.psij.executor import S3MExecutorConfig, S3MJobExecutor

__all__ = ["S3MExecutorConfig", "S3MJobExecutor"]
