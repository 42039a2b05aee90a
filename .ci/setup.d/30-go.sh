#!/usr/bin/env bash
# Go toolchain, gRPC and protobuf for the Go interop tests (tests/interop/), from Debian only.
# Nothing is fetched from the Go module proxy: the tests build against /usr/share/gocode.
# Trap: golang-google-grpc-dev depends on "golang-github-golang-protobuf-1-3-dev | ...-1-5-dev"
# and apt alone picks 1.3, whose codec panics on protoc-gen-go 1.28 messages at the first RPC.
# Naming the 1.5 package in the same install makes apt pick it; the guard below checks it did.
# Also named, though other packages pull them in: genproto (Go code of google/api/annotations)
# and libprotobuf-dev (/usr/include/google/protobuf/*.proto, which protoc reads).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
    golang-go
    golang-google-grpc-dev
    golang-google-protobuf-dev
    golang-github-golang-protobuf-1-5-dev
    golang-google-genproto-dev
    protoc-gen-go
    protoc-gen-go-grpc
    protobuf-compiler
    libprotobuf-dev
)
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 update -qq
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
        "${packages[@]}" > /dev/null
fi
if ! grep -q google.golang.org/protobuf /usr/share/gocode/src/github.com/golang/protobuf/go.mod; then
    echo "github.com/golang/protobuf is the 1.3 API: install golang-github-golang-protobuf-1-5-dev" >&2
    exit 1
fi
go version
