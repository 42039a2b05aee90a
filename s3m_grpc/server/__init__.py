"""A local S3M Compute server: gRPC and REST front ends over a pluggable SLURM backend."""
