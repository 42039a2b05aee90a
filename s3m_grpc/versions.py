"""The one version registry: which API versions exist, what differs between them, who serves them.

What a version *is* (its package, its generated module, the capabilities its proto shows) is
generated from protos/ into `s3m_grpc.slurm._registry`; what S3M *does* with it (which resource
serves which version, which are deprecated) is policy, kept here. Client, server and CLI ask this
module, never compare version strings.

Adding v0.0.45: add `protos/olcf/s3m/slurm/v0045/slurm.proto` and run `scripts/generate`; the
client and the local server serve it from that alone (`tests/core/test_new_version.py` does
exactly this in a scratch tree). Then, as policy and for type checkers: name the resources that
serve it in `DEFAULT_RESOURCES` (until then `version="v0.0.45"` must be asked for), and add its
module to the static unions of `s3m_grpc.anyversion` (a test compares them with the registry).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import TYPE_CHECKING

from s3m_grpc.errors import NotFoundError, UnsupportedVersionError
from s3m_grpc.slurm._registry import ROWS

if TYPE_CHECKING:
    from s3m_grpc.rpc import ServiceInfo


@dataclass(frozen=True)
class ApiVersion:
    """One S3M SLURM API version and the capabilities that differ between versions."""

    name: str
    """`v0.0.44`."""
    package: str
    """The proto package, `olcf.s3m.slurm.v0044`."""
    module_name: str
    """The generated module, `s3m_grpc.slurm.v0044`."""
    heterogeneous_submit: bool
    """`JobSubmitReq` has `script` and `jobs` (several job components) beside `job`."""
    slurm_version_as_text: bool
    """`meta.slurm.version.{major,minor,micro}` are strings (int32 before v0.0.43)."""
    older_field_names: bool
    """Replies use the older wire names (`gruop`, `defult_queue_depth`, `allowed_configuration`)."""
    deprecated: bool = False
    """S3M still serves it but asks users to move on."""

    @property
    def number(self) -> int:
        """The last component (44 for v0.0.44): versions order by it."""
        return int(self.name.rsplit(".", 1)[-1])

    @cached_property
    def module(self) -> ModuleType:
        """The generated module: message classes, `SlurmIndirectStub`, `SERVICE`."""
        return importlib.import_module(self.module_name)

    @property
    def service(self) -> ServiceInfo:
        """The method table of this version's `SlurmIndirect` service."""
        service: ServiceInfo = self.module.SERVICE
        return service

    def __str__(self) -> str:
        return self.name


# S3M's policy: versions it still serves but has deprecated (the S3M Compute API page).
DEPRECATED = frozenset({"v0.0.42"})

REGISTRY: Mapping[str, ApiVersion] = {
    row.name: ApiVersion(
        name=row.name,
        package=row.package,
        module_name=row.module,
        heterogeneous_submit=row.heterogeneous_submit,
        slurm_version_as_text=row.slurm_version_as_text,
        older_field_names=row.older_field_names,
        deprecated=row.name in DEPRECATED,
    )
    for row in ROWS
}
API_VERSIONS: tuple[str, ...] = tuple(sorted(REGISTRY, key=lambda v: REGISTRY[v].number))

# Public versions per resource, as listed by the S3M Compute API page.
DEFAULT_RESOURCES: Mapping[str, tuple[str, ...]] = {
    "defiant": ("v0.0.42", "v0.0.43"),
    "odo": ("v0.0.43", "v0.0.44"),
    "wombat": ("v0.0.42",),
    "quokka": ("v0.0.42",),
}


def normalize(version: str) -> str:
    """Accept `v0.0.43`, `0.0.43`, `v0043` or `43`; return `v0.0.43`."""
    return get(version).name


def get(version: str | ApiVersion) -> ApiVersion:
    """The registry row of a version, in any of `normalize`'s forms."""
    if isinstance(version, ApiVersion):
        return version
    v = str(version).strip().lower().removeprefix("v")
    if v.isdigit():
        v = f"0.0.{int(v) % 100}"
    found = REGISTRY.get("v" + v)
    if found is None:
        raise UnsupportedVersionError(
            f"unknown API version {version!r}; known versions: {', '.join(API_VERSIONS)}"
        )
    return found


def newest() -> ApiVersion:
    """The newest version this package was generated with."""
    return REGISTRY[API_VERSIONS[-1]]


def check(
    resource: str, version: str, table: Mapping[str, tuple[str, ...]] = DEFAULT_RESOURCES
) -> str:
    """Validate a resource/version pair against `table`; return the normalized version."""
    v = normalize(version)
    served = table.get(resource)
    if served is None:
        raise NotFoundError(
            f"unknown resource {resource!r}; known resources: {', '.join(sorted(table))}"
        )
    if v not in served:
        raise UnsupportedVersionError(
            f"resource {resource!r} does not serve {v}; it serves {', '.join(served)}"
        )
    return v


def latest(resource: str, table: Mapping[str, tuple[str, ...]] = DEFAULT_RESOURCES) -> str:
    """The newest version a resource serves (that this package knows)."""
    served = table.get(resource)
    if not served:
        raise NotFoundError(
            f"unknown resource {resource!r}; known resources: {', '.join(sorted(table))}"
        )
    known = []
    for v in served:
        try:
            known.append(get(v))
        except UnsupportedVersionError:
            continue  # newer than this package: not one we can speak
    if not known:
        raise UnsupportedVersionError(
            f"resource {resource!r} serves {', '.join(served)}; this client knows "
            f"{', '.join(API_VERSIONS)}"
        )
    return max(known, key=lambda a: a.number).name
