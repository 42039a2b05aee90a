"""Retries (`RetryingTransport`): GETs ride over 5xx/429/UNAVAILABLE bursts, bounded in count
and time, honouring Retry-After; submit and cancel are never retried blindly.

Every test runs against the real local server behind a front on 127.0.0.1 that fails the
first calls as planned, then forwards.
"""

from __future__ import annotations

import time
import uuid

import grpc
import pytest

from s3m_grpc import AsyncClient as Client
from s3m_grpc import errors
from s3m_grpc.rpc import MethodInfo
from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.server.config import Limits
from s3m_grpc.slurm import v0044
from s3m_grpc.transports.retrying import NO_RETRY, RetryingTransport, RetryPolicy
from tests.reliability.conftest import SCRIPT, client_for, job_ids, single_attempt
from tests.reliability.proxies import (
    CUT,
    GrpcProxy,
    RestProxy,
    grpc_status,
    status,
)

FAST = RetryPolicy(max_attempts=4, initial_backoff=0.01, max_backoff=0.05)


def with_retries(client: Client, policy: RetryPolicy = FAST) -> RetryingTransport:
    """Put a `RetryingTransport` between the client's stub and its factory's single attempts
    (so only this wrapper retries, not the factory's own `retry=`)."""
    retrying = RetryingTransport(single_attempt(client), policy)
    client.stub = client.messages.SlurmIndirectStub(retrying)
    return retrying


GET_JOBS: MethodInfo = v0044.SERVICE.method("GetJobs")
SUBMIT: MethodInfo = v0044.SERVICE.method("PostJobSubmit")


# -- the policy itself --------------------------------------------------------------------


def test_backoff_grows_to_its_cap_and_jitter_only_shortens() -> None:
    top = RetryPolicy(initial_backoff=0.5, max_backoff=3.0, multiplier=2.0, rng=lambda: 0.0)
    assert [top.backoff(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    low = RetryPolicy(initial_backoff=0.5, max_backoff=3.0, jitter=0.5, rng=lambda: 1.0)
    assert [low.backoff(n) for n in range(1, 4)] == [0.25, 0.5, 1.0]


@pytest.mark.parametrize(
    "bad",
    [
        {"max_attempts": 0},
        {"initial_backoff": -1.0},
        {"total_timeout": -1.0},
        {"multiplier": 0.5},
        {"jitter": 1.5},
    ],
)
def test_nonsense_policies_are_refused_clearly(bad: dict[str, float]) -> None:
    with pytest.raises(errors.InvalidRequestError, match="RetryPolicy"):
        RetryPolicy(**bad)  # type: ignore[arg-type]


def test_what_is_retryable() -> None:
    p = RetryPolicy()
    assert p.retryable(GET_JOBS, errors.UnavailableError("503"))
    assert p.retryable(GET_JOBS, errors.DeadlineExceededError("504"))
    assert p.retryable(GET_JOBS, errors.RateLimitedError("slow down", retry_after=1))
    # Decided on classes, never on message text.
    assert not p.retryable(GET_JOBS, errors.ReplyTooLargeError("reply over the limit"))
    assert not p.retryable(GET_JOBS, errors.RequestTooLargeError("request over the limit"))
    assert not p.retryable(GET_JOBS, errors.InternalError("boom"))
    assert not p.retryable(GET_JOBS, errors.AuthenticationError("expired token"))
    assert not p.retryable(GET_JOBS, errors.NotFoundError("no such job"))
    # A submit: only when the failure proves nothing was done.
    assert p.retryable(SUBMIT, errors.ConnectError("refused; the request was not sent"))
    assert p.retryable(SUBMIT, errors.RateLimitedError("slow down"))
    assert not p.retryable(SUBMIT, errors.UnavailableError("503"))
    assert not p.retryable(SUBMIT, errors.DeadlineExceededError("504"))
    assert not p.retryable(SUBMIT, errors.SubmitOutcomeUnknownError("lost"))
    tls = errors.CertificateError("cannot connect; not sent")
    assert not p.retryable(GET_JOBS, tls)
    assert not p.retryable(SUBMIT, tls)
    assert not p.retryable(SUBMIT, errors.OutcomeUnknownError("cancel lost"))
    strict = RetryPolicy(retry_writes_when_unsent=False)
    assert not strict.retryable(SUBMIT, errors.ConnectError("refused"))


# -- REST ---------------------------------------------------------------------------------


async def test_get_rides_over_a_burst_of_502_503_504(
    server: LocalServer, rest_proxy: RestProxy
) -> None:
    async with client_for(server, "rest", rest_url=rest_proxy.url) as c:
        retrying = with_retries(c)
        rest_proxy.plan.set([status(503), status(502), status(504)])
        assert await c.ping()
        assert rest_proxy.plan.count("/ping") == 4
        assert retrying.retries == 3


async def test_429_waits_at_least_retry_after(server: LocalServer, rest_proxy: RestProxy) -> None:
    async with client_for(server, "rest", rest_url=rest_proxy.url) as c:
        with_retries(c)
        rest_proxy.plan.set([status(429, retry_after="0.4")])
        start = time.monotonic()
        assert await c.list_jobs() == []
        assert time.monotonic() - start >= 0.4
        assert rest_proxy.plan.count("/jobs") == 2


async def test_a_long_retry_after_is_raised_at_once(
    server: LocalServer, rest_proxy: RestProxy
) -> None:
    async with client_for(server, "rest", rest_url=rest_proxy.url) as c:
        with_retries(c)
        rest_proxy.plan.set([status(429, retry_after="120")])
        start = time.monotonic()
        with pytest.raises(errors.RateLimitedError) as info:
            await c.ping()
        assert info.value.retry_after == 120
        assert time.monotonic() - start < 2
        assert rest_proxy.plan.count("/ping") == 1


async def test_a_lasting_failure_stops_after_max_attempts(
    server: LocalServer, rest_proxy: RestProxy
) -> None:
    async with client_for(server, "rest", rest_url=rest_proxy.url) as c:
        with_retries(c, RetryPolicy(max_attempts=3, initial_backoff=0.01))
        rest_proxy.plan.set([status(503)] * 10)
        with pytest.raises(errors.UnavailableError):
            await c.ping()
        assert rest_proxy.plan.count("/ping") == 3


async def test_the_call_timeout_bounds_all_attempts_together(
    server: LocalServer, rest_proxy: RestProxy
) -> None:
    policy = RetryPolicy(max_attempts=1000, initial_backoff=0.1, max_backoff=0.1, jitter=0)
    async with client_for(server, "rest", rest_url=rest_proxy.url) as c:
        with_retries(c, policy)
        rest_proxy.plan.set([status(503)] * 1000)
        start = time.monotonic()
        with pytest.raises(errors.UnavailableError):
            await c.ping(timeout=0.6)
        took = time.monotonic() - start
        assert 0.45 <= took < 1.5
        assert 3 <= rest_proxy.plan.count("/ping") <= 7


async def test_total_timeout_bounds_calls_without_their_own(
    server: LocalServer, rest_proxy: RestProxy
) -> None:
    policy = RetryPolicy(max_attempts=1000, initial_backoff=0.1, max_backoff=0.1, total_timeout=0.5)
    async with client_for(server, "rest", rest_url=rest_proxy.url) as c:
        with_retries(c, policy)
        rest_proxy.plan.set([status(503)] * 1000)
        start = time.monotonic()
        with pytest.raises(errors.UnavailableError):
            await c.ping()
        assert time.monotonic() - start < 1.5


async def test_submit_is_not_retried_on_503(server: LocalServer, rest_proxy: RestProxy) -> None:
    async with client_for(server, "rest", rest_url=rest_proxy.url) as c:
        retrying = with_retries(c)
        rest_proxy.plan.set([status(503)])
        with pytest.raises(errors.UnavailableError):
            await c.submit(SCRIPT, name="no-retry")
        assert rest_proxy.plan.count("/job/submit") == 1
        assert retrying.retries == 0
    assert await job_ids(server) == []


async def test_submit_whose_reply_is_lost_is_never_sent_again(
    server: LocalServer, rest_proxy: RestProxy
) -> None:
    name = f"cut-{uuid.uuid4().hex[:6]}"
    async with client_for(server, "rest", rest_url=rest_proxy.url) as c:
        with_retries(c)
        rest_proxy.plan.set([CUT])
        with pytest.raises(errors.SubmitOutcomeUnknownError, match="NOT re-sent") as info:
            await c.submit(SCRIPT, name=name)
        assert name in str(info.value)
        assert rest_proxy.plan.count("/job/submit") == 1
        # The job reached the server once; looking it up as the message says finds it.
        found = await c.list_jobs(name=name)
    assert [j.job_id for j in found] == await job_ids(server)
    assert len(found) == 1


async def test_submit_refused_as_rate_limited_is_sent_again(
    server: LocalServer, rest_proxy: RestProxy
) -> None:
    async with client_for(server, "rest", rest_url=rest_proxy.url) as c:
        with_retries(c)
        rest_proxy.plan.set([status(429, retry_after="0.1")])
        sub = await c.submit(SCRIPT, name="after-429")
        assert rest_proxy.plan.count("/job/submit") == 2
    assert await job_ids(server) == [sub.job_id]


async def test_cancel_is_not_retried_on_502(server: LocalServer, rest_proxy: RestProxy) -> None:
    async with client_for(server, "rest", rest_url=rest_proxy.url) as c:
        sub = await c.submit("#!/bin/bash\nsleep 30\n", name="to-cancel")
        with_retries(c)
        rest_proxy.plan.set([status(502)])
        with pytest.raises(errors.UnavailableError):
            await c.cancel(sub.job_id)
        assert rest_proxy.plan.count(f"/job/{sub.job_id}") == 1
        await c.cancel(sub.job_id)  # the plan is used up: this one goes through


async def test_no_retry_policy_passes_calls_straight_through(
    server: LocalServer, rest_proxy: RestProxy
) -> None:
    async with client_for(server, "rest", rest_url=rest_proxy.url) as c:
        with_retries(c, NO_RETRY)
        rest_proxy.plan.set([status(503)])
        with pytest.raises(errors.UnavailableError):
            await c.ping()
        assert rest_proxy.plan.count("/ping") == 1


# -- gRPC ---------------------------------------------------------------------------------


async def test_grpc_get_rides_over_unavailable(server: LocalServer, grpc_proxy: GrpcProxy) -> None:
    async with client_for(server, "grpc", endpoint=grpc_proxy.target) as c:
        sub = await c.submit(SCRIPT, name="grpc-get")
        retrying = with_retries(c)
        grpc_proxy.plan.set(
            [
                grpc_status(grpc.StatusCode.UNAVAILABLE),
                grpc_status(grpc.StatusCode.RESOURCE_EXHAUSTED),
            ]
        )
        assert (await c.get_job(sub.job_id)).job_id == sub.job_id
        assert grpc_proxy.plan.count("GetJob") == 3
        assert retrying.retries == 2


async def test_grpc_submit_is_not_retried_on_unavailable(
    server: LocalServer, grpc_proxy: GrpcProxy
) -> None:
    async with client_for(server, "grpc", endpoint=grpc_proxy.target) as c:
        await c.ping()  # the channel is up: the submit is sent
        with_retries(c)
        grpc_proxy.plan.set([grpc_status(grpc.StatusCode.UNAVAILABLE)])
        with pytest.raises(errors.SubmitOutcomeUnknownError):
            await c.submit(SCRIPT, name="grpc-submit")
        assert grpc_proxy.plan.count("PostJobSubmit") == 1
    assert await job_ids(server) == []


async def test_grpc_errors_that_are_not_transient_are_not_retried(
    server: LocalServer, grpc_proxy: GrpcProxy
) -> None:
    async with client_for(server, "grpc", endpoint=grpc_proxy.target) as c:
        with_retries(c)
        grpc_proxy.plan.set([grpc_status(grpc.StatusCode.INTERNAL)])
        with pytest.raises(errors.InternalError):
            await c.ping()
        with pytest.raises(errors.NotFoundError):
            await c.get_job(424242)
        assert grpc_proxy.plan.count("Ping") == 1
        assert grpc_proxy.plan.count("GetJob") == 1


# -- through the factory (`retry=`) ---------------------------------------------------------


async def test_retries_are_on_by_default(server: LocalServer, rest_proxy: RestProxy) -> None:
    async with client_for(server, "rest", rest_url=rest_proxy.url) as c:
        assert c.factory.retry == RetryPolicy()
        rest_proxy.plan.set([status(503), status(429, retry_after="0.1")])
        assert await c.ping()
        assert rest_proxy.plan.count("/ping") == 3
        rest_proxy.plan.set([status(503)])
        with pytest.raises(errors.UnavailableError):
            await c.submit(SCRIPT, name="default-no-resend")
        assert rest_proxy.plan.count("/job/submit") == 1


async def test_retry_false_turns_them_off(server: LocalServer, rest_proxy: RestProxy) -> None:
    async with client_for(server, "rest", rest_url=rest_proxy.url, retry=False) as c:
        rest_proxy.plan.set([status(503)])
        with pytest.raises(errors.UnavailableError):
            await c.ping()
        assert rest_proxy.plan.count("/ping") == 1


async def test_a_custom_policy_and_the_factory_timeout_bound_the_call(
    server: LocalServer, grpc_proxy: GrpcProxy
) -> None:
    policy = RetryPolicy(max_attempts=100, initial_backoff=0.05, max_backoff=0.05, jitter=0)
    async with client_for(
        server, "grpc", endpoint=grpc_proxy.target, retry=policy, timeout=0.5
    ) as c:
        await c.ping()
        grpc_proxy.plan.set([grpc_status(grpc.StatusCode.UNAVAILABLE)] * 100)
        start = time.monotonic()
        with pytest.raises(errors.UnavailableError):
            await c.ping()  # no per-call timeout: the factory's 0.5 s covers every attempt
        # 100 attempts would take over 5 s of backoff alone: the timeout ended it, after some
        # retries (margins for a loaded machine).
        assert time.monotonic() - start < 2.5
        assert 2 <= grpc_proxy.plan.count("Ping") < 50


def test_a_bad_retry_option_is_a_clear_error(server: LocalServer) -> None:
    with pytest.raises(errors.InvalidRequestError, match="retry must be"):
        client_for(server, "grpc", retry=3)


# -- the server's own rate limit and size limit over both transports ------------------------


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_the_servers_rate_limit_is_waited_out(transport: str) -> None:
    """`[limits] requests_per_second`: 429 / RESOURCE_EXHAUSTED with a retry-after that the
    client reads (header or trailer) and waits out."""
    limits = Limits(requests_per_second=5, burst=1)
    async with LocalServer(ServerConfig(limits=limits)) as srv:
        async with client_for(srv, transport, retry=False) as c:
            await c.ping()
            with pytest.raises(errors.RateLimitedError) as info:
                await c.ping()
            assert info.value.retry_after is not None
            assert 0 < info.value.retry_after <= 1
        async with client_for(srv, transport) as c:
            start = time.monotonic()
            for _ in range(4):
                assert await c.ping()
            assert time.monotonic() - start >= 0.4  # 5 per second after the first


@pytest.mark.parametrize("transport", ["grpc", "rest"])
async def test_a_script_over_the_size_limit_is_not_sent_again(
    server: LocalServer, grpc_proxy: GrpcProxy, rest_proxy: RestProxy, transport: str
) -> None:
    proxy = grpc_proxy if transport == "grpc" else rest_proxy
    async with client_for(
        server, transport, endpoint=grpc_proxy.target, rest_url=rest_proxy.url
    ) as c:
        with pytest.raises(errors.RequestTooLargeError, match="script"):
            await c.submit("#!/bin/bash\n" + "# pad\n" * 50_000, name="too-big")
        assert proxy.plan.count("ubmit") == 1
    assert await job_ids(server) == []
