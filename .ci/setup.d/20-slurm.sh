#!/usr/bin/env bash
# SLURM for the slurm backend's tests (tests/slurm/): munge, slurmctld, slurmd, slurmrestd and
# the JWT plugin, from Debian (scripts/slurm-install). No daemon is started here: the tests
# start and stop their own cluster on free 127.0.0.1 ports (scripts/slurm-start, -stop).
# If the install fails, the tests skip and the pytest summary says why; this step says it too.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
start=$SECONDS
if scripts/slurm-install; then
    echo "slurm packages ready in $((SECONDS - start))s"
else
    echo "WARNING: SLURM packages could not be installed; tests/slurm will be skipped" >&2
fi
