"""S3MProvider end to end: Parsl's HighThroughputExecutor runs its worker pools as S3M jobs on a
local server (the simulator really runs each pilot script, and the pool connects back over
loopback)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from s3m_grpc import Client
from s3m_grpc.jobs import JobInfo
from s3m_grpc.server import LocalServer
from s3m_grpc.states import TERMINAL, JobState
from tests.many.conftest import Calls
from tests.workflows.conftest import job_environment

parsl = pytest.importorskip("parsl")

from parsl.app.app import bash_app, python_app  # noqa: E402
from parsl.config import Config  # noqa: E402
from parsl.executors import HighThroughputExecutor  # noqa: E402
from parsl.jobs.states import TERMINAL_STATES  # noqa: E402
from parsl.jobs.states import JobState as ParslState  # noqa: E402

from s3m_grpc.parsl import S3MProvider, parsl_state  # noqa: E402


def provider_on(server: LocalServer, **options: object) -> S3MProvider:
    return S3MProvider(
        "odo",
        endpoint=server.grpc_target,
        token=server.token,
        plaintext=True,
        transport="grpc",
        environment=job_environment(),
        walltime="00:05:00",
        status_polling_interval=1,
        max_poll_interval=1.0,
        **options,  # type: ignore[arg-type]
    )


def until(check: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@python_app
def square(x: int) -> tuple[int, str]:
    import os

    return x * x, os.environ["SLURM_JOB_ID"]


@bash_app
def greet(name: str, stdout: str | None = None) -> str:
    return f"echo hello {name} from job $SLURM_JOB_ID"


@pytest.fixture
def parsl_run(any_server: LocalServer, tmp_path: Path) -> Iterator[S3MProvider]:
    provider = provider_on(any_server, init_blocks=0, min_blocks=0, max_blocks=2)
    config = Config(
        executors=[
            HighThroughputExecutor(
                label="s3m",
                address="127.0.0.1",
                max_workers_per_node=1,
                provider=provider,
                heartbeat_period=1,
                heartbeat_threshold=5,
                encrypted=False,
            )
        ],
        run_dir=str(tmp_path / "runinfo"),
        strategy="htex_auto_scale",
        strategy_period=0.5,
        max_idletime=1.0,
    )
    dfk = parsl.load(config)
    try:
        yield provider
    finally:
        dfk.cleanup()
        parsl.clear()
        provider.close()


def test_htex_blocks_run_apps_and_scale_out_and_in(
    parsl_run: S3MProvider, any_server: LocalServer, tmp_path: Path
) -> None:
    server = any_server
    provider = parsl_run
    assert provider.resources == {}  # 0 blocks until there is work
    futures = [square(i) for i in range(6)]
    out = tmp_path / "greet.out"
    hello = greet("parsl", stdout=str(out))
    results = [f.result(timeout=90) for f in futures]
    assert [r[0] for r in results] == [i * i for i in range(6)]
    assert hello.result(timeout=60) == 0
    assert out.read_text().startswith("hello parsl from job ")
    # The apps ran in S3M jobs this provider submitted: more work than one worker, two blocks.
    ran_in = {job for _, job in results}
    assert ran_in <= set(provider.resources)
    assert len(provider.resources) == 2

    # Idle: the executor scales back in, cancelling both blocks through the provider.
    until(lambda: all(s.terminal for s in provider.status(list(provider.resources))))
    with Client("odo", endpoint=server.grpc_target, token=server.token, plaintext=True) as client:
        for job_id in provider.resources:
            # Real SLURM reports the cancelled job COMPLETING for a moment first.
            until(lambda j=str(job_id): client.get_job(j).finished)
            info = client.get_job(str(job_id))
            assert info.state is JobState.CANCELLED, info


def test_cancel_a_block(server: LocalServer, tmp_path: Path) -> None:
    provider = provider_on(server)
    provider.script_dir = str(tmp_path)
    try:
        job_id = provider.submit("echo started; sleep 60", tasks_per_node=1, job_name="pilot")
        until(lambda: provider.status([job_id])[0].state == ParslState.RUNNING)
        assert provider.cancel([job_id]) == [True]
        assert provider.status([job_id])[0].state == ParslState.CANCELLED
        assert provider.cancel([job_id]) == [True]  # not sent again: it is over
        with Client(
            "odo", endpoint=server.grpc_target, token=server.token, plaintext=True
        ) as client:
            until(lambda: client.get_job(job_id).state is JobState.CANCELLED)
        status = provider.status([job_id])[0]
        assert "started\n" in Path(status.stdout_path or "").read_text()  # under the launcher
        submitted = next(tmp_path.glob("pilot.*.submit")).read_text()
        assert "#SBATCH --nodes=1" in submitted
        assert "sleep 60" in submitted
    finally:
        provider.close()


def test_status_of_a_finished_block_and_an_unknown_id(server: LocalServer, tmp_path: Path) -> None:
    provider = provider_on(server, job_dir=str(tmp_path / "jobs"))
    try:
        ok = provider.submit("true", tasks_per_node=1)
        bad = provider.submit("exit 3", tasks_per_node=1)
        until(lambda: all(s.terminal for s in provider.status([ok, bad])))
        assert [s.state for s in provider.status([ok, bad])] == [
            ParslState.COMPLETED,
            ParslState.FAILED,
        ]
        assert provider.status(["999999"])[0].state == ParslState.UNKNOWN
        assert provider.cancel(["999999"]) == [False]
    finally:
        provider.close()


def test_every_slurm_state_has_a_parsl_state() -> None:
    for state in JobState:
        raw = (state.value,)
        info = JobInfo(0, "", state, raw, "", None, None, None, None, None, "", "", "", "", "",
                       "", "")  # fmt: skip
        mapped = parsl_state(info)
        assert (mapped in TERMINAL_STATES) == (state in TERMINAL), state
    # Ending but not ended: still running for Parsl.
    completing = JobInfo(0, "", JobState.COMPLETED, ("COMPLETED", "COMPLETING"), "", None, None,
                         None, None, None, "", "", "", "", "", "", "")  # fmt: skip
    assert parsl_state(completing) == ParslState.RUNNING


def test_repr_keeps_the_token_out(server: LocalServer) -> None:
    provider = provider_on(server)
    text = repr(provider)
    assert "S3MProvider(" in text
    assert server.token not in text


def test_globus_compute_example_config_loads(tmp_path: Path) -> None:
    """The example endpoint config, read by the endpoint's own loader."""
    utils = pytest.importorskip("globus_compute_endpoint.endpoint.config.utils")
    endpoint_dir = tmp_path / "s3m-endpoint"
    endpoint_dir.mkdir()
    example = Path(__file__).resolve().parents[2] / "examples" / "globus-compute" / "config.py"
    (endpoint_dir / "config.py").write_text(example.read_text())
    config = utils.get_config(endpoint_dir)
    provider = config.engine.executor.provider
    assert isinstance(provider, S3MProvider)
    assert provider.max_blocks == 4
    assert provider.walltime == "01:00:00"
    config.engine.shutdown()


def test_status_of_many_blocks_costs_one_listing_per_poll(server: LocalServer) -> None:
    """Twelve blocks followed at once: the server sees one GetJobs per watcher poll, and no
    per-block GetJob, however often Parsl asks."""
    calls = Calls()
    client = Client(
        "odo",
        endpoint=server.grpc_target,
        token=server.token,
        plaintext=True,
        transport="grpc",
        on_event=calls,
    )
    provider = provider_on(server, client=client, max_blocks=12)
    try:
        ids = [provider.submit("sleep 2", tasks_per_node=1) for _ in range(12)]
        began = time.monotonic()
        polls = 0
        while not all(s.terminal for s in provider.status(ids)):  # Parsl's poller, eagerly
            polls += 1
            assert time.monotonic() - began < 60, "timed out"
            time.sleep(0.05)
        elapsed = time.monotonic() - began
        assert [s.state for s in provider.status(ids)] == [ParslState.COMPLETED] * 12
        assert polls > 12  # status() was asked many times more than there are blocks...
        # ...while the watcher polled at its own pace (1 s, jittered): one listing each.
        assert 1 <= calls.count("GetJobs") <= elapsed / 0.5 + 2
        assert calls.count("GetJob") <= 8  # at most a first look-up of just-submitted jobs
    finally:
        provider.close()
        client.close()
