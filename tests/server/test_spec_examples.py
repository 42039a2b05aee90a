"""The S3M docs' curl and Python `requests` examples, run as written against `s3m serve`.

Only the base URL is changed (https://s3m.olcf.ornl.gov → the local server). The examples are
read from the spec page in ../shared at test time and run in spec order by real processes: `curl
-H @.env` with `.env` holding `Authorization: <token>`, and `python` with `S3M_TOKEN` set. The
server numbers jobs from 12345, so the examples' `job/12345` is the job the first submit made.

Two examples cannot run verbatim: the v0.0.43 `requests` submit example is not valid Python
(its headers mix a dict and a set), so the test checks that it does not compile; its v0.0.44
twin compiles but uses JSON's `true`, so it runs with `true = True` defined first.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.serve_process import Served, serve

S3M = "https://s3m.olcf.ornl.gov"
CONFIG = '[backend]\nname = "sim"\nfirst_job_id = 12345\n'


def curl_examples(spec: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    quotes = 0
    for line in spec.splitlines():
        if not cur and not line.startswith("curl "):
            continue
        cur.append(line)
        quotes += line.count("'")
        if not line.rstrip().endswith("\\") and quotes % 2 == 0:
            out.append("\n".join(cur))
            cur, quotes = [], 0
    return out


def requests_examples(spec: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    for line in spec.splitlines():
        if not cur and line != "import os":
            continue
        cur.append(line)
        if line.strip() == 'raise ValueError("Request to S3M failed")':
            out.append("\n".join(cur) + "\n")
            cur = []
    return out


@pytest.fixture(scope="module")
def spec_text(shared: Path) -> str:
    return (shared / "spec" / "s3m-compute-api.txt").read_text()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    srv = serve(tmp_path_factory.mktemp("served"), CONFIG)
    try:
        yield srv
    finally:
        assert srv.stop() == 0, "\n".join(srv.output)


def hello_world_output(srv: Served, job_id: int) -> str:
    path = srv.sandbox / f"lustre/polis/stf040/scratch/user/slurm-{job_id}.out"
    return path.read_text() if path.exists() else ""


def wait_for_output(srv: Served, job_id: int) -> str:
    import time

    for _ in range(250):
        if text := hello_world_output(srv, job_id):
            return text
        time.sleep(0.02)
    return ""


def test_spec_curl_examples(spec_text: str, served: Served, tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed (CI installs it: .ci/setup.d/10-curl.sh)")
    examples = curl_examples(spec_text)
    assert len(examples) == 18
    (tmp_path / ".env").write_text(f"Authorization: {served.token}\n")
    submitted: list[int] = []
    for example in examples:
        command = example.replace(S3M, served.rest_url)
        assert command.count(served.rest_url) == 1
        run = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert run.returncode == 0, f"{example}\n{run.stderr}"
        body = json.loads(run.stdout)
        assert body.get("errors", []) == [], f"{example}\n{run.stdout}"
        if "/job/submit" in example:
            submitted.append(body["job_id"])
        if "-X DELETE" in example:
            assert body["status"][0]["job_id"]["number"] == 12345
    assert len(submitted) == 2
    assert submitted[1] == submitted[0] + 1
    for job_id in submitted:
        assert wait_for_output(served, job_id) == "Hello World\n"


# Runs each example in a fresh namespace of one interpreter (17 interpreters would cost ~10 s)
# and reports what each printed, or the exception it raised.
RUNNER = """
import contextlib, io, json, sys, traceback
results = []
for code in json.load(sys.stdin):
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(code, "example", "exec"), {"__name__": "__main__"})
        results.append({"stdout": buf.getvalue()})
    except BaseException:
        results.append({"stdout": buf.getvalue(), "error": traceback.format_exc()})
print(json.dumps(results))
"""


def test_spec_requests_examples(spec_text: str, served: Served, tmp_path: Path) -> None:
    examples = requests_examples(spec_text)
    assert len(examples) == 18
    runnable: list[str] = []
    for example in examples:
        code = example.replace(S3M, served.rest_url)
        try:
            compile(code, "example", "exec")
        except SyntaxError:
            # The one known-broken example: v0.0.43 submit ({"Authorization": ..., "a: b"}).
            assert "v0.0.43" in example
            assert '"Content-Type: application/json"' in example
            continue
        runnable.append("true = True\n" + code if "true}" in code else code)
    assert len(runnable) == 17
    run = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=json.dumps(runnable),
        cwd=tmp_path,
        env={**os.environ, "S3M_TOKEN": served.token},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    submitted: list[int] = []
    for code, result in zip(runnable, json.loads(run.stdout), strict=True):
        assert "error" not in result, f"{code}\n{result.get('error')}"
        printed = ast.literal_eval(result["stdout"].strip())
        assert printed.get("errors", []) == [], code
        if "/job/submit" in code:
            submitted.append(printed["job_id"])
    assert len(submitted) == 1  # the v0.0.44 one
    assert wait_for_output(served, submitted[0]) == "Hello World\n"
