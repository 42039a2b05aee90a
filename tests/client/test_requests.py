"""Version-neutral request building and the REST mapping taken from the protos' http rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
import pytest

from s3m_grpc import jsoncodec
from s3m_grpc.errors import InvalidRequestError
from s3m_grpc.jobs import job_id_text, minutes, submit_request
from s3m_grpc.settings import DEFAULT_PATH_TEMPLATE
from s3m_grpc.slurm import v0042, v0043, v0044
from s3m_grpc.transports.rest import build_request, split_rule

SCRIPT = "#!/bin/bash\necho hi"


@pytest.mark.parametrize("version", ["v0.0.42", "v0.0.43"])
def test_submit_uses_job_before_v44(version: str) -> None:
    req: Any = submit_request(
        version,
        SCRIPT,
        name="n",
        account="STF040",
        partition="batch",
        time_limit=60,
        nodes=2,
        tasks=4,
        cwd="/tmp",
        env={"A": "1"},
    )
    data = jsoncodec.to_dict(req)
    assert set(data) == {"job"}
    job = data["job"]
    assert job["script"] == SCRIPT
    assert job["time_limit"] == {"number": 60, "set": True}
    assert job["minimum_nodes"] == 2
    assert job["tasks"] == 4
    assert job["environment"] == ["A=1"]
    assert job["current_working_directory"] == "/tmp"


def test_submit_uses_script_and_jobs_on_v44() -> None:
    req: Any = submit_request("v0.0.44", SCRIPT, name="n", nodes="1-3")
    assert isinstance(req, v0044.JobSubmitReq)
    data = jsoncodec.to_dict(req)
    assert data["script"] == SCRIPT
    assert "job" not in data
    assert data["jobs"][0]["name"] == "n"
    assert data["jobs"][0]["nodes"] == "1-3"
    assert "script" not in data["jobs"][0]


def test_submit_matches_the_spec_example_v43() -> None:
    spec = v0043.JobSubmitReq(
        job=v0043.JobSubmitReqJobDescription(
            name="my-job",
            account="STF040",
            partition="batch-cpu",
            minimum_nodes=1,
            tasks=1,
            time_limit=v0043.Uint32NoVal(number=60, set=True),
            current_working_directory="/lustre/polis/stf040/scratch/user",
            environment=["PATH=/usr/bin"],
            script="#!/bin/bash\necho Hello World",
        )
    )
    ours = submit_request(
        "v0.0.43",
        "#!/bin/bash\necho Hello World",
        name="my-job",
        account="STF040",
        partition="batch-cpu",
        nodes=1,
        tasks=1,
        time_limit="1:00:00",
        cwd="/lustre/polis/stf040/scratch/user",
        env=["PATH=/usr/bin"],
    )
    assert bytes(ours) == bytes(spec)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tasks": 0}, "tasks"),
        ({"nodes": -1}, "nodes"),
        ({"nodes": "lots"}, "nodes"),
        ({"time_limit": "soon"}, "time limit"),
        ({"env": ["NOEQUALS"]}, "environment"),
        ({"name": 5}, "name"),
        ({"extra": {"no_such_field": 1}}, "no_such_field"),
    ],
)
def test_bad_submit_input_is_a_typed_error(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidRequestError, match=match):
        submit_request("v0.0.43", SCRIPT, **kwargs)


def test_script_needs_a_shebang() -> None:
    with pytest.raises(InvalidRequestError, match="#!/bin/bash"):
        submit_request("v0.0.44", "echo hi")
    with pytest.raises(InvalidRequestError, match="empty"):
        submit_request("v0.0.44", "  ")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (30, 30),
        (0.5, 1),
        (timedelta(hours=2), 120),
        ("45", 45),
        ("10:30", 11),
        ("1:00:00", 60),
        ("1-00:00:00", 1440),
        ("2-3", 2 * 1440 + 180),
    ],
)
def test_minutes(value: Any, expected: int) -> None:
    assert minutes(value) == expected


@pytest.mark.parametrize("bad", [0, -5, "x", "1:2:3:4", True])
def test_bad_minutes(bad: Any) -> None:
    with pytest.raises(InvalidRequestError):
        minutes(bad)


@pytest.mark.parametrize("bad", ["", "12a", "../1", True, "1 2"])
def test_bad_job_ids(bad: Any) -> None:
    with pytest.raises(InvalidRequestError, match="job id"):
        job_id_text(bad)


def test_job_ids() -> None:
    assert job_id_text(12) == "12"
    assert job_id_text(" 12_3 ") == "12_3"


@pytest.mark.parametrize("mod", [v0042, v0043, v0044])
def test_rest_paths_from_http_rules(mod: Any) -> None:
    version = mod.SERVICE.api_version
    paths = {}
    for m in mod.SERVICE.methods:
        msg = m.request_type(job_id="77") if "{job_id}" in m.http_path else m.request_type()
        verb, path, query, body = build_request(
            m, msg, resource="defiant", template=DEFAULT_PATH_TEMPLATE
        )
        paths[m.name] = (verb, path)
        if m.name != "PostJobSubmit":
            assert body is None
            assert query == {}
    base = f"/slurm/open/{version}/defiant"
    assert paths == {
        "Ping": ("GET", f"{base}/ping"),
        "GetDiag": ("GET", f"{base}/diag"),
        "GetJob": ("GET", f"{base}/job/77"),
        "GetJobs": ("GET", f"{base}/jobs"),
        "PostJobSubmit": ("POST", f"{base}/job/submit"),
        "DeleteJob": ("DELETE", f"{base}/job/77"),
        "GetNodes": ("GET", f"{base}/nodes"),
        "GetPartitions": ("GET", f"{base}/partitions"),
        "GetReservations": ("GET", f"{base}/reservations"),
    }


def test_cancel_signal_and_flags_are_query_parameters() -> None:
    m = v0043.SERVICE.method("DeleteJob")
    req = v0043.DeleteJobReq(job_id="5", signal="SIGKILL", flags="BATCH_JOB")
    verb, path, query, body = build_request(m, req, resource="defiant", template="/x/{path}")
    assert (verb, path, body) == ("DELETE", "/x/job/5", None)
    assert query == {"signal": "SIGKILL", "flags": "BATCH_JOB"}


def test_submit_body_uses_contract_names_and_template_is_configurable() -> None:
    m = v0044.SERVICE.method("PostJobSubmit")
    req = submit_request("v0.0.44", SCRIPT, cpus_per_task=2)
    verb, path, _, body = build_request(
        m, req, resource="odo", template="/slurm/{version}/{resource}/{path}"
    )
    assert (verb, path) == ("POST", "/slurm/v0.0.44/odo/job/submit")
    assert body is not None
    assert orjson.loads(body)["jobs"][0]["cpus_per_task"] == 2


def test_path_field_is_escaped_and_required() -> None:
    m = v0043.SERVICE.method("GetJob")
    _, path, _, _ = build_request(
        m, v0043.JobIdReq(job_id="1/../x"), resource="defiant", template=DEFAULT_PATH_TEMPLATE
    )
    assert path.endswith("/job/1%2F..%2Fx")
    with pytest.raises(InvalidRequestError, match="job_id"):
        build_request(m, v0043.JobIdReq(), resource="defiant", template=DEFAULT_PATH_TEMPLATE)


def test_split_rule() -> None:
    assert split_rule("/slurm/v0.0.43/job/{job_id}") == ("v0.0.43", "job/{job_id}", ("job_id",))
