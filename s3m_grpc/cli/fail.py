"""Build the CLI's typed errors without importing them (and grpc) before something fails.

`s3m_grpc.cli.errors` subclasses `s3m_grpc.errors`, which imports grpc; command modules raise
through these helpers so that `s3m <command> --help` does not pay for that import.
"""

from __future__ import annotations


def usage(message: str) -> Exception:
    """A `UsageError` (exit code 2)."""
    from s3m_grpc.cli.errors import UsageError

    return UsageError(message)


def script(message: str) -> Exception:
    """A `ScriptError`: bad `#SBATCH` directive or job option (exit code 2)."""
    from s3m_grpc.cli.errors import ScriptError

    return ScriptError(message)


def config(message: str) -> Exception:
    """A `ConfigError`: bad config file, profile or token file (exit code 2)."""
    from s3m_grpc.cli.errors import ConfigError

    return ConfigError(message)
