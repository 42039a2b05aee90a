"""Job ids and the REST mapping taken from the protos' http rules."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from s3m_grpc import versions
from s3m_grpc.errors import InvalidRequestError
from s3m_grpc.jobs import job_id_text
from s3m_grpc.jobspec import JobSpec, submit_request
from s3m_grpc.settings import DEFAULT_PATH_TEMPLATE
from s3m_grpc.slurm import v0042, v0043, v0044
from s3m_grpc.transports.rest import build_request, split_rule

SCRIPT = "#!/bin/bash\necho hi"


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
    req = submit_request(JobSpec(script=SCRIPT, cpus_per_task=2), versions.get("v0.0.44"))
    verb, path, _, body = build_request(
        m, req, resource="odo", template="/slurm/{version}/{resource}/{path}"
    )
    assert (verb, path) == ("POST", "/slurm/v0.0.44/odo/job/submit")
    assert body is not None
    assert orjson.loads(body)["job"]["cpus_per_task"] == 2


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
