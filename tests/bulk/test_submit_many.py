"""`submit_many` against a real local server: paced under a rate limit, outcomes in input order,
a server that goes away mid-batch, a Retry-After longer than the client waits."""

from __future__ import annotations

import threading
import uuid
from collections import Counter

import pytest

from s3m_grpc import Client
from s3m_grpc.bulk import BulkProgress, SubmitOptions, SubmitOutcome
from s3m_grpc.errors import (
    ConnectError,
    InvalidRequestError,
    OutcomeUnknownError,
    RateLimitedError,
    SubmitOutcomeUnknownError,
)
from s3m_grpc.handles import AsyncJob
from s3m_grpc.jobspec import JobSpec
from s3m_grpc.retry import RetryPolicy
from s3m_grpc.server import Limits, LocalServer
from tests.bulk.conftest import client_of, later, sim, start

FAST_RECONNECT = RetryPolicy(initial_backoff=0.02, max_backoff=0.1, max_attempts=3)


def names_on_server(srv: LocalServer, prefix: str) -> Counter[str]:
    return Counter(j.name for j in sim(srv).engine.jobs.values() if j.name.startswith(prefix))


async def test_300_submits_under_a_20_per_second_limit_are_paced_and_all_succeed() -> None:
    srv = start(Limits(requests_per_second=20, burst=20))
    try:
        prefix = f"paced-{uuid.uuid4().hex[:6]}-"
        seen: list[BulkProgress[SubmitOutcome[AsyncJob]]] = []
        async with client_of(srv) as c:
            outcomes = await c.submit_many(
                [later(f"{prefix}{i}") for i in range(300)], concurrency=16, progress=seen.append
            )
        assert [o.index for o in outcomes] == list(range(300))
        assert [o.error for o in outcomes if not o.ok] == []
        ids = [o.unwrap().job_id for o in outcomes]
        assert len(set(ids)) == 300
        # The limit was met (the pace had to adapt), and nothing was submitted twice.
        assert seen[-1].done == 300
        assert seen[-1].failed == 0
        assert seen[-1].rate_limited > 0
        assert seen[-1].pace is not None
        assert seen[-1].pace <= 40
        on_server = names_on_server(srv, prefix)
        assert len(on_server) == 300
        assert set(on_server.values()) == {1}
        jobs = sim(srv).engine.jobs
        assert all(jobs[o.unwrap().job_id].name == f"{prefix}{o.index}" for o in outcomes)
    finally:
        srv.stop()


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_outcomes_come_in_input_order_with_a_refused_job_in_the_middle(
    server: LocalServer, transport: str
) -> None:
    prefix = f"order-{transport}-{uuid.uuid4().hex[:6]}-"
    specs: list[str | JobSpec] = [later(f"{prefix}{i}") for i in range(9)]
    specs[4] = JobSpec(script="#!/bin/bash\ntrue\n", name=f"{prefix}4", partition="no-such")
    async with client_of(server, transport) as c:
        outcomes = await c.submit_many(specs, concurrency=4)
    assert [o.index for o in outcomes] == list(range(9))
    assert [o.ok for o in outcomes] == [True] * 4 + [False] + [True] * 4
    refused = outcomes[4]
    assert isinstance(refused.error, InvalidRequestError)
    assert "no-such" in str(refused.error)
    assert refused.job is None
    assert not refused.sent
    assert refused.sends == 1
    with pytest.raises(InvalidRequestError):
        refused.unwrap()
    jobs = sim(server).engine.jobs
    for o in outcomes:
        if o.ok:
            assert jobs[o.unwrap().job_id].name == f"{prefix}{o.index}"
    assert sorted(names_on_server(server, prefix)) == sorted(
        f"{prefix}{i}" for i in range(9) if i != 4
    )


def test_shared_keywords_apply_to_every_job_and_match_submit(server: LocalServer) -> None:
    prefix = f"shared-{uuid.uuid4().hex[:6]}-"
    scripts = [f"#!/bin/bash\n#SBATCH -J {prefix}{i}\ntrue\n" for i in range(3)]
    with Client(
        "odo",
        endpoint=server.grpc_target,
        rest_url=server.rest_url,
        plaintext=True,
        token=server.token,
    ) as c:
        outcomes = c.submit_many(scripts, partition="batch-gpu", env={"SWEEP": "yes"})
    assert all(o.ok for o in outcomes)
    jobs = sim(server).engine.jobs
    for o in outcomes:
        job = jobs[o.unwrap().job_id]
        assert job.name == f"{prefix}{o.index}"
        assert job.partition == "batch-gpu"
        assert "SWEEP=yes" in job.environment
    # The shared keywords are exactly submit's keywords (one list, checked here).
    import inspect

    from s3m_grpc import AsyncClient

    params = inspect.signature(AsyncClient.submit).parameters
    keywords = {n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert set(SubmitOptions.__annotations__) == keywords - {"retry"}


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_a_server_that_goes_away_mid_batch_loses_no_outcome_and_duplicates_nothing(
    transport: str,
) -> None:
    srv = start()
    backend = sim(srv)
    prefix = f"gone-{transport}-{uuid.uuid4().hex[:6]}-"
    total = 60
    stopper: list[threading.Thread] = []

    def stop_after_ten(p: BulkProgress[SubmitOutcome[AsyncJob]]) -> None:
        if p.done == 10 and not stopper:
            stopper.append(threading.Thread(target=srv.stop))
            stopper[0].start()

    try:
        async with client_of(srv, transport, retry=FAST_RECONNECT, timeout=5) as c:
            outcomes = await c.submit_many(
                [later(f"{prefix}{i}") for i in range(total)],
                concurrency=4,
                progress=stop_after_ten,
            )
    finally:
        for t in stopper:
            t.join()
        if not stopper:
            srv.stop()
    assert [o.index for o in outcomes] == list(range(total))
    ok = [o for o in outcomes if o.ok]
    failed = [o for o in outcomes if not o.ok]
    assert len(ok) >= 10
    assert failed, "the server stopped before the batch ended"
    assert all(isinstance(o.error, ConnectError | OutcomeUnknownError) for o in failed), [
        repr(o.error) for o in failed
    ]
    assert all(isinstance(o.error, SubmitOutcomeUnknownError) for o in failed if o.sent), (
        "a submit that may have been sent is reported outcome-unknown"
    )
    on_server = Counter(j.name for j in backend.engine.jobs.values() if j.name.startswith(prefix))
    assert set(on_server.values()) <= {1}, "a job was submitted twice"
    for o in ok:
        assert backend.engine.jobs[o.unwrap().job_id].name == f"{prefix}{o.index}"
    for o in failed:
        if not o.sent:  # never sent: certainly not there
            assert f"{prefix}{o.index}" not in on_server
    # Once the server was unreachable for a whole retry budget, the rest was not sent.
    assert sum(o.sends for o in failed) < len(failed) * FAST_RECONNECT.max_attempts


async def test_a_retry_after_longer_than_the_client_waits_stops_the_batch() -> None:
    srv = start(Limits(requests_per_second=0.05, burst=2))
    try:
        prefix = f"slow-{uuid.uuid4().hex[:6]}-"
        async with client_of(srv, retry=RetryPolicy(max_retry_after=1.0)) as c:
            outcomes = await c.submit_many([later(f"{prefix}{i}") for i in range(6)], concurrency=1)
        assert [o.ok for o in outcomes] == [True, True, False, False, False, False]
        for o in outcomes[2:]:
            assert isinstance(o.error, RateLimitedError)
            assert not o.sent
        assert outcomes[2].sends == 1
        assert all(o.sends == 0 for o in outcomes[3:])
        assert "not sent" in str(outcomes[3].error)
        assert len(names_on_server(srv, prefix)) == 2
    finally:
        srv.stop()


async def test_bad_options_are_typed_errors(server: LocalServer) -> None:
    from s3m_grpc.errors import ConfigurationError

    async with client_of(server) as c:
        with pytest.raises(ConfigurationError, match="concurrency"):
            await c.submit_many([later("x")], concurrency=0)
        with pytest.raises(ConfigurationError, match="rate"):
            await c.submit_many([later("x")], rate=0)
        assert await c.submit_many([]) == []
        prefix = f"typed-{uuid.uuid4().hex[:6]}-"
        with pytest.raises(ConfigurationError, match="not int"):
            await c.submit_many([later(f"{prefix}0"), 42])  # type: ignore[list-item]
        assert names_on_server(server, prefix) == Counter()


async def test_a_failing_progress_callback_loses_no_outcome(
    server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    prefix = f"callback-{uuid.uuid4().hex[:6]}-"

    def broken(p: BulkProgress[SubmitOutcome[AsyncJob]]) -> None:
        raise RuntimeError(f"callback bug at {p.done}")

    async with client_of(server) as c:
        outcomes = await c.submit_many(
            [later(f"{prefix}{i}") for i in range(5)], concurrency=2, progress=broken
        )
    assert [o.ok for o in outcomes] == [True] * 5
    assert len(names_on_server(server, prefix)) == 5
    assert "callback bug at" in caplog.text
