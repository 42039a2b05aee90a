"""`python -m s3m_grpc.cli` runs the `s3m` command line."""

from s3m_grpc.cli import main

main()
