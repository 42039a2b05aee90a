"""The `s3m` command line (see `docs/cli.md`); `main` is the console-script entry point."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Run `s3m` (imports the click app only now, so importing this package stays cheap)."""
    from s3m_grpc.cli.app import main as run

    run(argv)
