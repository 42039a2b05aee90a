#!/usr/bin/env bash
# A current Slurm for the live v0.0.42/43/44 tests (tests/slurm/test_live_versions.py, the
# sim-vs-live comparison, test_accounting.py): Debian sid's Slurm 26.05 as a cached root filesystem tarball
# with slurmdbd and MariaDB (scripts/slurm-rootfs; ~40-65 s and ~67 MB from the Debian mirror the
# first time, a no-op once /var/cache/s3m-slurm/rootfs-sid.tar.zst exists). The tests unpack it and start their own
# cluster in a chroot (scripts/slurm-start --release sid). CI runs with S3M_REQUIRE_LIVE=1, so a
# failure here makes those tests fail rather than skip.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
tarball=$("${sudo[@]}" scripts/slurm-rootfs sid)
echo "sid rootfs ready in $((SECONDS - start))s: $tarball ($(du -m "$tarball" | cut -f1) MB)"
