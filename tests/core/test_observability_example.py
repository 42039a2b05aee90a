"""The console example in docs/observability.md runs and prints spans, metrics and hook lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "otel_console.py"


def test_the_console_example_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLE)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert '"name": "SlurmIndirect/Ping"' in done.stdout
    assert '"name": "s3m.client.call.duration"' in done.stdout
    assert "Ping: ok over grpc" in done.stdout
