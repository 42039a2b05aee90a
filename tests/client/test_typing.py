"""`mypy --strict` on small user scripts: a misspelled client option is an error, and every
public method of both clients returns a concrete type (no `Any`)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MISSPELLED = """
from s3m_grpc import AsyncClient, Client

blocking = Client("odo", tranport="grpc")
concurrent = AsyncClient("odo", tranport="grpc")
"""

RETURNS = """
import asyncio
from s3m_grpc import AsyncClient, Client

def blocking(c: Client) -> None:
    reveal_type(c.stub)
    reveal_type(c.submit("#!/bin/bash\\ntrue\\n"))
    reveal_type(c.get_job(1))
    reveal_type(c.job_records(1))
    reveal_type(c.list_jobs(state="R", name="a*"))
    reveal_type(c.list_jobs()[0].raw)
    reveal_type(c.cancel(1))
    reveal_type(c.wait(1, timeout=2))
    reveal_type(c.wait_all([1, 2]))
    reveal_type(c.ping())
    reveal_type(c.ping().controllers[0].raw)
    reveal_type(c.partitions())
    reveal_type(c.partitions()[0].raw)
    reveal_type(c.nodes())
    reveal_type(c.reservations())
    reveal_type(c.diag())
    reveal_type(c.diag().raw)
    reveal_type(c.job(1))
    reveal_type(c.as_completed([1, 2]))
    reveal_type(c.watch())
    reveal_type(c.on_change(print, [1]))

async def concurrent(c: AsyncClient) -> None:
    reveal_type(c.stub)
    reveal_type(await c.submit("#!/bin/bash\\ntrue\\n"))
    reveal_type(await c.get_job(1))
    reveal_type(await c.job_records(1))
    reveal_type(await c.list_jobs(state="R", name="a*"))
    reveal_type(await c.cancel(1))
    reveal_type(await c.wait(1, timeout=2))
    reveal_type(await c.wait_all([1, 2]))
    reveal_type(await c.ping())
    reveal_type(await c.partitions())
    reveal_type(await c.nodes())
    reveal_type(await c.reservations())
    reveal_type(await c.diag())
    reveal_type((await c.diag()).raw)
"""


def mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "user_script.py"
    script.write_text(textwrap.dedent(source))
    # From the project root, so the project's mypy settings and cache apply.
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("typing")


def test_misspelled_option_is_a_type_error(tmp: Path) -> None:
    done = mypy(tmp, MISSPELLED)
    errors = [
        line for line in done.stdout.splitlines() if "user_script.py" in line and ": error:" in line
    ]
    assert len(errors) == 2, done.stdout + done.stderr
    for line in errors:
        assert 'Unexpected keyword argument "tranport"' in line, line


def test_every_public_method_returns_a_concrete_type(tmp: Path) -> None:
    done = mypy(tmp, RETURNS)
    revealed = re.findall(r'Revealed type is "(.*)"', done.stdout)
    assert len(revealed) == RETURNS.count("reveal_type"), done.stdout + done.stderr
    own = [line for line in done.stdout.splitlines() if line.startswith(str(tmp))]
    assert not [line for line in own if ": error:" in line], done.stdout
    for text in revealed:
        assert "Any" not in text, text
    expected = [
        "SlurmIndirectStub",
        "s3m_grpc.handles.Job",
        "s3m_grpc.jobs.JobInfo",
        "s3m_grpc.results.Listing[s3m_grpc.jobs.JobInfo,",
        "s3m_grpc.results.Listing[s3m_grpc.jobs.JobInfo,",
        "SlurmJobDescription",
        "s3m_grpc.results.CancelResult",
        "s3m_grpc.jobs.JobInfo",
        "dict[str, s3m_grpc.jobs.JobInfo]",
        "s3m_grpc.results.PingResult",
        "ControllerPingResp",
        "s3m_grpc.results.Listing[s3m_grpc.results.Partition,",
        "SlurmPartitionDescription",
        "s3m_grpc.results.Listing[s3m_grpc.results.Node,",
        "s3m_grpc.results.Listing[s3m_grpc.results.Reservation,",
        "s3m_grpc.results.Diag",
        "DiagResp",
        "s3m_grpc.handles.Job",
        "Iterator[s3m_grpc.jobs.JobInfo]",
        "Iterator[s3m_grpc.watcher.JobEvent]",
        "s3m_grpc.watcher.Subscription",
        "SlurmIndirectStub",
        "s3m_grpc.handles.AsyncJob",
    ]
    for text, want in zip(revealed, expected, strict=False):
        assert want in text, (want, text)
    # The versioned unions name every version's class.
    assert all(v in revealed[0] for v in ("v0042", "v0043", "v0044")), revealed[0]


def test_version_unions_name_every_registered_version() -> None:
    """The unions a type checker reads are written out; the run-time ones come from the
    registry. Both must name every version's class."""
    import typing

    from s3m_grpc import anyversion, versions

    source = Path(anyversion.__file__).read_text()
    static = source[source.index("if TYPE_CHECKING:") : source.index("else:")]
    for alias, cls_name in anyversion.CLASSES.items():
        runtime = typing.get_args(getattr(anyversion, alias))
        assert len(runtime) == len(versions.API_VERSIONS), alias
        definition = static[static.index(f"    {alias}: TypeAlias") :].split("TypeAlias", 2)[1]
        for v in versions.API_VERSIONS:
            short = versions.get(v).module_name.rsplit(".", 1)[-1]
            assert f"{short}.{cls_name}" in definition, (alias, v)
            assert getattr(versions.get(v).module, cls_name) in runtime
