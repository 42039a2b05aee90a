"""`JobWatcher`: one shared poll per client serves every job being waited on or watched.

Each poll is one `GetJobs` (the queue listing), however many jobs are followed. Jobs missing
from the listing (finished and aged out of slurmctld after `MinJobAge`, or not visible yet right
after a submit) are resolved with `GetJob`, at most `lookups_per_poll` per poll, taken in turn.
The listing is read lean (`s3m_grpc.listing`): of each job only its id and state words (and
array / het ids when such an id is followed), in C, with a dictionary look-up per job. Views
(`JobInfo`) are built only for a state change someone takes an event for (a callback or a
stream, or the job's end for a wait), after the poll's reply is dropped, each keeping its
job's wire bytes as `raw`; a state a job only passes through is kept as its words. So what the
watcher holds is at most a view per followed job, never a poll's reply; after a large listing
it hands the C heap's freed pages back to the OS (`s3m_grpc.heap`).

Who follows jobs (a `wait`, an `as_completed`, a `watch` stream, an `on_change` callback) is a
*subscription*. The watcher's task starts with the first subscription and ends when the last
one leaves. Each subscription keeps its own rules (`WaitSettings`, as the one-job wait had
them): its timeout, its `not_found_grace` from its own start, its `outage_grace` for an outage
in a row; the shared poll runs at the pace of the most eager subscription: jittered intervals
from `poll_interval`, growing up to `max_interval` while nothing changes, back to
`poll_interval` after a change; a server's `Retry-After` is honoured, capped at
`max_retry_after` (`s3m_grpc.waiting` holds those rules and the `Poller` they come from).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from s3m_grpc.errors import NotFoundError, RateLimitedError, S3MError, WaitTimeoutError
from s3m_grpc.heap import release_freed_memory
from s3m_grpc.jobs import JobInfo, head_job
from s3m_grpc.listing import READER, Decoded, Lean, listing
from s3m_grpc.retry import backoff
from s3m_grpc.states import JobState, base_state_of, is_finished
from s3m_grpc.waiting import (
    OUTAGE_ERRORS,
    WaitProgress,
    WaitSettings,
    raw_state_text,
    retry_after_pause,
)

if TYPE_CHECKING:
    from s3m_grpc._async_client import AsyncClient
    from s3m_grpc.telemetry import WatcherTelemetry

log = logging.getLogger(__name__)

LOOKUPS_PER_POLL = 8
RELEASE_AFTER_JOBS = 1000  # a listing this long (~0.75 MB) is handed back to the OS after reading
SUBMITTED = "SUBMITTED"  # the state shown while neither the queue nor accounting knows a job


@dataclass(frozen=True, slots=True)
class JobEvent:
    """A followed job's SLURM state changed (base state or flags); `old` is None the first time
    the watcher sees the job."""

    job_id: str
    old: JobState | None
    new: JobState
    info: JobInfo

    @property
    def finished(self) -> bool:
        """The job has ended for good (this is its last event)."""
        return self.info.finished


class Subscription:
    """Someone following jobs (`ids`, or every job in the queue when None); see the module
    docstring. `cancel()` leaves the watcher; the subclasses decide what an event does."""

    finished_only = False  # takes the events of finished jobs only

    def __init__(
        self,
        watcher: JobWatcher,
        ids: Iterable[str] | None,
        settings: WaitSettings,
        progress: WaitProgress | None = None,
    ) -> None:
        self.watcher = watcher
        self.ids: tuple[str, ...] | None = None if ids is None else tuple(dict.fromkeys(ids))
        self.settings = settings
        self.progress = progress
        self.started = time.monotonic()
        self.error: BaseException | None = None
        self.closed = False
        self.loop = asyncio.get_running_loop()

    def event(self, event: JobEvent) -> None:
        """A state change of one of its jobs."""

    def seen(self, job_id: str, state: str) -> None:
        """The latest state of one of its jobs (`SUBMITTED` while nobody knows it yet)."""
        if self.progress is not None:
            self.progress.update(job_id, state)

    def fail(self, exc: BaseException) -> None:
        """The watcher cannot serve this subscription any more (`exc` says why)."""
        if self.error is None:
            self.error = exc
        self.cancel()

    def note(self, text: str) -> None:
        if self.progress is not None:
            self.progress.note(text)

    def cancel(self) -> None:
        """Stop following its jobs (the watcher stops when nobody follows any). Safe to call
        from any thread (a blocking `Client`'s subscriptions live on its loop thread)."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is not self.loop:
            if not self.loop.is_closed():
                self.loop.call_soon_threadsafe(self.cancel)
            return
        if not self.closed:
            self.closed = True
            self.watcher._remove(self)
        self._wake()

    def _wake(self) -> None:
        """Let whoever awaits this subscription look again."""


class _Queued(Subscription):
    """A subscription whose events are awaited from a queue (waits, streams)."""

    def __init__(
        self,
        watcher: JobWatcher,
        ids: Iterable[str] | None,
        settings: WaitSettings,
        progress: WaitProgress | None = None,
        *,
        finished_only: bool,
    ) -> None:
        super().__init__(watcher, ids, settings, progress)
        self.finished_only = finished_only
        self.pending: set[str] = set(self.ids or ())
        self.queue: asyncio.Queue[JobEvent | None] = asyncio.Queue()

    def event(self, event: JobEvent) -> None:
        if self.finished_only and not event.finished:
            return
        if event.finished:
            if self.ids is not None and event.job_id not in self.pending:
                return  # already reported
            self.pending.discard(event.job_id)
        self.queue.put_nowait(event)
        if self.ids is not None and not self.pending:
            self.cancel()

    def _wake(self) -> None:
        self.queue.put_nowait(None)

    async def events(self) -> AsyncIterator[JobEvent]:
        """Events as they come; ends when every job has finished (or `cancel()`), raises the
        watcher's error for this subscription, or `WaitTimeoutError` after `timeout`."""
        timeout = self.settings.timeout
        deadline = None if timeout is None else self.started + timeout
        try:
            while True:
                if self.queue.empty() and self.closed:
                    break
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise self.timed_out()
                try:
                    item = await asyncio.wait_for(self.queue.get(), left)
                except TimeoutError:
                    raise self.timed_out() from None
                if item is not None:
                    yield item
            if self.error is not None:
                raise self.error
        finally:
            self.cancel()

    def timed_out(self) -> WaitTimeoutError:
        states = self.watcher.states(self.ids or ())
        left = [j for j in self.ids or () if j in self.pending]
        pending = ", ".join(f"{j} ({states.get(j, 'unknown')})" for j in left)
        timeout = self.settings.timeout or 0.0
        return WaitTimeoutError(
            f"timed out after {timeout:g}s waiting for job {pending}; it keeps running",
            job_ids=left,
            states=states,
        )


class _Callback(Subscription):
    """Calls a function on every event, and `on_error` once if the watcher gives up on it (a
    failing callback is logged, never breaks the poll)."""

    def __init__(
        self,
        watcher: JobWatcher,
        ids: Iterable[str] | None,
        settings: WaitSettings,
        callback: Callable[[JobEvent], object],
        on_error: Callable[[BaseException], object] | None = None,
    ) -> None:
        super().__init__(watcher, ids, settings)
        self.callback = callback
        self.on_error = on_error
        self.pending: set[str] = set(self.ids or ())

    def fail(self, exc: BaseException) -> None:
        if self.error is not None or self.closed:
            return
        log.warning("on_change stops: %s", exc)
        super().fail(exc)
        if self.on_error is not None:
            try:
                self.on_error(exc)
            except Exception:
                log.exception("an on_change error callback failed")

    def event(self, event: JobEvent) -> None:
        try:
            self.callback(event)
        except Exception:
            log.exception("an on_change callback failed on job %s", event.job_id)
        if event.finished and self.ids is not None:
            self.pending.discard(event.job_id)
            if not self.pending:
                self.cancel()


@dataclass(slots=True, eq=False)
class _Tracked:
    """What the watcher knows of one followed job. Its view (`info`) is built only for a
    state someone takes an event for: a job only waited for needs none until it finishes, so
    a state it passes through is kept as its words alone."""

    job_id: str
    state_raw: tuple[str, ...] | None = None
    info: JobInfo | None = None  # the view of `state_raw`, if one was built
    subs: list[Subscription] = field(default_factory=list)
    listed: bool = False  # followed only because a subscription watches the whole queue
    # Subscriptions added while the job's state was known without a view: each is owed its
    # first event, sent when the next poll (or look-up) brings the job's view.
    owed: list[Subscription] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.state_raw is not None and is_finished(self.state_raw)

    @property
    def state_text(self) -> str:
        return SUBMITTED if self.state_raw is None else raw_state_text(self.state_raw)


@dataclass(slots=True, eq=False)
class _Change:
    """A listed job whose state changed for the followed ids in `tracked` (each with whether
    an event with its view is delivered now), or whose view a subscription is owed."""

    state: tuple[str, ...]
    later: Callable[[], JobInfo] | None = None  # its view, from a copy of its bytes, if wanted
    tracked: list[tuple[_Tracked, bool]] = field(default_factory=list)


def _listing_key(job: Any, compound: bool) -> Iterator[str]:
    """The ids a queue job answers to: its own, and (when someone follows one) `A_T` for an
    array task and `H+O` for a heterogeneous component."""
    yield str(job.job_id)
    if not compound:
        return
    task = getattr(job, "array_task_id", None)
    array = getattr(job, "array_job_id", None)
    if task is not None and task.set and array is not None and array.set:
        yield f"{array.number}_{task.number}"
    offset = getattr(job, "het_job_offset", None)
    het = getattr(job, "het_job_id", None)
    if offset is not None and offset.set and het is not None and het.set:
        yield f"{het.number}+{offset.number}"


S = TypeVar("S", bound=Subscription)


class JobWatcher:
    """The shared poll of one client (see the module docstring); `AsyncClient.watcher`."""

    def __init__(
        self,
        client: AsyncClient,
        *,
        lookups_per_poll: int = LOOKUPS_PER_POLL,
        telemetry: WatcherTelemetry | None = None,
    ) -> None:
        if telemetry is None:
            from s3m_grpc.telemetry import WATCHER

            telemetry = WATCHER
        self.client = client
        self.lookups_per_poll = lookups_per_poll
        self.telemetry = telemetry
        self._jobs: dict[str, _Tracked] = {}
        self._subs: dict[Subscription, None] = {}
        self._whole_queue = 0  # subscriptions following every job
        self._compound = 0  # followed ids of array tasks / het components
        self._missing: dict[str, None] = {}  # followed jobs not in the listing, in turn order
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._last_poll: float | None = None
        self._next_poll = 0.0
        self._polling = False
        self._newcomer_interval = math.inf  # the pace owed to subscriptions added mid-poll
        self.polls = 0

    # -- who follows what ------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the poll task is alive (it is while anyone follows a job)."""
        return self._task is not None and not self._task.done()

    @property
    def watched(self) -> int:
        """How many jobs are followed now."""
        return len(self._jobs)

    def states(self, ids: Iterable[str]) -> dict[str, str]:
        """The latest state text of each followed job in `ids` that the watcher has seen."""
        out = {}
        for job_id in ids:
            t = self._jobs.get(job_id)
            if t is not None:
                out[job_id] = t.state_text
        return out

    def wait(
        self, ids: Iterable[str], settings: WaitSettings, progress: WaitProgress | None = None
    ) -> _Queued:
        """A subscription that yields one event per job, when it finishes."""
        return self._add(_Queued(self, ids, settings, progress, finished_only=True))

    def stream(self, ids: Iterable[str] | None, settings: WaitSettings) -> _Queued:
        """A subscription that yields every state change of `ids` (every queued job if None)."""
        return self._add(_Queued(self, ids, settings, finished_only=False))

    def on_change(
        self,
        callback: Callable[[JobEvent], object],
        ids: Iterable[str] | None,
        settings: WaitSettings,
        on_error: Callable[[BaseException], object] | None = None,
    ) -> Subscription:
        """A subscription that calls `callback(event)` on every state change, and
        `on_error(exc)` if the watcher gives up on it."""
        return self._add(_Callback(self, ids, settings, callback, on_error))

    def _add(self, sub: S) -> S:
        if sub.ids == ():
            sub.closed = True
            sub._wake()
            return sub
        self._subs[sub] = None
        if sub.ids is None:
            self._whole_queue += 1
        now = time.monotonic()
        known: list[_Tracked] = []
        for job_id in sub.ids or ():
            t = self._jobs.get(job_id)
            if t is None:
                t = self._jobs[job_id] = _Tracked(job_id)
                self._compound += not job_id.isdigit()
                self._track(1)
            elif t.listed:
                t.listed = False
            t.subs.append(sub)
            if t.state_raw is not None:
                known.append(t)
        if sub.ids is None:
            known = [t for t in self._jobs.values() if t.state_raw is not None]
        for t in known:  # what the watcher already knows, at once
            sub.seen(t.job_id, t.state_text)
            if t.info is not None:
                sub.event(JobEvent(t.job_id, None, t.info.state, t.info))
            elif not sub.finished_only:
                t.owed.append(sub)
        if sub.closed:
            return sub
        # A newcomer gets its first poll within its own poll_interval.
        if self._polling:
            self._newcomer_interval = min(self._newcomer_interval, sub.settings.poll_interval)
        first = now if self._last_poll is None else self._last_poll + sub.settings.poll_interval
        if first < self._next_poll:
            self._next_poll = first
            self._wake.set()
        if not self.running:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="s3m-watcher")
        return sub

    def _remove(self, sub: Subscription) -> None:
        if self._subs.pop(sub, 0) is None:
            if sub.ids is None:
                self._whole_queue -= 1
                if not self._whole_queue:
                    for job_id in [j for j, t in self._jobs.items() if t.listed]:
                        self._forget(job_id)
            for job_id in sub.ids or ():
                t = self._jobs.get(job_id)
                if t is None:
                    continue
                with contextlib.suppress(ValueError):
                    t.subs.remove(sub)
                if not t.subs:
                    if self._whole_queue:
                        t.listed = True
                    else:
                        self._forget(job_id)
        if not self._subs and self._task is not None:
            task, self._task = self._task, None
            if task is not asyncio.current_task():
                task.cancel()

    def _forget(self, job_id: str) -> None:
        if self._jobs.pop(job_id, None) is not None:
            self._compound -= not job_id.isdigit()
            self._missing.pop(job_id, None)
            self._track(-1)

    def _track(self, delta: int) -> None:
        if self.telemetry is not None:
            self.telemetry.watched(delta)

    async def close(self) -> None:
        """End every subscription (a wait still running raises `S3MError`) and the poll task
        (the client closes its watcher)."""
        closed = S3MError("the client was closed while following jobs; the jobs keep running")
        for sub in list(self._subs):
            sub.fail(closed)
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- the poll --------------------------------------------------------------------------

    def _pace(self) -> tuple[float, float, float]:
        """poll_interval, max_interval and the Retry-After cap of the most eager subscription."""
        settings = [s.settings for s in self._subs] or [WaitSettings()]
        return (
            min(s.poll_interval for s in settings),
            min(s.max_interval for s in settings),
            min(s.max_retry_after for s in settings),
        )

    async def _run(self) -> None:
        failing_since: float | None = None
        pace = self._pace()
        delays = backoff(pace[0], pace[1])
        try:
            while self._subs:
                await self._until_next_poll()
                if not self._subs:
                    return
                pause: float | None = None
                self._polling = True
                try:
                    changed = await self._poll()
                except OUTAGE_ERRORS as exc:
                    now = time.monotonic()
                    failing_since = now if failing_since is None else failing_since
                    self._outage(exc, failing_since, now)
                    if isinstance(exc, RateLimitedError):
                        pause = retry_after_pause(exc, pace[2])
                    changed = False
                except S3MError as exc:  # an answer that is "no" (auth, permission ...)
                    for sub in list(self._subs):
                        sub.fail(exc)
                    return
                else:
                    failing_since = None
                finally:
                    self._polling = False
                if self._pace() != pace or changed:
                    pace = self._pace()
                    delays = backoff(pace[0], pace[1])
                if pause is None:
                    pause = min(next(delays), self._newcomer_interval)
                self._newcomer_interval = math.inf
                self._last_poll = time.monotonic()
                self._next_poll = self._last_poll + pause
        except Exception as exc:  # a bug: fail the subscriptions rather than hang them
            log.exception("the job watcher stopped")
            for sub in list(self._subs):
                sub.fail(exc)

    async def _until_next_poll(self) -> None:
        while True:
            self._wake.clear()
            left = self._next_poll - time.monotonic()
            if left <= 0:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), left)

    def _outage(self, exc: S3MError, failing_since: float, now: float) -> None:
        for sub in list(self._subs):
            if now - max(failing_since, sub.started) >= sub.settings.outage_grace:
                sub.fail(exc)
            else:
                sub.note(f"{exc}; still waiting")

    async def _poll(self) -> bool:
        """One `GetJobs`, then `GetJob` for a few followed jobs missing from it; True if a
        followed job's state changed."""
        self.polls += 1
        client = self.client
        self._count("GetJobs")
        reply = await client._stub.get_jobs(client.messages.Empty(), reader=READER)
        listed = listing(reply)
        changes, seen = self._read(listed)
        large = len(listed) >= RELEASE_AFTER_JOBS
        # The changed jobs are copies: the listing goes before their views are built, and is
        # not kept while the look-ups run. It is freed once this task yields: until then the
        # future that brought it is held by the event loop's current step.
        del reply, listed
        await asyncio.sleep(0)
        if large:
            release_freed_memory()  # else the process grows with each large listing
        self._apply(changes)
        return await self._look_up(seen) or bool(changes)

    def _read(self, listed: Lean | Decoded) -> tuple[list[_Change], set[str]]:
        """The followed jobs whose state the listing changes, and the ids it showed."""
        jobs = self._jobs
        whole = self._whole_queue > 0
        compound = self._compound > 0
        changes: list[_Change] = []
        seen: set[str] = set()
        for job, source in listed:
            state: tuple[str, ...] | None = None
            change: _Change | None = None
            for key in _listing_key(job, compound):
                t = jobs.get(key)
                if t is None:
                    if not whole or key != str(job.job_id):
                        continue
                    t = jobs[key] = _Tracked(key, listed=True)
                    self._track(1)
                seen.add(key)
                if state is None:
                    state = tuple(job.job_state)
                if state != t.state_raw or t.owed:
                    if change is None:
                        change = _Change(state)
                        changes.append(change)
                    wants = whole or bool(t.owed) or self._wants_view(t, state)
                    if wants and change.later is None:
                        change.later = listed.later(source)
                    change.tracked.append((t, wants))
        return changes, seen

    def _apply(self, changes: list[_Change]) -> None:
        """Note each change; deliver it, with the job's view, to whoever takes it now."""
        for change in changes:
            info: JobInfo | None = None
            for t, wants in change.tracked:
                if wants and info is None and change.later is not None:
                    info = change.later()
                if info is None:
                    self._passed(t, change.state)
                elif change.state == t.state_raw:  # the same state, for the subscriptions owed it
                    self._settle(t, info)
                else:
                    self._update(t, info)

    async def _look_up(self, seen: set[str]) -> bool:
        """Resolve up to `lookups_per_poll` followed jobs the listing did not show, in turn."""
        gone = []
        for job_id, t in self._jobs.items():
            if t.listed and job_id not in seen:
                gone.append(job_id)  # left the queue; only the whole-queue watch followed it
            elif job_id in seen or t.finished or t.listed:
                self._missing.pop(job_id, None)
            elif job_id not in self._missing:
                self._missing[job_id] = None
        for job_id in gone:
            self._forget(job_id)
        turn = list(self._missing)[: self.lookups_per_poll]
        if not turn:
            return False
        for job_id in turn:  # to the back of the line
            del self._missing[job_id]
            self._missing[job_id] = None
            self._count("GetJob")
        found = await asyncio.gather(
            *(self.client.job_records(j) for j in turn), return_exceptions=True
        )
        changed = False
        outage: BaseException | None = None
        for job_id, result in zip(turn, found, strict=True):
            tracked = self._jobs.get(job_id)
            if tracked is None:
                continue
            t = tracked
            if isinstance(result, NotFoundError):
                self._not_found(t, result)
            elif isinstance(result, OUTAGE_ERRORS):
                outage = result
            elif isinstance(result, S3MError):
                for sub in list(t.subs):
                    sub.fail(result)
            elif isinstance(result, BaseException):
                raise result
            else:
                head = head_job(result, job_id)
                if head is not None and head.state_raw != t.state_raw:
                    self._update(t, head)
                    changed = True
                elif head is not None and t.owed:
                    self._settle(t, head)
                if t.finished:
                    self._missing.pop(job_id, None)
        if outage is not None and not changed:
            raise outage
        return changed

    def _not_found(self, t: _Tracked, exc: NotFoundError) -> None:
        """Neither the queue nor accounting knows the job: tolerated for `not_found_grace`
        from each subscription's start (accounting may lag right after a submit)."""
        now = time.monotonic()
        for sub in list(t.subs):
            if now - sub.started > sub.settings.not_found_grace:
                sub.fail(exc)
            else:
                sub.seen(t.job_id, SUBMITTED)

    @staticmethod
    def _wants_view(t: _Tracked, state: tuple[str, ...]) -> bool:
        """Whether a state change of `t` is delivered now (else only its waits see it, when
        the job has finished)."""
        return is_finished(state) or any(not sub.finished_only for sub in t.subs)

    def _passed(self, t: _Tracked, state: tuple[str, ...]) -> None:
        """A state change nobody takes an event for: noted, without a view."""
        t.state_raw, t.info = state, None
        for sub in t.subs:
            sub.seen(t.job_id, t.state_text)

    def _settle(self, t: _Tracked, info: JobInfo) -> None:
        """The view of the state `t` is in: the first event of each subscription owed one."""
        t.info, owed, t.owed = info, t.owed, []
        for sub in owed:
            if not sub.closed:
                sub.event(JobEvent(t.job_id, None, info.state, info))

    def _update(self, t: _Tracked, info: JobInfo) -> None:
        old = base_state_of(t.state_raw) if t.state_raw is not None else None
        t.state_raw, t.info, t.owed = info.state_raw, info, []
        event = JobEvent(t.job_id, old, info.state, info)
        text = t.state_text
        targets = list(t.subs)
        if self._whole_queue:
            targets += [s for s in self._subs if s.ids is None]
        for sub in targets:
            sub.seen(t.job_id, text)
            sub.event(event)

    def _count(self, method: str) -> None:
        if self.telemetry is not None:
            self.telemetry.poll(method)
