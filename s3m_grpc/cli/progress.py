"""The progress line of `s3m wait` and `submit --wait`.

On a terminal: one line redrawn in place with a spinner, the elapsed time and the current state,
and a permanent line for every state change. Anywhere else (pipes, files, CI logs): only the
state changes, one plain line each, so logs stay readable.
"""

from __future__ import annotations

import time
from typing import TextIO

from s3m_grpc.slurmtime import format_duration

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
ASCII_SPINNER = "|/-\\"


class Progress:
    """Reports job states as they are observed."""

    def __init__(self, stream: TextIO, *, interactive: bool | None = None) -> None:
        self.stream = stream
        self.interactive = stream.isatty() if interactive is None else interactive
        encoding = (getattr(stream, "encoding", None) or "ascii").lower()
        self.frames = SPINNER if "utf" in encoding else ASCII_SPINNER
        self.started = time.monotonic()
        self.states: dict[str, str] = {}
        self._tick = 0
        self._drawn = False
        self._last_note = ""

    def elapsed(self) -> str:
        return format_duration(time.monotonic() - self.started)

    def update(self, job_id: str, state: str) -> None:
        """Record the latest state of a job; print a line if it changed."""
        changed = self.states.get(job_id) != state
        self.states[job_id] = state
        self._last_note = ""
        if changed:
            self._line(f"[{self.elapsed()}] job {job_id} {state}")
        if self.interactive:
            self._redraw()

    def note(self, text: str) -> None:
        """A one-off remark (e.g. a lost connection), printed once per distinct text in a row."""
        if text != self._last_note:
            self._last_note = text
            self._line(f"[{self.elapsed()}] {text}")

    def tick(self) -> None:
        """Advance the spinner (terminals only)."""
        if self.interactive:
            self._redraw()

    def finish(self) -> None:
        """Erase the redrawn line so later output starts clean."""
        if self.interactive and self._drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._drawn = False

    def _line(self, text: str) -> None:
        if self.interactive and self._drawn:
            self.stream.write("\r\x1b[2K")
            self._drawn = False
        self.stream.write(text + "\n")
        self.stream.flush()

    def _redraw(self) -> None:
        frame = self.frames[self._tick % len(self.frames)]
        self._tick += 1
        states = ", ".join(f"{j} {s}" for j, s in self.states.items())
        self.stream.write(f"\r\x1b[2K{frame} {self.elapsed()} waiting: {states}")
        self.stream.flush()
        self._drawn = True
