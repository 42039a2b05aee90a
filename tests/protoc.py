"""Compile our protos with the project's protoc (grpcio-tools) into a descriptor set, for tests."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import grpc_tools
from google.api import annotations_pb2
from google.protobuf import descriptor_pb2

from s3m_grpc._upb.olcf.s3m.common.v1alpha import headers_pb2

ROOT = Path(__file__).resolve().parent.parent
VERSIONS = ("v0042", "v0043", "v0044")
# Keep the extension modules referenced: parsing options needs them registered.
EXTENSIONS = (annotations_pb2.http, headers_pb2.method_header_param)


def compile_protos(proto_root: Path = ROOT / "protos") -> descriptor_pb2.FileDescriptorSet:
    """Run protoc on every SlurmIndirect version under `proto_root`."""
    googleapis = Path(annotations_pb2.__file__).resolve().parent.parent.parent
    wkt = Path(grpc_tools.__file__).resolve().parent / "_proto"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.binpb"
        files = [f"olcf/s3m/slurm/{v}/slurm.proto" for v in VERSIONS]
        cmd = [
            sys.executable, "-m", "grpc_tools.protoc",
            f"-I{proto_root}", f"-I{googleapis}", f"-I{wkt}",
            "--include_imports", f"--descriptor_set_out={out}", *files,
        ]  # fmt: skip
        subprocess.run(cmd, check=True, cwd=proto_root, capture_output=True)
        return descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())
