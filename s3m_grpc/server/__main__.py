"""`python -m s3m_grpc.server`: the same as `s3m serve`."""

from s3m_grpc.server.cli import main

if __name__ == "__main__":
    main()
