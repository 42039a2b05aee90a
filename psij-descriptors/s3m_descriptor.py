"""Registers the `s3m` PSI/J executor (PSI/J scans every `psij-descriptors` directory on the
Python path; the directory must stay without an `__init__.py`)."""

from packaging.version import Version
from psij.descriptor import Descriptor

__PSI_J_EXECUTORS__ = [
    Descriptor(
        name="s3m",
        nice_name="S3M (SLURM through OLCF's S3M API)",
        version=Version("0.1.0"),
        cls="s3m_grpc.psij.plugin.S3MJobExecutor",
    )
]
