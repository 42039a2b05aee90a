"""The one request builder: the submit shape of every version, heterogeneous jobs, every field's
contract form, range checks on construction."""

from __future__ import annotations

import inspect
import warnings
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from s3m_grpc import codec, jsoncodec, versions
from s3m_grpc.errors import InvalidRequestError
from s3m_grpc.jobspec import (
    DEFAULT_PATH,
    MAX_INT32,
    MAX_UINT32,
    JobDirectiveWarning,
    JobSpec,
    submit_request,
)
from s3m_grpc.slurm import v0043
from s3m_grpc.slurmtime import TimeLimit

SCRIPT = "#!/bin/bash\necho hi"
ALL = [versions.get(v) for v in versions.API_VERSIONS]


@pytest.mark.parametrize("api", ALL, ids=str)
def test_one_job_is_sent_as_job_with_its_script_on_every_version(api: versions.ApiVersion) -> None:
    spec = JobSpec(
        script=SCRIPT,
        name="n",
        account="STF040",
        partition="batch",
        time_limit=60,
        nodes=2,
        tasks=4,
        current_working_directory="/tmp",
        environment={"A": "1"},
    )
    req: Any = submit_request(spec, api)
    assert isinstance(req, api.module.JobSubmitReq)
    data = jsoncodec.to_dict(req)
    assert set(data) == {"job"}
    assert data["job"] == {
        "script": SCRIPT,
        "name": "n",
        "account": "STF040",
        "partition": "batch",
        "time_limit": {"number": 60, "set": True},
        "nodes": "2",
        "tasks": 4,
        "current_working_directory": "/tmp",
        "environment": [f"PATH={DEFAULT_PATH}", "A=1"],
    }


def test_matches_the_spec_example_byte_for_byte() -> None:
    example = v0043.JobSubmitReq(
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
        JobSpec(
            script="#!/bin/bash\necho Hello World",
            name="my-job",
            account="STF040",
            partition="batch-cpu",
            minimum_nodes=1,
            tasks=1,
            time_limit="1:00:00",
            current_working_directory="/lustre/polis/stf040/scratch/user",
            environment=["PATH=/usr/bin"],
        ),
        versions.get("v0.0.43"),
    )
    assert codec.encode(ours) == codec.encode(example)


def test_every_kind_of_field_takes_its_contract_form() -> None:
    begin = datetime(2026, 12, 24, 10, 0, tzinfo=UTC)
    spec = JobSpec(
        script=SCRIPT,
        begin_time=begin,
        time_limit="UNLIMITED",
        time_minimum=timedelta(minutes=90),
        memory_per_node="2G",
        memory_per_cpu=512,
        priority=0,
        distribution_plane_size=4,
        wait_all_nodes=False,
        maximum_nodes=3,
        tasks_per_board=2,
    )
    job = jsoncodec.to_dict(submit_request(spec, versions.get("v0.0.44")))["job"]
    assert job["begin_time"] == {"set": True, "number": int(begin.timestamp())}
    assert job["time_limit"] == {"set": True, "infinite": True}
    assert job["time_minimum"] == {"set": True, "number": 90}
    assert job["memory_per_node"] == {"set": True, "number": 2048}
    assert job["memory_per_cpu"] == {"set": True, "number": 512}
    assert job["priority"] == {"set": True}  # number 0 is the proto default, omitted in JSON
    assert job["distribution_plane_size"] == {"set": True, "number": 4}
    assert (job["maximum_nodes"], job["tasks_per_board"]) == (3, 2)
    assert "wait_all_nodes" not in job  # false is the default


def test_the_contract_has_the_38_fields_of_jobspec() -> None:
    spec_fields = set(JobSpec.__dataclass_fields__) - {"unsupported"}
    assert len(spec_fields) == 38
    keywords = set(inspect.signature(JobSpec).parameters) - {"unsupported"}
    assert keywords == spec_fields
    for api in ALL:
        names = set(api.module.JobSubmitReqJobDescription.__dataclass_fields__)
        assert names == spec_fields, api


def test_a_heterogeneous_job_uses_script_and_jobs_where_the_version_can() -> None:
    first = JobSpec(script=SCRIPT, name="leader", tasks=1)
    second = JobSpec(partition="gpu", tasks=2)
    data = jsoncodec.to_dict(submit_request([first, second], versions.get("v0.0.44")))
    assert data["script"] == SCRIPT
    assert "job" not in data
    assert [j.get("name") for j in data["jobs"]] == ["leader", None]
    assert [j["tasks"] for j in data["jobs"]] == [1, 2]
    assert all("script" not in j for j in data["jobs"])
    single = jsoncodec.to_dict(submit_request([first], versions.get("v0.0.44")))
    assert set(single) == {"job"}
    for name in ("v0.0.42", "v0.0.43"):
        with pytest.raises(InvalidRequestError, match=f"{name} cannot submit a heterogeneous"):
            submit_request([first, second], versions.get(name))
    with pytest.raises(InvalidRequestError, match="one script"):
        submit_request([first, JobSpec(script="#!/bin/sh\nother")], versions.get("v0.0.44"))
    with pytest.raises(InvalidRequestError, match="non-empty sequence"):
        submit_request([], versions.get("v0.0.44"))


def test_script_needs_a_shebang() -> None:
    api = versions.get("v0.0.44")
    with pytest.raises(InvalidRequestError, match="#!/bin/bash"):
        submit_request(JobSpec(script="echo hi"), api)
    for empty in (JobSpec(script="  "), JobSpec()):
        with pytest.raises(InvalidRequestError, match="empty"):
            submit_request(empty, api)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tasks": 0}, "tasks"),
        ({"tasks": MAX_INT32 + 1}, "from 1 to 2147483647"),
        ({"cpus_per_task": -1}, "cpus_per_task"),
        ({"minimum_nodes": True}, "minimum_nodes"),
        ({"tasks_per_node": 1.5}, "tasks_per_node"),
        ({"priority": MAX_UINT32 + 1}, "from 0 to 4294967294"),
        ({"memory_per_node": -1}, "memory_per_node"),
        ({"memory_per_node": "4 GB"}, "memory_per_node"),
        ({"nodes": -1}, "nodes"),
        ({"nodes": "lots"}, "nodes"),
        ({"time_limit": "soon"}, "time limit"),
        ({"time_limit": 0}, "more than 0 minutes"),
        ({"time_minimum": "x"}, "minimum time"),
        ({"begin_time": 5}, "begin_time"),
        ({"wait_all_nodes": "2"}, "wait_all_nodes"),
        ({"environment": ["NOEQUALS"]}, "environment"),
        ({"environment": "A=1"}, "environment"),
        ({"environment": {"A=B": "1"}}, "variable name"),
        ({"name": 5}, "name must be text"),
        ({"script": b"#!/bin/sh"}, "script must be text"),
        ({"account": " "}, "non-empty"),
        ({"partition": "a\nb"}, "one line"),
    ],
)
def test_bad_values_are_refused_on_construction(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidRequestError, match=match):
        JobSpec(**kwargs)


def test_fields_by_name() -> None:
    assert JobSpec.from_fields({"qos": "debug", "tasks": 2}) == JobSpec(qos="debug", tasks=2)
    with pytest.raises(InvalidRequestError, match="no_such_field"):
        JobSpec.from_fields({"no_such_field": 1})


def test_merge_keeps_what_the_other_does_not_set() -> None:
    base = JobSpec(script=SCRIPT, partition="a", tasks=2, environment={"X": "1"})
    merged = base.merge(JobSpec(tasks=4, time_limit=TimeLimit(None)))
    assert (merged.partition, merged.tasks, merged.time_limit) == ("a", 4, TimeLimit(None))
    assert merged.environment == {"X": "1"}
    assert base.merge(JobSpec()) is base


def test_unsupported_directives_warn_by_name_and_only_when_there_are_some() -> None:
    spec = JobSpec.from_script("#!/bin/sh\n#SBATCH --array=1-3 --gres gpu:1 -p x\n")
    with pytest.warns(JobDirectiveWarning, match=r"#SBATCH --array --gres: not applied"):
        spec.warn_unsupported()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        JobSpec.from_script("#!/bin/sh\n#SBATCH -p x\n").warn_unsupported()


def test_a_cpu_total_slurm_cannot_count_is_refused_before_sending() -> None:
    from s3m_grpc import versions
    from s3m_grpc.errors import InvalidRequestError
    from s3m_grpc.jobspec import JobSpec, submit_request

    spec = JobSpec(script="#!/bin/bash\ntrue\n", tasks=70000, cpus_per_task=70000)
    with pytest.raises(InvalidRequestError, match="more than SLURM can count"):
        submit_request(spec, versions.get("v0.0.44"))
    ok = JobSpec(script="#!/bin/bash\ntrue\n", tasks=46340, cpus_per_task=46340)
    assert submit_request(ok, versions.get("v0.0.44"))
