#!/usr/bin/env bash
# The grpc-gateway REST front for tests/gateway: Debian sid's Go toolchain with grpc-gateway 2.x
# as a cached root filesystem (scripts/slurm-rootfs sid go: ~2 min and ~250 MB from the Debian
# mirror the first time), unpacked under /var/cache/s3m-slurm/go-sid, then `s3m-gateway` built
# from our protos offline in that chroot (~1.5 min cold). Once cached, both steps are no-ops.
# CI runs with S3M_REQUIRE_LIVE=1, so a failure here makes the gateway tests fail, not skip.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo -E)
"${sudo[@]}" scripts/slurm-rootfs sid go >/dev/null
binary=$("${sudo[@]}" .venv-ci/bin/python -m tests.gateway.gwbuild)
echo "s3m-gateway ready in $((SECONDS - start))s: $binary"
