"""A downstream project tests its own code with the plugin's fixtures, found by entry point.

The sample project has no conftest and names no plugin: pytest finds `s3m_grpc.testing.plugin`
through the `pytest11` entry point of the installed s3m-grpc, in a separate pytest process.
"""

from __future__ import annotations

import pytest

JOBTOOLS = '''
"""The downstream project's code: it takes a client (or a stub) and does its work."""

HELLO = "#!/bin/bash\\necho hello from $SLURM_JOB_ID\\n"


def run_hello(client):
    """Submit the hello job, wait for it, return its final state."""
    job = client.submit(HELLO, name="hello", time_limit=5)
    return str(client.wait(job.job_id, timeout=60, poll_interval=0.1).state)


async def queue_names(client):
    return sorted(job.name for job in await client.list_jobs())


async def idle_partitions(stub):
    reply = await stub.get_partitions()
    return [p.name for p in reply.partitions]
'''

TESTS = """
import pytest

import jobtools
from s3m_grpc.errors import NotFoundError
from s3m_grpc.slurm import v0044


def test_hello_completes(s3m_client):
    assert jobtools.run_hello(s3m_client) == "COMPLETED"


async def test_queue_names(s3m_async_client):
    await s3m_async_client.submit(jobtools.HELLO, name="first", time_limit=5)
    await s3m_async_client.submit(jobtools.HELLO, name="second", time_limit=5)
    assert await jobtools.queue_names(s3m_async_client) == ["first", "second"]


def test_each_test_gets_a_fresh_server(s3m_client):
    assert s3m_client.list_jobs() == []


async def test_in_process(s3m_transport):
    stub = v0044.SlurmIndirectStub(s3m_transport)
    assert await jobtools.idle_partitions(stub)
    assert s3m_transport.server.grpc_port == 0  # no socket
    with pytest.raises(NotFoundError):
        await stub.get_job(v0044.JobIdReq(job_id="424242"))


async def test_in_process_client(s3m_in_process_client):
    await s3m_in_process_client.submit(jobtools.HELLO, name="local", time_limit=5)
    assert await jobtools.queue_names(s3m_in_process_client) == ["local"]


def test_the_resource_can_be_overridden(s3m_client):
    assert (s3m_client.resource, s3m_client.version) == ("defiant", "v0.0.43")
"""

CONFTEST = """
import pytest


@pytest.fixture
def s3m_resource():
    return "defiant"
"""


@pytest.fixture
def downstream(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
    )
    pytester.makepyfile(jobtools=JOBTOOLS, test_jobtools=TESTS)
    return pytester


def test_downstream_project_uses_the_fixtures(downstream: pytest.Pytester) -> None:
    result = downstream.runpytest_subprocess(
        "-p", "no:cacheprovider", "-k", "not overridden", "-W", "error::pytest.PytestWarning"
    )
    result.assert_outcomes(passed=5, deselected=1)


def test_a_conftest_overrides_the_resource(downstream: pytest.Pytester) -> None:
    downstream.mkdir("sub")
    (downstream.path / "sub" / "conftest.py").write_text(CONFTEST)
    (downstream.path / "test_jobtools.py").rename(downstream.path / "sub" / "test_jobtools.py")
    result = downstream.runpytest_subprocess("-p", "no:cacheprovider", "-k", "overridden")
    result.assert_outcomes(passed=1, deselected=5)


def test_fixtures_are_listed_with_their_purpose(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "*fixtures defined from s3m_grpc.testing.plugin*",
            "*s3m_server*",
            "*A running local server on 127.0.0.1*",
        ]
    )
    for name in (
        "s3m_client",
        "s3m_async_client",
        "s3m_transport",
        "s3m_in_process_client",
        "s3m_resource",
        "s3m_server_config",
    ):
        assert name in result.stdout.str()
