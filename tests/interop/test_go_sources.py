"""The Go interop programs: gofmt-clean, vetted (vet runs in every build), strict at start."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.interop import gobuild
from tests.interop.goprocs import CANNED_DIR, GoProcessError, GoServer

pytestmark = pytest.mark.go


def test_go_sources_are_gofmt_clean(go_programs: gobuild.GoPrograms) -> None:
    assert gobuild.unformatted_go_sources() == []


def test_build_gives_both_programs(go_programs: gobuild.GoPrograms) -> None:
    assert go_programs.server.is_file()
    assert go_programs.client.is_file()


def test_go_server_refuses_canned_replies_that_do_not_fit(
    go_programs: gobuild.GoPrograms, tmp_path: Path
) -> None:
    canned = json.loads((CANNED_DIR / "v0.0.43.json").read_text())
    canned["GetJobs"]["jobs"][0]["no_such_field"] = 1
    (tmp_path / "v0.0.43.json").write_text(json.dumps(canned))
    for fine in ("v0.0.42.json", "v0.0.44.json"):
        shutil.copy(CANNED_DIR / fine, tmp_path / fine)
    with (
        pytest.raises(GoProcessError, match=r'v0\.0\.43 GetJobs.*unknown field "no_such_field"'),
        GoServer(go_programs.server, token="t", readonly_token="r", canned_dir=tmp_path),
    ):
        pytest.fail("the Go server started with a canned reply that does not fit the protos")
