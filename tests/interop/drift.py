"""Deliberate proto drift, applied to scratch copies of protos/, to show the checks catch it.

Each mutation is a change a careless edit could make: a renamed field (its JSON name moves),
a renumbered field (its wire tag moves), a renamed proto package (every method path moves).
The drift tests build the Go programs from the broken copy and expect both the interop run and
buf breaking to fail. (Renaming or deleting one RPC is a gap of WIRE_JSON that only the
interop run catches.)
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import grpc.aio

from tests.interop import goside, pyside
from tests.interop.gobuild import GoPrograms, build_programs
from tests.interop.goprocs import GoCall, GoProcessError, GoResult, GoServer, run_go_client

ROOT = Path(__file__).resolve().parents[2]

# The versions the drift cases mutate and check (v0.0.42 adds build time and no new case).
DRIFT_VERSIONS = ("v0.0.43", "v0.0.44")


@dataclass(frozen=True)
class Mutation:
    """Replace `old` by `new` (exactly one occurrence) in one proto file."""

    id: str
    proto: str
    old: str
    new: str
    # The buf breaking rule (of buf.yaml's WIRE_JSON set) that must report it.
    buf_rule: str

    def apply(self, proto_root: Path) -> None:
        path = proto_root / self.proto
        text = path.read_text()
        if text.count(self.old) != 1:
            raise AssertionError(f"{self.id}: {self.old!r} is not unique in {self.proto}")
        path.write_text(text.replace(self.old, self.new))


V0043 = "olcf/s3m/slurm/v0043/slurm.proto"
V0044 = "olcf/s3m/slurm/v0044/slurm.proto"

MUTATIONS = (
    # SlurmJobDescription.name: JSON name "name" becomes "jobName"; the wire tag stays 65.
    Mutation(
        "rename-field",
        V0043,
        "  string name = 65;\n",
        "  string job_name = 65;\n",
        "FIELD_SAME_JSON_NAME",
    ),
    # JobSubmitResp.job_id moves from tag 5 to tag 8; its names stay.
    Mutation(
        "renumber-field",
        V0044,
        '  optional int32 job_id = 5 [json_name = "job_id"];\n',
        '  optional int32 job_id = 8 [json_name = "job_id"];\n',
        "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
    ),
    # Every v0.0.44 method path moves to /olcf.s3m.slurm.v0044b.SlurmIndirect/...; Go code
    # written against the protos still compiles (go_package is unchanged), the wire does not.
    Mutation(
        "rename-package",
        V0044,
        "package olcf.s3m.slurm.v0044;\n",
        "package olcf.s3m.slurm.v0044b;\n",
        "FILE_SAME_PACKAGE",
    ),
)


def scratch_protos(into: Path, mutation: Mutation) -> Path:
    """A copy of protos/ under `into` with `mutation` applied."""
    root = into / "protos"
    shutil.copytree(ROOT / "protos", root)
    mutation.apply(root)
    return root


def prebuild() -> None:
    """Build the Go programs of every mutation now (the tests then find them cached)."""
    for mutation in MUTATIONS:
        with tempfile.TemporaryDirectory() as tmp:
            build_programs(scratch_protos(Path(tmp), mutation), vet=False)


async def python_client_problems(programs: GoPrograms, token: str, readonly: str) -> list[str]:
    """Every difference our Python client sees against a Go server built by `programs`."""
    try:
        with GoServer(programs.server, token=token, readonly_token=readonly) as server:
            problems: list[str] = []
            async with grpc.aio.insecure_channel(server.target) as channel:
                for version in DRIFT_VERSIONS:
                    for method in pyside.METHODS:
                        problems += await pyside.round_trip_problems(
                            channel, version, method, token
                        )
            return problems
    except GoProcessError as exc:
        return [str(exc)]


def go_client_problems(
    programs: GoPrograms, target: str, token: str, versions: Sequence[str] = DRIFT_VERSIONS
) -> list[str]:
    """Every difference between Go's view and ours when the Go client of `programs` calls the
    Python server at `target`: each version submits a job, then calls the other eight methods."""
    problems: list[str] = []

    def collect(calls: list[GoCall]) -> list[GoResult]:
        results = run_go_client(programs.client, target, calls)
        for call, result in zip(calls, results, strict=True):
            if result.code != grpc.StatusCode.OK:
                where = f"{call.version} {call.method}"
                problems.append(f"{where}: {result.code.name}: {result.message}")
            else:
                problems.extend(goside.wire_problems(call, result))
        return results

    def md(version: str) -> list[tuple[str, str]]:
        return [("authorization", token), ("olcf-resource", pyside.RESOURCES[version])]

    submits = [
        GoCall(v, "PostJobSubmit", md(v), goside.submit_request(v, "drift")) for v in versions
    ]
    job_ids = [str((r.reply or {}).get("job_id", 0)) for r in collect(submits)]
    reads = [
        GoCall(v, m, md(v))
        for v in versions
        for m in ("Ping", "GetDiag", "GetJobs", "GetNodes", "GetPartitions", "GetReservations")
    ]
    for version, job_id in zip(versions, job_ids, strict=True):
        reads.append(GoCall(version, "GetJob", md(version), {"job_id": job_id}))
        reads.append(
            GoCall(version, "DeleteJob", md(version), {"job_id": job_id, "signal": "SIGKILL"})
        )
    collect(reads)
    return problems
