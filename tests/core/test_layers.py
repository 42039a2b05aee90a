"""The core's layering: no import cycles, no grpc below the gRPC transport, and the fallback's
cooldown does not bench a recovered gRPC server when REST is down too."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from s3m_grpc import S3MClientFactory, errors
from s3m_grpc.server import LocalServer, ServerConfig
from s3m_grpc.slurm import v0044
from s3m_grpc.transports.chain import connections
from s3m_grpc.transports.fallback import FallbackTransport
from tests.reliability.proxies import free_port

PACKAGE = Path(__file__).resolve().parents[2] / "s3m_grpc"
GENERATED = ("_pb", "_upb", "slurm")


def _module(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Modules `path` imports, at the top or inside functions (a lazy import is a dependency
    too), but not under TYPE_CHECKING; `from pkg import mod` counts as importing `pkg.mod`."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Import):
                found.update(a.name for a in sub.names)
            elif isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0:
                subs = {f"{sub.module}.{a.name}" for a in sub.names} & modules
                found.update(subs or {sub.module})
    return found


def _graph() -> dict[str, set[str]]:
    files = [
        p
        for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).parts[0] not in GENERATED and "fastcodec" not in p.parts
    ]
    modules = {_module(p): p for p in files}
    names = set(modules)
    # A package is always imported before its submodules: an edge back to it is no cycle.
    return {
        m: {i for i in _imports(p, names) if i in names and not m.startswith(i + ".")}
        for m, p in modules.items()
    }


def test_hand_written_modules_have_no_import_cycles() -> None:
    graph = _graph()
    assert "s3m_grpc.transports.base" in graph
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycle = [*path[path.index(n) :], n]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if n not in state:
                visit(n)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


@pytest.mark.parametrize(
    "module",
    [
        "s3m_grpc.errors",
        "s3m_grpc.transports.base",
        "s3m_grpc.transports.rest",
        "s3m_grpc.settings",
    ],
)
def test_no_grpc_below_the_grpc_transport(module: str) -> None:
    code = (
        f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'grpc'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_rest_down_too_ends_the_grpc_cooldown() -> None:
    async with LocalServer(ServerConfig()) as srv:
        dead_rest = f"http://127.0.0.1:{free_port()}"
        async with S3MClientFactory(
            srv.grpc_target,
            srv.token,
            "odo",
            plaintext=True,
            rest_url=dead_rest,
            retry=False,
            grpc_cooldown=3600,
        ) as f:
            stub = f.create_client(v0044.SlurmIndirectStub)
            assert (await stub.ping()).pings
            fallback = connections(f.transport)
            assert isinstance(fallback, FallbackTransport)
            # gRPC has a blip (here: the cooldown is tripped as by a failed connect) while
            # REST is down as well: the call fails, and gRPC is not kept benched for an hour.
            fallback.grpc_down.trip()
            with pytest.raises(errors.ConnectError):
                await stub.ping()
            assert not fallback.grpc_down.active
            assert (await stub.ping()).pings
            assert fallback.last_used == "grpc"
