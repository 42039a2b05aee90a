"""Run `buf breaking` on a proto tree against the committed baseline (protos-baseline/).

The baseline is an image (`buf build` output, JSON) of the protos as last accepted; it moves
only when someone runs protos-baseline/update on purpose. Scratch copies of the protos get a
workspace of their own here, laid out like the repository's (buf.yaml + protos + google/api).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from google.api import annotations_pb2

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "protos-baseline" / "image.json"


def buf_binary() -> str | None:
    """The pinned buf (PyPI buf-bin) beside this Python, else one on PATH."""
    beside = Path(sys.executable).parent / "buf"
    if beside.is_file():
        return str(beside)
    return shutil.which("buf")


def workspace(into: Path, proto_root: Path = ROOT / "protos") -> Path:
    """A buf workspace (the repository's buf.yaml) holding a copy of `proto_root`."""
    shutil.copy(ROOT / "buf.yaml", into / "buf.yaml")
    shutil.copytree(proto_root, into / "protos")
    google_api = into / "build" / "third_party" / "google" / "api"
    google_api.mkdir(parents=True)
    src = Path(annotations_pb2.__file__).resolve().parent
    for name in ("annotations.proto", "http.proto"):
        shutil.copy(src / name, google_api / name)
    return into


def breaking(ws: Path, against: Path = BASELINE) -> subprocess.CompletedProcess[str]:
    """`buf breaking protos --against <baseline>` in workspace `ws` (rules: buf.yaml's)."""
    buf = buf_binary()
    if buf is None:
        raise FileNotFoundError("buf is not installed: pip install -e '.[dev]' (buf-bin)")
    cmd = [buf, "breaking", "protos", "--against", str(against), "--error-format", "json"]
    return subprocess.run(cmd, cwd=ws, capture_output=True, text=True, timeout=120, check=False)
