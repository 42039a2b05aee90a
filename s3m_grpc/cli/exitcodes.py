"""Exit codes of `s3m`, and the one-line message (cause and fix) for every failure.

0 success, 1 error, 2 usage, 3 authentication/permission, 4 not found, 5 the waited job ended
unsuccessfully, 124 wait timeout. `s3m_grpc.errors` is imported only when an error is reported,
so `s3m --help` does not pay for grpc.
"""

from __future__ import annotations

OK = 0
ERROR = 1
USAGE = 2
AUTH = 3
NOT_FOUND = 4
JOB_FAILED = 5
TIMEOUT = 124


class JobEndedError(Exception):
    """A job `s3m wait` (or `submit --wait`) waited for ended in a state other than COMPLETED."""

    def __init__(self, job_id: str, state: str) -> None:
        super().__init__(f"job {job_id} ended {state}")
        self.job_id = job_id
        self.state = state


def exit_code(exc: BaseException) -> int:
    """The exit code for a failure."""
    from s3m_grpc import errors
    from s3m_grpc.cli.errors import UsageError
    from s3m_grpc.extras import MissingExtraError

    if isinstance(exc, JobEndedError):
        return JOB_FAILED
    if isinstance(exc, errors.DeadlineExceededError | TimeoutError):  # WaitTimeoutError too
        return TIMEOUT
    if isinstance(exc, UsageError | errors.ConfigurationError | MissingExtraError):
        return USAGE
    if isinstance(exc, errors.AuthenticationError | errors.PermissionDeniedError):
        return AUTH
    if isinstance(exc, errors.NotFoundError):
        return NOT_FOUND
    return ERROR


def _hints() -> list[tuple[type[BaseException], str, str]]:
    """(error class, the fix, a word whose presence in the message means the fix is there)."""
    from s3m_grpc import errors

    return [
        (
            errors.AuthenticationError,
            "set S3M_TOKEN or pass --token-file FILE; tokens come from myOLCF and expire",
            "S3M_TOKEN",
        ),
        (
            errors.PermissionDeniedError,
            "a read-only (compute-ace-readonly) token cannot submit or cancel: use a token "
            "with compute-ace permission",
            "compute-ace",
        ),
        (
            errors.UnsupportedVersionError,
            "pick a version the resource serves with --api-version",
            "--api-version",
        ),
        (
            errors.UnavailableError,
            "check --endpoint and that the server is up (`s3m --local ...` needs no server)",
            "--endpoint",
        ),
        (
            errors.RateLimitedError,
            "the server asked to slow down: wait a little and retry",
            "slow down",
        ),
        (
            errors.SubmitOutcomeUnknownError,
            "the job may have been queued: check `s3m jobs` before submitting again",
            "s3m jobs",
        ),
        (
            errors.DeadlineExceededError,
            "raise --timeout or retry later",
            "--timeout",
        ),
    ]


def describe(exc: BaseException, verbose: bool = False) -> str:
    """The human message for `exc`: one line, naming the cause and the fix; more with -v."""
    from s3m_grpc import errors

    text = str(exc) or type(exc).__name__
    for cls, hint, marker in _hints():
        if isinstance(exc, cls):
            if marker not in text:
                text = f"{text} ({hint})"
            break
    if not verbose:
        return text.replace("\n", " ")
    lines = [text, f"  type: {type(exc).__module__}.{type(exc).__qualname__}"]
    if isinstance(exc, errors.S3MError):
        lines.extend(f"  slurm: {entry}" for entry in exc.errors)
    cause = exc.__cause__ or exc.__context__
    while cause is not None:
        lines.append(f"  caused by: {type(cause).__name__}: {cause}")
        cause = cause.__cause__ or cause.__context__
    return "\n".join(lines)
