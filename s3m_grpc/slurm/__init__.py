"""Generated messages and services, one subpackage per S3M SLURM API version."""
