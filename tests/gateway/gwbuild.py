"""Builds `s3m-gateway`, a grpc-gateway REST front over our protos, offline, from Debian sid.

Debian 12's grpc-gateway is 1.6 (another error body, another API), so the build runs in a
chroot of Debian sid's Go toolchain with grpc-gateway 2.x, protoc and its plugins: the tarball
`scripts/slurm-rootfs sid go` caches, unpacked once under `$S3M_SLURM_CACHE/go-sid`. protoc
generates the messages, gRPC stubs and gateway handlers of all three versions, and `go build`
(GOPATH mode, Debian's Go sources, no network) links a static binary into build/gateway/, keyed
by a hash of the protos, the Go source and the toolchain's package list.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.interop.gobuild import PROTO_FILES

ROOT = Path(__file__).resolve().parents[2]
GO_SOURCES = Path(__file__).resolve().parent / "go"
OUT_ROOT = ROOT / "build" / "gateway"
CACHE = Path(os.environ.get("S3M_SLURM_CACHE", "/var/cache/s3m-slurm"))
TOOLROOT = Path(os.environ.get("S3M_GATEWAY_TOOLROOT", CACHE / "go-sid"))
MARKER = ".s3m-rootfs"  # the package list scripts/slurm-rootfs writes
SETUP_HINT = "CI builds it with .ci/setup.d/35-gateway.sh (scripts/slurm-rootfs sid go, as root)"


class GatewayBuildError(RuntimeError):
    """Preparing the toolchain or building the gateway failed; the message says where."""


def unavailable() -> str | None:
    """Why the gateway cannot be built here, or None."""
    if not sys.platform.startswith("linux"):
        return "the gateway is built in a Linux chroot"
    if os.geteuid() != 0:
        return f"building the gateway needs root (chroot): {SETUP_HINT}"
    if shutil.which("zstd") is None and not (TOOLROOT / MARKER).is_file():
        return f"zstd is missing to unpack the Go toolchain: {SETUP_HINT}"
    return None


def _run(cmd: list[str], *, cwd: Path | None = None, timeout: float = 900) -> str:
    proc = subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        raise GatewayBuildError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc.stdout


def toolchain() -> Path:
    """The unpacked sid Go chroot (made from the cached tarball, built first if missing)."""
    if (TOOLROOT / MARKER).is_file():
        return TOOLROOT
    tarball = _run([str(ROOT / "scripts" / "slurm-rootfs"), "sid", "go"]).strip()
    tmp = Path(tempfile.mkdtemp(prefix="go-sid-", dir=CACHE))
    try:
        _run(["bash", "-c", f"zstd -dc -T0 '{tarball}' | tar -C '{tmp}' --numeric-owner -xpf -"])
        tmp.rename(TOOLROOT)
    except OSError:  # a concurrent unpack finished first
        shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return TOOLROOT


def _digest(root: Path) -> str:
    h = hashlib.sha256((root / MARKER).read_bytes())
    for name in PROTO_FILES:
        h.update(name.encode() + b"\0" + (ROOT / "protos" / name).read_bytes())
    for path in sorted(GO_SOURCES.rglob("*.go")):
        h.update(str(path.relative_to(GO_SOURCES)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:20]


def _google_api(into: Path) -> None:
    """google/api/{annotations,http}.proto (googleapis-common-protos), which protoc imports."""
    from google.api import annotations_pb2

    src = Path(annotations_pb2.__file__).resolve().parent
    dest = into / "google" / "api"
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("annotations.proto", "http.proto"):
        shutil.copy(src / name, dest / name)


def build() -> Path:
    """The gateway binary (cached by inputs); GatewayBuildError when it cannot be built."""
    reason = unavailable()
    if reason is not None:
        raise GatewayBuildError(reason)
    root = toolchain()
    digest = _digest(root)
    binary = OUT_ROOT / digest / "s3m-gateway"
    if binary.is_file():
        return binary
    inside = Path("/build") / digest  # the same directory as seen in the chroot
    work = root / inside.relative_to("/")
    shutil.rmtree(work, ignore_errors=True)
    (work / "protos").mkdir(parents=True)
    for name in PROTO_FILES:
        dest = work / "protos" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "protos" / name, dest)
    _google_api(work / "include")
    src = work / "gopath" / "src"
    src.mkdir(parents=True)
    shutil.copytree(GO_SOURCES, src / "s3mgateway")
    # Debian installs grpc-gateway 2.x without its module's /v2 suffix: in GOPATH mode the
    # generated code's github.com/grpc-ecosystem/grpc-gateway/v2/... imports need this link.
    gw = src / "github.com" / "grpc-ecosystem" / "grpc-gateway"
    gw.mkdir(parents=True)
    (gw / "v2").symlink_to("/usr/share/gocode/src/github.com/grpc-ecosystem/grpc-gateway")
    env = [
        "/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "HOME=/tmp", "GO111MODULE=off",
        f"GOPATH={inside}/gopath:/usr/share/gocode", "GOCACHE=/build/gocache",
        "GOFLAGS=-trimpath", "GOPROXY=off", "GOTOOLCHAIN=local", "CGO_ENABLED=0",
        "GOROOT=/usr/lib/go", "GOTELEMETRY=off",  # no /proc in the chroot to find them
    ]  # fmt: skip
    protoc = [
        "protoc", f"-I{inside}/protos", f"-I{inside}/include", "-I/usr/include",
        f"--go_out={inside}/gopath/src", f"--go-grpc_out={inside}/gopath/src",
        f"--grpc-gateway_out={inside}/gopath/src", *PROTO_FILES,
    ]  # fmt: skip
    _run(["chroot", str(root), *env, *protoc])
    go_build = [
        "sh", "-c", f"cd {inside}/gopath/src/s3mgateway && "
        f"go build -o {inside}/s3m-gateway ./cmd/s3m-gateway",
    ]  # fmt: skip
    _run(["chroot", str(root), *env, *go_build])
    binary.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(work / "s3m-gateway", binary.with_suffix(".tmp"))
    binary.with_suffix(".tmp").rename(binary)
    shutil.rmtree(work, ignore_errors=True)
    return binary


if __name__ == "__main__":  # `python -m tests.gateway.gwbuild`: build, print where it is
    print(build())
