"""Typed errors the command line itself raises (bad scripts, bad options, bad config).

They subclass `s3m_grpc.errors` classes so one handler maps every failure to an exit code, and
they import nothing heavy so `s3m --help` stays fast.
"""

from __future__ import annotations

from s3m_grpc.errors import InvalidRequestError


class UsageError(InvalidRequestError):
    """The command line, a config file or an environment variable is wrong (exit code 2)."""


class ScriptError(UsageError):
    """A batch script's `#SBATCH` directives (or the flags that override them) are invalid."""


class ConfigError(UsageError):
    """`~/.config/s3m/config.toml` or a profile in it is unreadable or wrong."""
