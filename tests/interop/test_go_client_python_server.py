"""The Go client built from our protos against our Python local server (s3m_grpc.server).

All nine methods on v0.0.42, v0.0.43 and v0.0.44 with S3M's metadata; a submitted job then
shows up in GetJobs and GetJob; auth and routing errors arrive as the right gRPC codes, with SLURM's
errors[] readable by Go from the s3m-errors-bin trailer. Every reply is also checked at the
wire: Go's decoding (as contract JSON) must equal ours of the bytes Go received.
"""

from __future__ import annotations

import grpc
import pytest

from s3m_grpc.server import LocalServer
from tests.interop import drift, goside, pyside
from tests.interop.gobuild import GoPrograms
from tests.interop.goprocs import GoCall, GoResult, run_go_client

pytestmark = pytest.mark.go

ODO = "odo"


def _metadata(token: str, resource: str | None = ODO) -> list[tuple[str, str]]:
    md = [("authorization", token)]
    if resource is not None:
        md.append(("olcf-resource", resource))
    return md


def _run(
    programs: GoPrograms, server: LocalServer, calls: list[GoCall]
) -> list[tuple[GoCall, GoResult]]:
    results = run_go_client(programs.client, server.grpc_target, calls)
    return list(zip(calls, results, strict=True))


def _ok(pairs: list[tuple[GoCall, GoResult]]) -> None:
    for call, result in pairs:
        assert result.code == grpc.StatusCode.OK, (call.method, result.code, result.message)
        assert goside.wire_problems(call, result) == []


@pytest.mark.parametrize("version", pyside.VERSIONS)
def test_all_nine_methods_and_a_submitted_job_shows_up(
    go_programs: GoPrograms, local_server: LocalServer, version: str
) -> None:
    md = [
        *_metadata(local_server.token, pyside.RESOURCES[version]),
        ("x-s3m-withstorage", "false"),
    ]
    name = f"go-interop-{version}"
    [(submit_call, submit)] = _run(
        go_programs,
        local_server,
        [GoCall(version, "PostJobSubmit", md, goside.submit_request(version, name))],
    )
    _ok([(submit_call, submit)])
    assert submit.reply is not None
    job_id = int(submit.reply["job_id"])
    assert job_id > 0

    reads = [
        GoCall(version, m, md)
        for m in ("Ping", "GetDiag", "GetJobs", "GetNodes", "GetPartitions", "GetReservations")
    ]
    reads.append(GoCall(version, "GetJob", md, {"job_id": str(job_id)}))
    reads.append(GoCall(version, "DeleteJob", md, {"job_id": str(job_id), "signal": "SIGKILL"}))
    pairs = _run(go_programs, local_server, reads)
    _ok(pairs)
    by_method = {call.method: result.reply or {} for call, result in pairs}

    assert by_method["Ping"]["pings"], "Ping lists the controllers"
    listed = {j["job_id"]: j for j in by_method["GetJobs"]["jobs"]}
    assert job_id in listed, "the job Go submitted shows up in GetJobs"
    assert listed[job_id]["name"] == name
    assert listed[job_id]["partition"] == "batch-cpu"
    [accounted] = by_method["GetJob"]["jobs"]
    assert accounted["job_id"] == job_id
    assert accounted["name"] == name
    assert by_method["GetPartitions"]["partitions"]
    assert by_method["GetNodes"]["nodes"]


def _error_cases(server: LocalServer) -> list[tuple[str, GoCall, grpc.StatusCode]]:
    tok = server.token
    return [
        (
            "no token",
            GoCall("v0.0.43", "Ping", [("olcf-resource", ODO)]),
            grpc.StatusCode.UNAUTHENTICATED,
        ),
        (
            "unknown token",
            GoCall("v0.0.43", "Ping", _metadata("x" + tok)),
            grpc.StatusCode.UNAUTHENTICATED,
        ),
        (
            "no resource",
            GoCall("v0.0.44", "GetJobs", _metadata(tok, None)),
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
        (
            "unknown resource",
            GoCall("v0.0.44", "GetJobs", _metadata(tok, "frontier")),
            grpc.StatusCode.NOT_FOUND,
        ),
        (
            "version the resource does not serve",
            GoCall("v0.0.44", "GetJobs", _metadata(tok, "defiant")),
            grpc.StatusCode.UNIMPLEMENTED,
        ),
        (
            "read-only token submits",
            GoCall(
                "v0.0.43",
                "PostJobSubmit",
                _metadata(server.readonly_token),
                goside.submit_request("v0.0.43", "never"),
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        ),
        (
            "v0.0.44 submit with both job and jobs",
            GoCall(
                "v0.0.44",
                "PostJobSubmit",
                _metadata(tok),
                {
                    **goside.submit_request("v0.0.44", "never"),
                    "job": {"name": "never", "script": goside.SCRIPT},
                },
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
    ]


def test_auth_and_routing_errors_arrive_as_grpc_codes(
    go_programs: GoPrograms, local_server: LocalServer
) -> None:
    cases = _error_cases(local_server)
    results = run_go_client(go_programs.client, local_server.grpc_target, [c for _, c, _ in cases])
    for (label, _, code), result in zip(cases, results, strict=True):
        assert result.code == code, (label, result.code, result.message)
        assert result.reply is None, label
        assert local_server.token not in result.message, label


@pytest.mark.parametrize("version", pyside.VERSIONS)
def test_unknown_job_carries_slurm_errors_to_go(
    go_programs: GoPrograms, local_server: LocalServer, version: str
) -> None:
    md = _metadata(local_server.token, pyside.RESOURCES[version])
    call = GoCall(version, "GetJob", md, {"job_id": "999999"})
    [result] = run_go_client(go_programs.client, local_server.grpc_target, [call])
    assert result.code == grpc.StatusCode.NOT_FOUND, result.message
    assert result.errors, "SLURM's errors[] reach Go through the s3m-errors-bin trailer"
    assert result.errors[0]["error_number"] == 2017


def test_every_method_of_each_version_agrees_at_the_wire(
    go_programs: GoPrograms, local_server: LocalServer
) -> None:
    problems = drift.go_client_problems(
        go_programs, local_server.grpc_target, local_server.token, pyside.VERSIONS
    )
    assert problems == []
