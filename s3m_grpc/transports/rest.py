"""REST transport on the same messages: verb and path from the protos' `google.api.http` rules.

A method's rule says `/slurm/v0.0.43/job/{job_id}`; S3M serves it at
`{base_url}/slurm/open/v0.0.43/{resource}/job/{job_id}` (the template is configurable, S3M has
used `/slurm/{version}/{resource}/…` too). Path fields come from the message, other fields of a
body-less request become query parameters (`signal`, `flags` on cancel), a `*` body is the whole
message as JSON with the contract's names. Replies are read tolerantly by `s3m_grpc.jsoncodec`.
"""

from __future__ import annotations

import re
import ssl
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import betterproto2
import orjson

from s3m_grpc import errors, jsoncodec, observe
from s3m_grpc.errors import (
    CertificateError,
    ConfigurationError,
    ConnectError,
    DeadlineExceededError,
    ErrorEntry,
    InternalError,
    InvalidRequestError,
    RateLimitedError,
    ReplyTooLargeError,
    S3MError,
    SlurmError,
    UnavailableError,
    read_error_body,
    retry_after_seconds,
)
from s3m_grpc.rpc import MethodInfo
from s3m_grpc.settings import DEFAULT_PATH_TEMPLATE
from s3m_grpc.transports.base import (
    DEFAULT_TIMEOUT,
    MAX_RECEIVE_BYTES,
    USER_AGENT,
    CallOptions,
    decode_reply,
    outcome_unknown,
)
from s3m_grpc.transports.headers import RESOURCE_HEADER

_RULE = re.compile(r"^/slurm/(?P<version>v[0-9.]+)/(?P<path>.*)$")
_FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@cache
def split_rule(http_path: str) -> tuple[str, str, tuple[str, ...]]:
    """`/slurm/v0.0.43/job/{job_id}` → (`v0.0.43`, `job/{job_id}`, (`job_id`,))."""
    m = _RULE.match(http_path)
    if m is None:
        raise ValueError(f"unexpected http rule path {http_path!r}")
    tail = m.group("path")
    return m.group("version"), tail, tuple(_FIELD.findall(tail))


def build_request(
    method: MethodInfo, message: betterproto2.Message, *, resource: str, template: str
) -> tuple[str, str, dict[str, Any], bytes | None]:
    """(verb, path, query, body) for a call, from the method's http rule."""
    version, tail, fields = split_rule(method.http_path)
    data = jsoncodec.to_dict(message) if type(message).__name__ != "Empty" else {}
    values: dict[str, str] = {}
    for f in fields:
        value = getattr(message, f, "")
        if value in ("", None):
            raise InvalidRequestError(f"{method.name} needs {f}")
        values[f] = quote(str(value), safe="")
        data.pop(f, None)
    path = template.format(
        version=version, resource=quote(resource, safe=""), path=tail.format(**values)
    )
    body: bytes | None = None
    query: dict[str, Any] = {}
    if method.http_body == "*":
        body = orjson.dumps(data)
    elif method.http_body:
        body = orjson.dumps(data.get(method.http_body, {}))
    else:
        query = {k: v for k, v in data.items() if not isinstance(v, dict | list)}
    return method.http_method, path, query, body


def ssl_context(ca_bundle: str | Path | None) -> ssl.SSLContext:
    """Verifying TLS context, with a custom CA bundle when given."""
    if ca_bundle:
        return ssl.create_default_context(cafile=str(Path(ca_bundle).expanduser()))
    return ssl.create_default_context()


class RestTransport:
    """Sends unary calls as HTTP requests over one pooled `aiohttp.ClientSession`.

    aiohttp rather than httpx: on this project's loopback benchmark it carried ~4x the calls/s
    of httpx's async client (see docs/client.md).
    """

    def __init__(
        self,
        base_url: str,
        *,
        resource: str = "",
        headers: dict[str, str] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        path_template: str = DEFAULT_PATH_TEMPLATE,
        verify: ssl.SSLContext | bool = True,
        user_agent: str = USER_AGENT,
        max_connections: int = 100,
        max_reply_bytes: int = MAX_RECEIVE_BYTES,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._resource = resource
        self._template = path_template
        self._timeout = timeout
        self._headers = {"user-agent": user_agent, "accept": "application/json", **(headers or {})}
        self._verify = verify
        self._max_connections = max_connections
        self._max_reply_bytes = max_reply_bytes
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        # Headers carry the token: never show them.
        return f"{type(self).__name__}(base_url={self._base_url!r}, resource={self._resource!r})"

    def _open(self) -> aiohttp.ClientSession:
        ssl_arg: ssl.SSLContext | bool = True if self._verify is True else self._verify
        connector = aiohttp.TCPConnector(
            limit=self._max_connections, ssl=ssl_arg, enable_cleanup_closed=True
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers=self._headers,
            timeout=aiohttp.ClientTimeout(total=self._timeout),
            json_serialize=lambda o: orjson.dumps(o).decode(),
            raise_for_status=False,
        )
        # aiohttp re-sends a DELETE (an "idempotent" method to HTTP) once when a pooled
        # connection drops after sending it; a cancel with a signal is not idempotent, and
        # RetryingTransport already retries what may be retried. aiohttp has no public switch.
        self._session._retry_connection = False
        return self._session

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> betterproto2.Message:
        headers = {}
        for k, v in options.get("metadata", ()):
            headers[k] = v
        timeout = options.get("timeout", self._timeout)
        # The resource goes into the path: the call's `olcf-resource` (one session serves
        # every resource of an endpoint), else this transport's own.
        resource = headers.get(RESOURCE_HEADER) or self._resource
        verb, path, query, body = build_request(
            method, message, resource=resource, template=self._template
        )
        if body is not None:
            headers["content-type"] = "application/json"
        session = self._session or self._open()
        # A call that changes something is sent exactly once: no redirect is followed for it
        # (a 307 would send the script elsewhere), and the session never re-sends it.
        failure: S3MError | None = None
        status = 0
        try:
            async with session.request(
                verb,
                self._base_url + path,
                params=query or None,
                data=body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=timeout),
                allow_redirects=method.idempotent,
            ) as resp:
                status = resp.status
                retry_after = resp.headers.get("retry-after")
                location = resp.headers.get("location", "")
                content = await _read_capped(resp, self._max_reply_bytes)
        except ReplyTooLargeError as exc:
            failure = exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            failure = self._transport_error(method, message, exc)
        if (record := observe.current()) is not None:
            record.attempt("rest", "none" if failure else str(status), failure or _failed(status))
        # Raised outside the except blocks: aiohttp's exceptions hold our request's headers
        # (the token), and must not ride along as `__context__`.
        if failure is not None:
            raise failure
        if 300 <= status < 400:
            raise ConfigurationError(
                f"{self._base_url} answered {method.name} with a redirect ({status}) to "
                f"{location[:200]!r}; it was not followed, nothing was done. Set rest_url to "
                "the address the server redirects to"
            )
        if status >= 400:
            raise http_error(status, content, retry_after)
        reader = options.get("reader")
        decode = jsoncodec.from_json if reader is None else reader.from_json
        return await decode_reply(self._base_url, method, message, content, decode)  # type: ignore[no-any-return]

    def _transport_error(
        self, method: MethodInfo, message: betterproto2.Message, exc: BaseException
    ) -> S3MError:
        what = type(exc).__name__
        if isinstance(exc, aiohttp.ClientConnectorCertificateError):
            return CertificateError(
                f"cannot connect to {self._base_url} ({what}: the server's certificate is not "
                "trusted; is it signed by a CA in ca_bundle?); the request was not sent"
            )
        if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.InvalidURL):
            return ConnectError(
                f"cannot connect to {self._base_url} ({what}); the request was not sent"
            )
        if not method.idempotent:
            return outcome_unknown(self._base_url, method, message, what)
        if isinstance(exc, TimeoutError):
            return DeadlineExceededError(f"no answer from {self._base_url} in time ({what})")
        return UnavailableError(f"{self._base_url} failed ({what})")


def _failed(status: int) -> S3MError | None:
    """An error standing for a failed HTTP status, for the attempt's record (None: 2xx)."""
    return error_from_status(status, None) if status >= 400 else None


async def _read_capped(resp: aiohttp.ClientResponse, limit: int) -> bytes:
    """The (decompressed) body, refusing one over `limit` bytes before reading it all: an
    endless or a highly compressed body cannot take the client's memory."""
    if resp.content_length is not None and resp.content_length > limit:
        raise ReplyTooLargeError(
            f"the reply is {resp.content_length} bytes; this client accepts at most {limit}"
        )
    chunks = []
    size = 0
    async for chunk in resp.content.iter_chunked(1 << 20):
        size += len(chunk)
        if size > limit:
            raise ReplyTooLargeError(
                f"the reply is over {limit} bytes; this client accepts no more"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def http_error(status: int, content: bytes, retry_after_header: str | None = None) -> S3MError:
    """The typed error for a failed HTTP reply (its `errors[]` kept when the body has them)."""
    try:
        body = orjson.loads(content) if content else None
    except orjson.JSONDecodeError:
        body = None
    read = read_error_body(body)
    details = read.message
    if not isinstance(body, dict) and content and len(content) < 300:
        details = content.decode("utf-8", "replace").strip() or None
    return error_from_status(
        status, details, read.errors, retry_after=retry_after_seconds(retry_after_header)
    )


# What each HTTP status means to the caller; the local server answers with
# `S3MError.http_status`.
_BY_STATUS: dict[int, type[S3MError]] = {
    400: InvalidRequestError,
    401: errors.AuthenticationError,
    403: errors.PermissionDeniedError,
    404: errors.NotFoundError,
    405: errors.UnsupportedVersionError,
    413: errors.RequestTooLargeError,
    422: InvalidRequestError,
    429: RateLimitedError,
    501: errors.UnsupportedVersionError,
    502: UnavailableError,
    503: UnavailableError,
    504: DeadlineExceededError,
}


def error_from_status(
    status: int,
    details: str | None,
    entries: tuple[ErrorEntry, ...] = (),
    retry_after: float | None = None,
) -> S3MError:
    """The typed error for a failed REST call (SLURM's `errors[]` from the body kept)."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = SlurmError if entries else InternalError
    text = details or (str(entries[0]) if entries else f"HTTP {status}")
    if cls is RateLimitedError:
        return RateLimitedError(text, retry_after=retry_after, errors=entries)
    return cls(text, errors=entries)
