"""What `s3m submit a.sh b.sh ...` and `s3m cancel ID...` print while many jobs go through.

One line per job, in the order given, as soon as that job and every one before it are done
("Submitted batch job N", as sbatch prints; errors on stderr naming the script or job), so a
pipe reads the same lines in the same order every run. On a terminal a progress bar is redrawn
under those lines on stderr; anywhere else nothing else is printed. Failures do not stop the
others; the exit code says whether any failed (`exit_code_of`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, Protocol, TextIO, TypeVar

import click

from s3m_grpc.cli import exitcodes

if TYPE_CHECKING:
    from s3m_grpc.bulk import BulkProgress


class Indexed(Protocol):
    """An outcome that knows its place in the input (`SubmitOutcome`, `CancelOutcome`)."""

    @property
    def index(self) -> int: ...


T = TypeVar("T", bound=Indexed)

BAR_WIDTH = 30


def error_line(label: str, exc: BaseException, verbose: bool) -> int:
    """Print one job's failure as `s3m: error: LABEL: ...` on stderr; return its exit code."""
    click.echo(f"s3m: error: {label}: {exitcodes.describe(exc, verbose)}", err=True)
    return exitcodes.exit_code(exc)


def exit_code_of(codes: Sequence[int]) -> int:
    """The exit code of a batch: 0 if nothing failed, the failures' code if they share one
    (e.g. all 4: not found), else 1."""
    failed = {c for c in codes if c != exitcodes.OK}
    if not failed:
        return exitcodes.OK
    return failed.pop() if len(failed) == 1 else exitcodes.ERROR


class Bar:
    """A progress bar redrawn in place on a terminal (`stream` must be one): done/total, the
    failures and the current pace."""

    def __init__(self, stream: TextIO, total: int, verb: str) -> None:
        self.stream = stream
        self.total = total
        self.verb = verb
        self.started = time.monotonic()
        self._drawn = False

    def draw(self, done: int, failed: int, pace: float | None) -> None:
        filled = BAR_WIDTH * done // max(1, self.total)
        elapsed = max(1e-6, time.monotonic() - self.started)
        parts = [f"{done}/{self.total} {self.verb}", f"{done / elapsed:.1f}/s"]
        if failed:
            parts.append(f"{failed} failed")
        if pace is not None:
            parts.append(f"paced to {pace:.1f}/s")
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stream.write(f"\r\x1b[2K[{bar}] " + ", ".join(parts))
        self.stream.flush()
        self._drawn = True

    def clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._drawn = False


class InOrder(Generic[T]):
    """Shows each outcome (`show`) in input order as soon as all before it are known, keeping
    a terminal's progress bar under the lines."""

    def __init__(self, total: int, show: Callable[[T], None], bar: Bar | None) -> None:
        self._waiting: dict[int, T] = {}
        self._next = 0
        self._total = total
        self._show = show
        self.bar = bar

    def __call__(self, progress: BulkProgress[T]) -> None:
        self._waiting[progress.outcome.index] = progress.outcome
        if self.bar is not None:
            self.bar.clear()
        while self._next in self._waiting:
            self._show(self._waiting.pop(self._next))
            self._next += 1
        if self.bar is not None and progress.done < self._total:
            self.bar.draw(progress.done, progress.failed, progress.pace)
