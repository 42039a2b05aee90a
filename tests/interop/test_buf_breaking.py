"""`buf breaking` (buf.yaml's WIRE_JSON rules) of protos/ against the committed baseline image.

A change that would break Go or REST clients fails here; the baseline moves only through
protos-baseline/update, on purpose (docs/interop.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.interop import bufcheck

pytestmark = pytest.mark.skipif(bufcheck.buf_binary() is None, reason="buf (buf-bin) missing")


def test_protos_do_not_break_the_baseline(tmp_path: Path) -> None:
    result = bufcheck.breaking(bufcheck.workspace(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_baseline_holds_every_api_version() -> None:
    image = json.loads(bufcheck.BASELINE.read_text())
    files = {f["name"]: f for f in image["file"]}
    for version in ("v0042", "v0043", "v0044"):
        proto = files[f"olcf/s3m/slurm/{version}/slurm.proto"]
        [service] = proto["service"]
        assert service["name"] == "SlurmIndirect"
        assert len(service["method"]) == 9
    assert "olcf/s3m/common/v1alpha/headers.proto" in files
