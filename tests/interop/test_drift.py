"""Break a scratch copy of the protos on purpose; the interop run and buf breaking must notice.

This is the evidence that the interop tests are not vacuous: the same checks that pass on
protos/ fail on a copy with one renamed field, one renumbered field or a renamed package, in
both directions (Python client → drifted Go server, drifted Go client → Python server).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from s3m_grpc.server import LocalServer
from tests.interop import bufcheck, drift, gobuild
from tests.interop.conftest import Tokens


def _mutation_ids() -> list[str]:
    return [m.id for m in drift.MUTATIONS]


@pytest.mark.go
@pytest.mark.parametrize("mutation", drift.MUTATIONS, ids=_mutation_ids())
async def test_python_client_against_drifted_go_server_fails(
    go_programs: gobuild.GoPrograms, go_tokens: Tokens, tmp_path: Path, mutation: drift.Mutation
) -> None:
    # The unbroken build passes the very same run.
    assert (
        await drift.python_client_problems(go_programs, go_tokens.token, go_tokens.readonly) == []
    )

    broken = gobuild.build_programs(drift.scratch_protos(tmp_path, mutation), vet=False)
    problems = await drift.python_client_problems(broken, go_tokens.token, go_tokens.readonly)

    text = "\n".join(problems)
    expected = {
        # The Go server reads the canned contract JSON with the drifted name and refuses it.
        "rename-field": 'unknown field "name"',
        # Go sends job_id under tag 8; Python reads tag 5 and finds nothing.
        "renumber-field": "PostJobSubmit reply $.job_id: missing",
        # Python calls /olcf.s3m.slurm.v0044.SlurmIndirect/GetJobs, which Go no longer serves.
        "rename-package": "v0.0.44 GetJobs: UNIMPLEMENTED",
    }[mutation.id]
    assert expected in text, text


@pytest.mark.go
@pytest.mark.parametrize("mutation", drift.MUTATIONS, ids=_mutation_ids())
def test_drifted_go_client_against_python_server_fails(
    go_programs: gobuild.GoPrograms,
    local_server: LocalServer,
    tmp_path: Path,
    mutation: drift.Mutation,
) -> None:
    broken = gobuild.build_programs(drift.scratch_protos(tmp_path, mutation), vet=False)
    problems = drift.go_client_problems(broken, local_server.grpc_target, local_server.token)

    text = "\n".join(problems)
    expected = {
        # Go prints the job's name under the drifted JSON name; ours reads "name" and misses it.
        "rename-field": "v0.0.43 GetJobs reply $.jobs[0].name: missing",
        # Python sends job_id under tag 5; the drifted Go reads tag 8 and finds nothing.
        "renumber-field": "v0.0.44 PostJobSubmit reply $.job_id: missing",
        # Go calls /olcf.s3m.slurm.v0044b.SlurmIndirect/..., which Python does not serve.
        "rename-package": "v0.0.44 GetJobs: UNIMPLEMENTED",
    }[mutation.id]
    assert expected in text, text


@pytest.mark.skipif(bufcheck.buf_binary() is None, reason="buf (buf-bin) missing")
@pytest.mark.parametrize("mutation", drift.MUTATIONS, ids=_mutation_ids())
def test_buf_breaking_reports_drift(tmp_path: Path, mutation: drift.Mutation) -> None:
    ws = bufcheck.workspace(tmp_path)
    mutation.apply(ws / "protos")
    result = bufcheck.breaking(ws)
    assert result.returncode == 100, result.stdout + result.stderr
    rules = {json.loads(line)["type"] for line in result.stdout.splitlines() if line}
    assert mutation.buf_rule in rules, rules
