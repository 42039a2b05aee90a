"""PSI/J jobs through S3M with the `s3m` executor (see docs/workflows.md).

Reads S3M_ENDPOINT, S3M_TOKEN and S3M_RESOURCE (or pass url="https://host/resource").
"""

import tempfile
from datetime import timedelta
from pathlib import Path

from psij import Job, JobAttributes, JobExecutor, JobSpec, JobState

from s3m_grpc.psij.executor import S3MExecutorConfig


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="psij-s3m-", dir="/tmp"))
    ex = JobExecutor.get_instance(
        "s3m", config=S3MExecutorConfig(work_directory=work / "work", poll_interval=1)
    )
    seen: list[str] = []  # status callbacks run on the client's thread: keep them short
    ex.set_job_status_callback(lambda job, status: seen.append(f"{job.native_id} {status.state}"))
    jobs = [
        Job(
            JobSpec(
                executable="/bin/sh",
                arguments=["-c", f"echo hello from task {i} in job $SLURM_JOB_ID"],
                directory=work,
                stdout_path=work / f"task{i}.out",
                inherit_environment=False,
                attributes=JobAttributes(duration=timedelta(minutes=5)),
            )
        )
        for i in range(3)
    ]
    for job in jobs:
        ex.submit(job)
    for i, job in enumerate(jobs):
        status = job.wait()
        if status is None or status.state != JobState.COMPLETED:
            raise SystemExit(f"job {job.native_id} ended {status}")
        print((work / f"task{i}.out").read_text().strip())
    print("states seen:", ", ".join(seen))
    ex.close()


if __name__ == "__main__":
    main()
