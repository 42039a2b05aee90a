"""The Go interop programs are gofmt-clean and pass `go vet` (vet runs in every build)."""

from __future__ import annotations

import pytest

from tests.interop import gobuild

pytestmark = pytest.mark.go


def test_go_sources_are_gofmt_clean(go_programs: gobuild.GoPrograms) -> None:
    assert gobuild.unformatted_go_sources() == []


def test_build_gives_both_programs(go_programs: gobuild.GoPrograms) -> None:
    assert go_programs.server.is_file()
    assert go_programs.client.is_file()
