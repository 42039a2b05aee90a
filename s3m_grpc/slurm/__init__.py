"""Generated messages and services, one subpackage per S3M SLURM API version."""

API_VERSIONS = ("v0.0.42", "v0.0.43", "v0.0.44")


def module_name(api_version: str) -> str:
    """`v0.0.43` → `s3m_grpc.slurm.v0043`."""
    return "s3m_grpc.slurm.v00" + api_version.rsplit(".", 1)[-1]
