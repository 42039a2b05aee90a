#!/usr/bin/env bash
# curl for tests/server/test_spec_examples.py, which runs the S3M docs' curl examples as written
# against a local `s3m serve`. Without curl that test skips and says why.
set -euo pipefail
if command -v curl >/dev/null; then
    echo "curl present: $(curl --version | head -1)"
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 update -qq
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends curl ca-certificates
curl --version | head -1
