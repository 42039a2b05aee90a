"""The simulated controller's state on disk (SQLite), so a restarted server loses no job.

slurmctld keeps its state in StateSaveLocation; this is the sim's: every job record, the next
job id and the state's lineage (which tags its job processes, `reaper`). Each change is written
before the call that made it answers: a submit's job id is stored with the next id in one
transaction, so after a crash (even `kill -9`) the id is neither lost nor handed out again.
WAL mode with `synchronous=NORMAL` makes a commit survive the process dying (only a power loss
may drop the last ones). One server at a time: the state is locked (`flock`) while open.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import secrets
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from s3m_grpc.errors import UnavailableError
from s3m_grpc.server.sim.jobs import SimJob

SCHEMA = 1
_FIELDS = {f.name for f in dataclasses.fields(SimJob)}


class StateFile:
    """An open, locked state file: load once at start, then `save` what changed."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock: IO[str] | None = _lock(self.path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            with self._db:
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS jobs (job_id INTEGER PRIMARY KEY, record TEXT)"
                )
                self._db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema', ?), ('lineage', ?)",
                    (str(SCHEMA), secrets.token_hex(8)),
                )
        except sqlite3.Error as exc:
            self.close()
            raise UnavailableError(f"cannot open the server state {self.path}: {exc}") from None
        self.lineage = self._meta("lineage") or ""

    def __repr__(self) -> str:
        return f"StateFile({str(self.path)!r})"

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def load(self) -> tuple[int, list[SimJob]]:
        """(the next job id, 0 if none was stored; every stored job in id order)."""
        jobs = [
            _job(json.loads(record))
            for (record,) in self._db.execute("SELECT record FROM jobs ORDER BY job_id")
        ]
        return int(self._meta("next_job_id") or 0), jobs

    def save(self, jobs: Iterable[SimJob], next_job_id: int) -> None:
        """Store `jobs` (whole records) and the next job id, in one transaction."""
        rows = [(job.job_id, json.dumps(_record(job))) for job in jobs]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO jobs VALUES (?, ?)", rows)
            self._db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('next_job_id', ?)", (str(next_job_id),)
            )

    def close(self) -> None:
        with contextlib.suppress(AttributeError, sqlite3.Error):
            self._db.close()
        if self._lock is not None:
            self._lock.close()  # releases the flock
            self._lock = None


def _lock(path: Path) -> IO[str]:
    lock_path = path.with_name(path.name + ".lock")
    fh = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115  (held until close())
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "?"
        fh.close()
        raise UnavailableError(
            f"the server state {path} is in use by another server (pid {holder}); stop it, "
            "or give this one its own state file"
        ) from None
    fh.truncate(0)
    fh.write(f"{os.getpid()}\n")
    fh.flush()
    return fh


def _record(job: SimJob) -> dict[str, Any]:
    out = dataclasses.asdict(job)
    out["host_cwd"] = str(job.host_cwd)
    return out


def _job(record: dict[str, Any]) -> SimJob:
    known = {k: v for k, v in record.items() if k in _FIELDS}
    known["host_cwd"] = Path(known.get("host_cwd", "/"))
    return SimJob(**known)
