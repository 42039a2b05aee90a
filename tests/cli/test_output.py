"""Tables, human times, and the progress line (terminal and plain)."""

from __future__ import annotations

import io
import json
import re
import time

import yaml

from s3m_grpc.cli.output import format_timestamp, job_detail, jobs_table, render, table
from s3m_grpc.cli.progress import Progress

NOW = time.mktime((2026, 11, 26, 12, 0, 0, 0, 0, -1))

QUEUE = {
    "jobs": [
        {
            "job_id": 7,
            "name": "a-rather-long-job-name",
            "user_name": "alice",
            "partition": "batch",
            "job_state": ["RUNNING"],
            "state_reason": "None",
            "start_time": {"set": True, "number": int(NOW) - 3725},
            "submit_time": {"set": True, "number": int(NOW) - 4000},
            "time_limit": {"set": True, "number": 120},
            "node_count": {"set": True, "number": 2},
        },
        {
            "job_id": 12345,
            "name": "x",
            "user_name": "bob",
            "partition": "gpu",
            "job_state": ["PENDING"],
            "state_reason": "Resources",
            "time_limit": {"set": True, "infinite": True},
        },
    ]
}


def test_jobs_table_is_aligned_and_human() -> None:
    lines = jobs_table(QUEUE, now=NOW).splitlines()
    header = lines[0]
    assert header.split() == [
        "JOBID", "PARTITION", "NAME", "USER", "STATE", "TIME", "LIMIT", "NODES", "SUBMITTED",
        "REASON",
    ]  # fmt: skip
    state_col = header.index("STATE")
    assert lines[1][state_col:].startswith("RUNNING")
    assert lines[2][state_col:].startswith("PENDING")
    assert "1:02:05" in lines[1]  # elapsed
    assert "2:00:00" in lines[1]  # limit
    assert "UNLIMITED" in lines[2]
    assert lines[2].rstrip().endswith("Resources")
    assert "10:53:20" in lines[1]  # submitted today: time of day only


def test_table_pads_columns() -> None:
    text = table(("A", "B"), [("xxx", "1"), ("y", "22")])
    assert text.splitlines() == ["A    B", "xxx  1", "y    22"]


def test_timestamps_today_this_year_and_older() -> None:
    assert format_timestamp(NOW - 60, NOW) == "11:59:00"
    assert format_timestamp(NOW - 30 * 86400, NOW).startswith("Oct 27")
    assert format_timestamp(NOW - 400 * 86400, NOW).startswith("2025-")
    assert format_timestamp(0, NOW) == ""


def test_job_detail_from_accounting_shape() -> None:
    reply = {
        "jobs": [
            {
                "job_id": 9,
                "name": "hello",
                "state": {"current": ["COMPLETED"], "reason": "None"},
                "time": {"start": int(NOW) - 65, "end": int(NOW) - 5, "elapsed": 60},
                "exit_code": {"status": ["SUCCESS"], "return_code": {"set": True, "number": 0}},
                "stdout_expanded": "/home/a/hello-9.out",
            }
        ]
    }
    text = job_detail(reply, now=NOW)
    assert "state:" in text
    assert "COMPLETED" in text
    assert re.search(r"^elapsed:\s+1:00$", text, re.M)
    assert "/home/a/hello-9.out" in text
    assert "reason" not in text  # "None" is left out


def test_json_and_yaml_are_the_dict_unchanged() -> None:
    assert json.loads(render(QUEUE, "json", "jobs")) == QUEUE
    assert yaml.safe_load(render(QUEUE, "yaml", "jobs")) == QUEUE


def test_progress_plain_lines_only_on_change() -> None:
    out = io.StringIO()
    progress = Progress(out, interactive=False)
    for state in ("PENDING", "PENDING", "RUNNING", "RUNNING", "COMPLETED"):
        progress.update("5", state)
        progress.tick()
    progress.finish()
    lines = out.getvalue().splitlines()
    assert [line.split("] ", 1)[1] for line in lines] == [
        "job 5 PENDING",
        "job 5 RUNNING",
        "job 5 COMPLETED",
    ]
    assert "\r" not in out.getvalue()


def test_progress_on_a_terminal_redraws_one_line() -> None:
    out = io.StringIO()
    progress = Progress(out, interactive=True)
    progress.update("5", "PENDING")
    progress.tick()
    progress.tick()
    progress.update("5", "RUNNING")
    progress.finish()
    text = out.getvalue()
    assert text.count("\r\x1b[2K") >= 4
    assert "waiting: 5 PENDING" in text
    assert "job 5 RUNNING\n" in text
    assert text.endswith("\r\x1b[2K")


def test_elapsed_of_an_accounting_record_without_elapsed() -> None:
    from s3m_grpc.cli.output import job_elapsed

    running = {"state": {"current": ["RUNNING"]}, "time": {"start": int(NOW) - 90, "end": 0}}
    ended = {
        "state": {"current": ["FAILED"]},
        "time": {"start": int(NOW) - 90, "end": int(NOW) - 30},
    }
    assert job_elapsed(running, NOW) == 90
    assert job_elapsed(ended, NOW) == 60


def test_diag_dates_are_human() -> None:
    from s3m_grpc.cli.output import diag_text

    reply = {
        "statistics": {"req_time": int(NOW) - 5, "jobs_running": 3, "rpcs_by_message_type": []}
    }
    assert diag_text(reply, now=NOW).splitlines() == ["req time:     11:59:55", "jobs running: 3"]
