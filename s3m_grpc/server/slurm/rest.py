"""One async HTTP connection to slurmrestd: JWT headers, JSON replies, typed failures.

Everything that can go wrong talking to slurmrestd ends here as an `S3MError`: unreachable →
`UnavailableError`, too slow → `DeadlineExceededError`, a reply that is not JSON →
`ProtocolError`, an HTTP failure → the class `faults.failure` picks from SLURM's error numbers.
The JWT travels only in the `X-SLURM-USER-TOKEN` header; it is in no message or log line.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import orjson

from s3m_grpc.errors import (
    DeadlineExceededError,
    ProtocolError,
    SubmitOutcomeUnknownError,
    UnavailableError,
)
from s3m_grpc.server.slurm import faults
from s3m_grpc.server.slurm.options import SlurmOptions, TokenSource

JSON = dict[str, Any]
_VERSION_PATH = re.compile(r"^/slurm/(v\d+\.\d+\.\d+)/ping$")


class SlurmRest:
    """Requests to one slurmrestd; `what` in each call names the operation in errors."""

    def __init__(self, options: SlurmOptions) -> None:
        self.options = options
        self._token = TokenSource(options)
        self._client: httpx.AsyncClient | None = None
        self._paths: set[str] | None = None

    def __repr__(self) -> str:
        return f"SlurmRest(url={self.options.url!r}, user={self.options.user!r})"

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.options.url,
                timeout=self.options.timeout,
                trust_env=False,
                limits=httpx.Limits(max_connections=16, max_keepalive_connections=8),
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        what: str,
        params: dict[str, str] | None = None,
        body: JSON | None = None,
        submit: bool = False,
    ) -> JSON:
        """The JSON reply of a 2xx answer; a typed error for anything else."""
        headers = {
            "X-SLURM-USER-NAME": self.options.user,
            "X-SLURM-USER-TOKEN": self._token.get(),
            "Accept": "application/json",
        }
        content = None
        if body is not None:
            content = orjson.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            resp = await self._http().request(
                method, path, params=params, content=content, headers=headers
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:  # nothing was sent
            raise UnavailableError(
                f"{what}: slurmrestd at {self.options.url} is not reachable "
                f"({type(exc).__name__}); is the cluster running (scripts/slurm-start)?"
            ) from None
        except httpx.HTTPError as exc:
            if submit:  # the request may have arrived: never send it again
                raise SubmitOutcomeUnknownError(
                    f"{what}: no answer from slurmrestd at {self.options.url} "
                    f"({type(exc).__name__}); the job may exist: list jobs before submitting "
                    "again"
                ) from None
            if isinstance(exc, httpx.TimeoutException):
                raise DeadlineExceededError(
                    f"{what}: slurmrestd at {self.options.url} did not answer within "
                    f"{self.options.timeout:g}s"
                ) from None
            raise UnavailableError(
                f"{what}: slurmrestd at {self.options.url} failed ({type(exc).__name__})"
            ) from None
        reply = _json(resp)
        if resp.is_success:
            if reply is None:
                raise ProtocolError(f"{what}: slurmrestd sent a reply that is not JSON")
            return reply
        raise faults.failure(resp.status_code, faults.entries(reply), what=what, submit=submit)

    async def openapi_paths(self) -> set[str]:
        """The paths slurmrestd's OpenAPI document lists (read once; empty when it has none)."""
        if self._paths is not None:
            return self._paths
        for path in ("/openapi/v3", "/openapi"):
            try:
                doc = await self.request("GET", path, what="reading slurmrestd's OpenAPI document")
            except UnavailableError:
                raise
            except Exception:
                continue
            paths = doc.get("paths")
            if isinstance(paths, dict):
                self._paths = {str(p).rstrip("/") for p in paths}
                return self._paths
        self._paths = set()
        return self._paths

    async def served_versions(self) -> list[str]:
        """The `/slurm/vX` versions this slurmrestd serves, from its OpenAPI document."""
        found = {m.group(1) for p in await self.openapi_paths() if (m := _VERSION_PATH.match(p))}
        return sorted(found, key=_version_key)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.lstrip("v").split("."))


def _json(resp: httpx.Response) -> JSON | None:
    try:
        data = orjson.loads(resp.content)
    except orjson.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None
