"""Which S3M resources serve which SLURM API versions (the S3M docs' table, overridable)."""

from __future__ import annotations

from collections.abc import Mapping

from s3m_grpc.errors import NotFoundError, UnsupportedVersionError

API_VERSIONS = ("v0.0.42", "v0.0.43", "v0.0.44")
DEPRECATED = frozenset({"v0.0.42"})

# Public versions per resource, as listed by the S3M Compute API page.
DEFAULT_RESOURCES: Mapping[str, tuple[str, ...]] = {
    "defiant": ("v0.0.42", "v0.0.43"),
    "odo": ("v0.0.43", "v0.0.44"),
    "wombat": ("v0.0.42",),
    "quokka": ("v0.0.42",),
}


def normalize(version: str) -> str:
    """Accept `v0.0.43`, `0.0.43`, `v0043` or `43`; return `v0.0.43`."""
    v = version.strip().lower().removeprefix("v")
    if v.isdigit():
        v = f"0.0.{int(v) % 100}"
    out = "v" + v
    if out not in API_VERSIONS:
        raise UnsupportedVersionError(
            f"unknown API version {version!r}; known versions: {', '.join(API_VERSIONS)}"
        )
    return out


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
    """The newest version a resource serves."""
    served = table.get(resource)
    if not served:
        raise NotFoundError(
            f"unknown resource {resource!r}; known resources: {', '.join(sorted(table))}"
        )
    return max(served, key=lambda v: int(v.rsplit(".", 1)[-1]))
