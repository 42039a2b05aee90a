"""Adding an API version is adding its proto and regenerating: nothing hand-written changes.

A scratch copy of the tree gets the v0.0.44 proto again as v0.0.45; after `scripts/generate`
there, the local server serves v0.0.45 and the client speaks it, over gRPC and REST, from the
generated registry alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCENARIO = textwrap.dedent(
    """
    import asyncio
    from s3m_grpc import versions
    from s3m_grpc.client import Client
    from s3m_grpc.server import LocalServer, ServerConfig

    async def main() -> None:
        api = versions.get("45")
        assert api.name == "v0.0.45" and versions.API_VERSIONS[-1] == "v0.0.45"
        assert api.heterogeneous_submit and api.slurm_version_as_text
        assert not api.older_field_names and not api.deprecated
        config = ServerConfig(resources={"odo": ("v0.0.44", "v0.0.45")})
        async with LocalServer(config) as srv:
            for transport in ("grpc", "rest"):
                async with Client(
                    "odo", version="v0.0.45", transport=transport, token=srv.token,
                    endpoint=srv.grpc_target, rest_url=srv.rest_url, plaintext=True,
                    resources={"odo": ("v0.0.44", "v0.0.45")},
                ) as c:
                    assert c.version == "v0.0.45"
                    assert await c.ping()
                    job = await c.submit("#!/bin/bash\\necho hi\\n", name="v45-" + transport)
                    info = await c.wait(job.job_id, timeout=60)
                    assert info.state.value == "COMPLETED", info
                    assert [j.job_id for j in await c.list_jobs(name="v45-" + transport)] == [
                        job.job_id
                    ]
                    print(transport, "ok", job.job_id, type(info.raw).__module__)

    asyncio.run(main())
    """
)


def test_a_new_version_is_served_from_its_proto_alone(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("protos", "scripts", "s3m_grpc"):
        shutil.copytree(ROOT / part, tree / part, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    old = tree / "protos/olcf/s3m/slurm/v0044"
    new = tree / "protos/olcf/s3m/slurm/v0045"
    new.mkdir()
    text = (old / "slurm.proto").read_text()
    (new / "slurm.proto").write_text(text.replace("v0044", "v0045").replace("v0.0.44", "v0.0.45"))

    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, str(tree / "scripts/generate")], cwd=tree, env=env, check=True)
    # Only generated files changed in the scratch tree's package.
    assert (tree / "s3m_grpc/slurm/v0045/_service.py").is_file()
    assert 'name="v0.0.45"' in (tree / "s3m_grpc/slurm/_registry.py").read_text()

    done = subprocess.run(
        [sys.executable, "-c", SCENARIO],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "grpc ok" in done.stdout
    assert "rest ok" in done.stdout
    assert "s3m_grpc._pb.olcf.s3m.slurm.v0045" in done.stdout
