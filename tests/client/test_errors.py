"""One error hierarchy, mapped alike from gRPC codes and HTTP statuses; errors[]/warnings[]."""

from __future__ import annotations

import grpc
import pytest

from s3m_grpc import errors
from s3m_grpc.errors import ErrorEntry, SlurmError, SlurmWarning
from s3m_grpc.slurm import v0043
from s3m_grpc.transports.base import check_reply
from s3m_grpc.transports.grpc import error_from_status as grpc_errors
from s3m_grpc.transports.rest import error_from_status as http_errors


@pytest.mark.parametrize(
    ("code", "status", "cls"),
    [
        (grpc.StatusCode.UNAUTHENTICATED, 401, errors.AuthenticationError),
        (grpc.StatusCode.PERMISSION_DENIED, 403, errors.PermissionDeniedError),
        (grpc.StatusCode.NOT_FOUND, 404, errors.NotFoundError),
        (grpc.StatusCode.INVALID_ARGUMENT, 400, errors.InvalidRequestError),
        (grpc.StatusCode.UNAVAILABLE, 503, errors.UnavailableError),
        (grpc.StatusCode.DEADLINE_EXCEEDED, 504, errors.DeadlineExceededError),
    ],
)
def test_grpc_and_http_map_alike(code: grpc.StatusCode, status: int, cls: type) -> None:
    assert type(grpc_errors(code, "x")) is cls
    assert type(http_errors(status, "x")) is cls


def test_errors_in_an_ok_reply_raise() -> None:
    reply = v0043.JobsResp(
        errors=[v0043.ErrorResp(error_number=2017, error="Invalid job id", description="bad")]
    )
    with pytest.raises(SlurmError) as err:
        check_reply(reply)
    assert err.value.errors == (ErrorEntry(2017, "Invalid job id", "", "bad"),)
    assert "2017" in str(err.value)


def test_warnings_become_python_warnings() -> None:
    reply = v0043.JobsResp(warnings=[v0043.WarningResp(description="slow", source="ctld")])
    with pytest.warns(SlurmWarning, match="slow"):
        check_reply(reply)


def test_new_classes_keep_their_family() -> None:
    assert issubclass(errors.ConnectError, errors.UnavailableError)
    assert issubclass(errors.WaitTimeoutError, errors.DeadlineExceededError)
    assert issubclass(errors.SubmitOutcomeUnknownError, errors.S3MError)


@pytest.mark.parametrize(
    ("body", "number"),
    [
        (b'{"errors": [{"error_number": 2017, "description": "bad"}]}', 2017),
        (b'{"errors": [{"error_number": "2017", "description": "bad"}]}', 2017),
        (b'{"errors": [{"error_number": "x", "description": "bad"}]}', 0),
        (b'{"errors": [{"error_number": [1], "description": "bad"}]}', 0),
        (b'{"errors": [{"error_number": 4294967296, "description": "bad"}]}', 0),
    ],
)
def test_a_broken_errors_entry_in_an_http_reply_is_still_a_typed_error(
    body: bytes, number: int
) -> None:
    from s3m_grpc.transports.rest import http_error

    err = http_error(404, body)
    assert type(err) is errors.NotFoundError
    assert err.errors == (ErrorEntry(number, "", "", "bad"),)
