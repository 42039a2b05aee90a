"""`tests.live.skip`: a skip where inputs are missing locally, a failure when CI requires them."""

from __future__ import annotations

import pytest

from tests import live


def test_skips_locally_and_fails_when_required(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        """
        from tests import live

        def test_needs_a_cluster():
            live.skip("no cluster here")
        """
    )
    monkeypatch.delenv(live.REQUIRE_LIVE, raising=False)
    local = pytester.runpytest("-rs")
    local.assert_outcomes(skipped=1)
    local.stdout.fnmatch_lines(["*no cluster here*"])

    monkeypatch.setenv(live.REQUIRE_LIVE, "1")
    ci = pytester.runpytest()
    ci.assert_outcomes(failed=1)
    ci.stdout.fnmatch_lines(["*no cluster here (not skipped: S3M_REQUIRE_LIVE is set)*"])

    monkeypatch.setenv(live.REQUIRE_LIVE, "0")
    pytester.runpytest().assert_outcomes(skipped=1)
