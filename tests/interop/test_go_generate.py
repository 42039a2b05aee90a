"""The two documented ways to generate Go code agree: scripts/go-generate (which every Go
interop build runs) and `buf generate` with buf.gen.yaml. Both write the same files for every
API version; they differ only where buf's compiler is not protoc (its version line, and the
order of options inside the embedded descriptor bytes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.interop import bufcheck, gobuild

pytestmark = pytest.mark.go

VERSIONS = ("v0042", "v0043", "v0044")


def comparable(path: Path) -> list[str]:
    """The generated Go source without protoc's version line and raw descriptor bytes."""
    return [
        line
        for line in path.read_text().splitlines()
        if not line.startswith(("// \tprotoc ", "\t0x"))
    ]


def test_buf_gen_yaml_writes_what_go_generate_writes(
    go_programs: gobuild.GoPrograms, tmp_path: Path
) -> None:
    if bufcheck.buf_binary() is None:
        pytest.fail("buf (buf-bin, a dev dependency) is missing")
    env = {**os.environ, "PYTHON": sys.executable}
    script, via_buf = tmp_path / "script", tmp_path / "buf"
    subprocess.run([str(gobuild.GO_GENERATE), str(script)], cwd=gobuild.ROOT, env=env, check=True)
    subprocess.run(
        [str(gobuild.ROOT / "scripts" / "buf"), "generate", "-o", str(via_buf)],
        cwd=gobuild.ROOT,
        env=env,
        check=True,
    )
    via_buf = via_buf / "build" / "go"  # buf.gen.yaml's `out`, under -o
    files = sorted(str(p.relative_to(script)) for p in script.rglob("*.go"))
    assert files == sorted(str(p.relative_to(via_buf)) for p in via_buf.rglob("*.go"))
    for version in VERSIONS:
        assert f"github.com/olcf/s3m-apis/slurm/{version}/slurm_grpc.pb.go" in files
    for name in files:
        assert comparable(script / name) == comparable(via_buf / name), name
