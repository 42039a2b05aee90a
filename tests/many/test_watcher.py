"""The shared watcher against a real local server: finish order, jobs that age out of the queue
between two polls, a thousand waiters for the price of one poll, cancel while waiting, timeouts,
handles, events and callbacks."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from s3m_grpc import Client, errors
from s3m_grpc.handles import AsyncJob, Job
from s3m_grpc.server import LocalServer
from s3m_grpc.states import JobState
from s3m_grpc.watcher import JobEvent
from tests.many.conftest import Calls, client_on

FAST: dict[str, Any] = {"poll_interval": 0.1, "max_interval": 0.3}
PENDING_FOR_AN_HOUR = "#!/bin/bash\n#SBATCH --begin=now+1hour\ntrue\n"


def sleeper(seconds: float) -> str:
    return f"#!/bin/bash\nsleep {seconds}\n"


async def test_as_completed_yields_each_job_once_in_the_order_they_finish(
    server: LocalServer,
) -> None:
    calls = Calls()
    async with client_on(server, calls) as c:
        seconds = [2.4, 0.1, 1.2, 3.6]
        jobs = [await c.submit(sleeper(s), name=f"order-{s}") for s in seconds]
        expected = [str(jobs[i].job_id) for i in sorted(range(4), key=lambda i: seconds[i])]
        calls.clear()
        got = [str(info.job_id) async for info in c.as_completed(jobs, timeout=60, **FAST)]
        assert got == expected
        assert all(j.state is JobState.COMPLETED for j in jobs)  # the handles were updated
        assert calls.count("GetJob") == 0  # every job stayed listed: the listing was enough
        assert not c.watcher.running
        assert c.watcher.watched == 0


async def test_a_job_that_ages_out_between_two_polls_is_reported_with_its_final_state(
    ageing_server: LocalServer,
) -> None:
    calls = Calls()
    async with client_on(ageing_server, calls) as c:
        ok = await c.submit(sleeper(0.8), name="ages-out")
        bad = await c.submit("#!/bin/bash\nsleep 0.8\nexit 3\n", name="ages-out-failing")
        events: list[JobEvent] = []
        async for event in c.watch([ok, bad], **FAST):
            events.append(event)
        by_job = {j: [e for e in events if e.job_id == str(j.job_id)] for j in (ok, bad)}
        for job, final in ((ok, JobState.COMPLETED), (bad, JobState.FAILED)):
            seen = by_job[job]
            assert seen[0].new in {JobState.PENDING, JobState.RUNNING}  # seen in the queue
            assert seen[-1].new is final
            assert seen[-1].finished
            assert seen[-1].old is not None
            assert [e for e in seen if e.finished] == [seen[-1]]  # one final event
        # The final states came from accounting: the queue no longer listed the jobs.
        assert calls.count("GetJob") >= 1
        assert ok.job_id not in [j.job_id for j in await c.list_jobs()]
        assert by_job[bad][-1].info.exit_code == 3


async def test_a_thousand_waiters_cost_polls_not_jobs(server: LocalServer) -> None:
    calls = Calls()
    async with client_on(server, calls) as c:
        gate = asyncio.Semaphore(32)

        async def submit(i: int) -> AsyncJob:
            async with gate:
                return await c.submit(PENDING_FOR_AN_HOUR, name=f"held-{i}")

        jobs = await asyncio.gather(*(submit(i) for i in range(1000)))
        calls.clear()
        start = time.monotonic()
        waiters = [asyncio.create_task(c.wait(j, timeout=120, **FAST)) for j in jobs]
        await asyncio.sleep(1.0)
        assert c.watcher.watched == 1000
        assert not any(w.done() for w in waiters)

        async def cancel(job: AsyncJob) -> None:
            async with gate:
                await job.cancel()

        await asyncio.gather(*(cancel(j) for j in jobs))  # cancel while they wait
        infos = await asyncio.gather(*waiters)
        elapsed = time.monotonic() - start
        assert all(info.state is JobState.CANCELLED for info in infos)
        assert [i.job_id for i in infos] == [j.job_id for j in jobs]
        polls = calls.count("GetJobs")
        assert polls == c.watcher.polls
        # One listing per poll, at most one poll per 0.1 s, whatever the number of waiters.
        assert 1 <= polls <= elapsed / 0.1 + 2, (polls, elapsed)
        assert calls.count("GetJob") == 0
        assert calls.count("DeleteJob") == 1000
        assert not c.watcher.running


async def test_timeouts_name_the_unfinished_jobs_and_stop_the_watcher(
    server: LocalServer,
) -> None:
    async with client_on(server) as c:
        quick = await c.submit(sleeper(0.1), name="quick")
        held = await c.submit(PENDING_FOR_AN_HOUR, name="held")
        start = time.monotonic()
        with pytest.raises(errors.WaitTimeoutError) as info:
            await c.wait_all([quick, held], timeout=1.5, **FAST)
        assert time.monotonic() - start < 2.5
        assert info.value.job_ids == (str(held.job_id),)
        assert info.value.states[str(quick.job_id)] == "COMPLETED"
        assert info.value.states[str(held.job_id)] == "PENDING"
        assert "timed out after 1.5s waiting for job" in str(info.value)
        # as_completed gives what finished, then the timeout.
        got: list[int] = []

        async def collect() -> None:
            async for done in c.as_completed([held, quick], timeout=1.0, **FAST):
                got.append(done.job_id)

        with pytest.raises(errors.WaitTimeoutError):
            await collect()
        assert got == [quick.job_id]
        await asyncio.sleep(0)
        assert not c.watcher.running
        assert c.watcher.watched == 0
        await held.cancel()
        assert (await held).state is JobState.CANCELLED  # awaiting a handle waits


async def test_an_unknown_job_fails_only_its_own_wait(server: LocalServer) -> None:
    async with client_on(server) as c:
        known = await c.submit(sleeper(0.5), name="known")
        waiting_known = asyncio.create_task(c.wait(known, timeout=30, **FAST))
        with pytest.raises(errors.NotFoundError):
            await c.wait(99999, timeout=30, not_found_grace=0.3, **FAST)
        assert (await waiting_known).state is JobState.COMPLETED


async def test_handles_and_callbacks(server: LocalServer) -> None:
    async with client_on(server) as c:
        job = await c.submit(sleeper(0.3), name="handle")
        assert isinstance(job, AsyncJob)
        assert job.resource == "odo"
        assert job.state is None
        seen: list[JobEvent] = []
        done = asyncio.Event()

        def on_change(event: JobEvent) -> None:
            seen.append(event)
            if event.finished:
                done.set()

        sub = await c.on_change(on_change, [job], **FAST)
        attached = c.job(job.job_id)
        assert attached == job
        assert hash(attached) == hash(job)
        info = await attached.wait(timeout=30, **FAST)
        assert info.state is JobState.COMPLETED
        assert attached.state is JobState.COMPLETED
        await asyncio.wait_for(done.wait(), 10)
        assert seen[-1].new is JobState.COMPLETED
        assert sub.closed  # every job it followed has finished
        assert (await job.refresh()).state is JobState.COMPLETED
        with pytest.raises(errors.ConfigurationError):
            c.job("12_3")


async def test_on_change_reports_once_why_it_gave_up(server: LocalServer) -> None:
    """A callback subscription that ends early (here: a job unknown beyond its grace) says
    why through `on_error`, once, and no event is delivered for it."""
    async with client_on(server) as c:
        events: list[JobEvent] = []
        errors_seen: list[BaseException] = []
        gave_up = asyncio.Event()

        def on_error(exc: BaseException) -> None:
            errors_seen.append(exc)
            gave_up.set()

        sub = await c.on_change(
            events.append, [99999], not_found_grace=0.3, on_error=on_error, **FAST
        )
        await asyncio.wait_for(gave_up.wait(), 10)
        await asyncio.sleep(0.5)  # more polls would have run: still one report
        assert sub.closed
        assert [type(e) for e in errors_seen] == [errors.NotFoundError]
        assert sub.error is errors_seen[0]
        assert "99999" in str(errors_seen[0])
        assert events == []


def test_the_blocking_client_has_blocking_handles_and_iterators(server_thread: LocalServer) -> None:
    srv = server_thread
    with Client(
        "odo",
        version="v0.0.44",
        token=srv.token,
        endpoint=srv.grpc_target,
        plaintext=True,
        transport="grpc",
    ) as c:
        jobs = [c.submit(sleeper(s), name=f"blocking-{s}") for s in (1.2, 0.1)]
        assert all(isinstance(j, Job) for j in jobs)
        got = [info.job_id for info in c.as_completed(jobs, timeout=30, **FAST)]
        assert got == [jobs[1].job_id, jobs[0].job_id]
        held = c.submit(PENDING_FOR_AN_HOUR, name="blocking-held")
        events = c.watch([held], **FAST)
        first = next(events)
        assert first.new is JobState.PENDING
        assert first.old is None
        held.cancel()
        rest = list(events)
        assert rest[-1].new is JobState.CANCELLED
        assert held.wait(timeout=10, **FAST).state is JobState.CANCELLED
        assert c.wait_all([j.job_id for j in jobs], timeout=10)[str(jobs[0].job_id)].finished
        # submit_many hands out blocking handles too, to its progress callback as well.
        told: list[object] = []
        outcomes = c.submit_many(
            [sleeper(0.1), sleeper(0.2)], progress=lambda p: told.append(p.outcome.job)
        )
        many = [o.unwrap() for o in outcomes]
        assert all(isinstance(j, Job) for j in [*many, *told])
        assert {i.state for i in c.wait_all(many, timeout=30).values()} == {JobState.COMPLETED}
        assert all(j.state is JobState.COMPLETED for j in many)


async def test_closing_the_client_ends_a_wait_with_a_typed_error(server: LocalServer) -> None:
    c = client_on(server)
    held = await c.submit(PENDING_FOR_AN_HOUR, name="closed-under")
    waiting = asyncio.create_task(c.wait(held, **FAST))
    await asyncio.sleep(0.3)
    await c.cancel(held.job_id)
    await c.close()
    with pytest.raises(errors.S3MError, match="client was closed"):
        await waiting


async def test_a_newcomer_is_answered_within_its_own_poll_interval(server: LocalServer) -> None:
    calls = Calls()
    async with client_on(server, calls) as c:
        held = await c.submit(PENDING_FOR_AN_HOUR, name="slow-follower")
        # A slow follower lets the watcher back off to 30 s between polls...
        slow = asyncio.create_task(c.wait(held, poll_interval=0.1, max_interval=30))
        await asyncio.sleep(5.0)
        assert calls.count("GetJobs") < 12  # polls 0.1 s apart at first, growing
        quick = await c.submit(sleeper(0.1), name="newcomer")
        start = time.monotonic()
        # ...yet a new wait gets its answer at its own pace.
        info = await c.wait(quick, timeout=10, poll_interval=0.2, max_interval=0.5)
        assert info.state is JobState.COMPLETED
        assert time.monotonic() - start < 2.0
        await held.cancel()
        assert (await slow).state is JobState.CANCELLED


async def test_a_wait_builds_no_view_for_the_states_a_job_passes_through(
    server: LocalServer,
) -> None:
    async with client_on(server) as c:
        job = await c.submit(sleeper(30), name="lazy-view")
        job_id = str(job.job_id)
        waiter = asyncio.create_task(c.wait(job, timeout=60, **FAST))
        deadline = time.monotonic() + 20
        while c.watcher.states([job_id]).get(job_id) != "RUNNING":
            assert time.monotonic() < deadline, c.watcher.states([job_id])
            await asyncio.sleep(0.05)
        tracked = c.watcher._jobs[job_id]
        assert tracked.info is None  # nobody takes an event for a job still running
        # A newcomer is owed the current state: its first event, with the whole view, comes
        # from the next poll.
        events: list[JobEvent] = []
        first = asyncio.Event()

        def on_change(event: JobEvent) -> None:
            events.append(event)
            first.set()

        polls = c.watcher.polls
        await c.on_change(on_change, [job], **FAST)
        assert events == []
        await asyncio.wait_for(first.wait(), 10)
        assert c.watcher.polls > polls
        assert [(e.old, e.new) for e in events] == [(None, JobState.RUNNING)]
        info = events[0].info
        assert info.job_id == job.job_id
        assert info.name == "lazy-view"
        assert info.start_time is not None
        assert info.raw is not None
        assert info.raw.name == "lazy-view"
        assert tracked.info is info
        assert tracked.owed == []
        await job.cancel()
        assert (await waiter).state is JobState.CANCELLED
        assert events[-1].old is JobState.RUNNING
        assert events[-1].new is JobState.CANCELLED
