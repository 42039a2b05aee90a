"""Parsl apps on pilot jobs sent through S3M (see docs/workflows.md).

Reads S3M_ENDPOINT, S3M_TOKEN and S3M_RESOURCE; against `s3m serve` the pilots run on this
machine and their worker pools connect back over 127.0.0.1.
"""

import os
import sys
import tempfile
from pathlib import Path

import parsl
from parsl.app.app import bash_app, python_app
from parsl.config import Config
from parsl.executors import HighThroughputExecutor

from s3m_grpc.parsl import S3MProvider


@python_app
def square(x: int) -> int:
    return x * x


@bash_app
def hostname(stdout: str | None = None) -> str:
    return "echo running in SLURM job $SLURM_JOB_ID on $(hostname)"


def main() -> None:
    run_dir = tempfile.mkdtemp(prefix="parsl-s3m-", dir="/tmp")
    provider = S3MProvider(
        partition=os.environ.get("S3M_PARTITION"),
        account=os.environ.get("S3M_ACCOUNT"),
        init_blocks=0,
        min_blocks=0,
        max_blocks=2,
        walltime="00:10:00",
        # Pilot jobs start with no environment: give them the Python that has Parsl.
        environment={"PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin"},
        status_polling_interval=2,
    )
    htex = HighThroughputExecutor(
        label="s3m", address="127.0.0.1", max_workers_per_node=2, provider=provider
    )
    with parsl.load(Config(executors=[htex], run_dir=run_dir, max_idletime=5)):
        print("squares:", [f.result() for f in [square(i) for i in range(10)]])
        out = os.path.join(run_dir, "hostname.out")
        hostname(stdout=out).result()
        print(Path(out).read_text().strip())
    provider.close()


if __name__ == "__main__":
    main()
