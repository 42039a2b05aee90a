"""Build the Go interop programs from a proto tree, offline, with Debian's Go packages only.

The Go code generated from `protos/` is not committed: every run generates it with Debian's
protoc, protoc-gen-go and protoc-gen-go-grpc (scripts/go-generate, the recipe documented for Go
consumers), because the point of these tests is to catch a proto that no longer matches the
other side, and that includes scratch copies the drift tests break on purpose. Builds run in
GOPATH mode against /usr/share/gocode (no module proxy) and are cached under build/interop/ by
a hash of every input, so a warm rerun costs nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GO_SOURCES = Path(__file__).resolve().parent / "go"
GO_GENERATE = ROOT / "scripts" / "go-generate"
BUILD_ROOT = ROOT / "build" / "interop"
GOCODE = Path("/usr/share/gocode/src")
WKT_INCLUDE = Path("/usr/include")
GO_IMPORT_ROOT = "s3minterop"
PROTO_FILES = (
    "olcf/s3m/common/v1alpha/headers.proto",
    "olcf/s3m/slurm/v0042/slurm.proto",
    "olcf/s3m/slurm/v0043/slurm.proto",
    "olcf/s3m/slurm/v0044/slurm.proto",
)
TOOLS = ("go", "gofmt", "protoc", "protoc-gen-go", "protoc-gen-go-grpc")
SETUP_HINT = "install them with `sudo bash .ci/setup.d/30-go.sh` (Debian packages)"


class GoBuildError(RuntimeError):
    """Generating or compiling the Go programs failed; the message holds the tool's output."""


@dataclass(frozen=True)
class GoPrograms:
    """The two built binaries."""

    server: Path
    client: Path


def missing_toolchain() -> str | None:
    """Why the Go interop tests cannot run here, or None when everything is installed."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if not (GOCODE / "google.golang.org/grpc").is_dir():
        missing.append("golang-google-grpc-dev")
    if not (GOCODE / "google.golang.org/genproto/googleapis/api/annotations").is_dir():
        missing.append("golang-google-genproto-dev")
    if not (WKT_INCLUDE / "google/protobuf/empty.proto").is_file():
        missing.append("libprotobuf-dev (/usr/include/google/protobuf)")
    if missing:
        return f"Go interop toolchain missing ({', '.join(missing)}): {SETUP_HINT}"
    golang_protobuf = GOCODE / "github.com/golang/protobuf/go.mod"
    if (
        not golang_protobuf.is_file()
        or "google.golang.org/protobuf" not in golang_protobuf.read_text()
    ):
        return (
            "github.com/golang/protobuf is the 1.3 API, which panics on protoc-gen-go 1.28 "
            f"messages: install golang-github-golang-protobuf-1-5-dev; {SETUP_HINT}"
        )
    return None


def go_env(gopath: Path) -> dict[str, str]:
    """Environment for an offline GOPATH-mode build against Debian's Go packages."""
    env = dict(os.environ)
    env.update(
        GO111MODULE="off",
        GOPATH=f"{gopath}:{GOCODE.parent}",
        GOCACHE=str(BUILD_ROOT / "gocache"),
        # -trimpath: cache entries do not depend on the (temporary) build directory, so a
        # scratch build recompiles only the packages whose sources changed.
        GOFLAGS="-trimpath",
        GOPROXY="off",
        GOSUMDB="off",
        GOTOOLCHAIN="local",
        CGO_ENABLED="0",
    )
    return env


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise GoBuildError(
            f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}{proc.stdout}"
        )
    return proc.stdout


def _tool_versions() -> str:
    out = [_run(["go", "version"], cwd=ROOT), _run(["protoc", "--version"], cwd=ROOT)]
    for plugin in ("protoc-gen-go", "protoc-gen-go-grpc"):
        out.append(_run([plugin, "--version"], cwd=ROOT))
    return "".join(out)


def _inputs_digest(proto_root: Path) -> str:
    """Hash of everything a build depends on: protos, Go sources, tool versions."""
    h = hashlib.sha256(_tool_versions().encode() + GO_GENERATE.read_bytes())
    for name in PROTO_FILES:
        h.update(name.encode() + b"\0" + (proto_root / name).read_bytes())
    for path in sorted(GO_SOURCES.rglob("*.go")):
        h.update(str(path.relative_to(GO_SOURCES)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:20]


def generate_go(proto_root: Path, gopath: Path) -> None:
    """Go messages and gRPC stubs under gopath/src, at the protos' go_package paths, made by
    scripts/go-generate: the recipe docs/interop.md gives Go consumers, so these tests run it."""
    env = {**os.environ, "PYTHON": sys.executable}
    _run([str(GO_GENERATE), str(gopath / "src"), str(proto_root)], cwd=ROOT, env=env)


def build_programs(proto_root: Path = ROOT / "protos", *, vet: bool = True) -> GoPrograms:
    """Generate, vet and build s3m-goserver and s3m-goclient for `proto_root` (cached).

    `vet=False` skips `go vet` (the drift tests build broken copies of the same Go sources).
    """
    reason = missing_toolchain()
    if reason is not None:
        raise GoBuildError(reason)
    out = BUILD_ROOT / f"go-{_inputs_digest(proto_root)}"
    programs = GoPrograms(server=out / "bin" / "s3m-goserver", client=out / "bin" / "s3m-goclient")
    if programs.server.is_file() and programs.client.is_file():
        return programs
    BUILD_ROOT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="go-build-", dir=BUILD_ROOT))
    try:
        gopath = work / "gopath"
        generate_go(proto_root, gopath)
        pkg = gopath / "src" / GO_IMPORT_ROOT
        shutil.copytree(GO_SOURCES, pkg)
        env = go_env(gopath)
        if vet:
            _run(["go", "vet", "./..."], cwd=pkg, env=env)
        _run(["go", "build", "-o", str(work / "bin") + "/", "./cmd/..."], cwd=pkg, env=env)
        try:
            work.rename(out)
        except OSError:  # a concurrent build finished first: theirs is as good as ours
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return programs


def unformatted_go_sources() -> list[str]:
    """Go sources that `gofmt -l` would rewrite."""
    listed = _run(["gofmt", "-l", "."], cwd=GO_SOURCES)
    return [line for line in listed.splitlines() if line]


if __name__ == "__main__":  # `python -m tests.interop.gobuild`: build, print where the binaries are
    print(build_programs().server.parent)
