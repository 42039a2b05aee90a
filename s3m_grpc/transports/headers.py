"""S3M's call headers, added to every call: the token, the resource, storage on submit.

The token is read from the `TokenProvider` as each call is sent. When the server refuses a call
as unauthenticated and the token is (or, looked up again, turns out to be) different from the
one that call carried, the call is sent once more with the new token: safe for a submit too, as
a refused call was not carried out. Nothing is closed, so calls in flight are not disturbed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import betterproto2

from s3m_grpc.errors import AuthenticationError
from s3m_grpc.transports.base import CallOptions, Transport

if TYPE_CHECKING:
    from s3m_grpc.auth import Token, TokenProvider
    from s3m_grpc.rpc import MethodInfo

RESOURCE_HEADER = "olcf-resource"
WITH_STORAGE_HEADER = "x-s3m-withstorage"


class S3MHeadersTransport:
    """Adds `authorization`, `olcf-resource` and (if asked) `x-s3m-withstorage` to each call."""

    def __init__(
        self,
        inner: Transport,
        tokens: TokenProvider,
        resource: str,
        *,
        with_storage: bool = False,
    ) -> None:
        self.inner = inner
        self.tokens = tokens
        self.resource = resource
        self.with_storage = with_storage

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.inner!r}, resource={self.resource!r})"

    async def close(self) -> None:
        await self.inner.close()

    async def unary(
        self, method: MethodInfo, message: betterproto2.Message, options: CallOptions
    ) -> betterproto2.Message:
        token = self.tokens.current
        try:
            return await self.inner.unary(method, message, self._options(method, options, token))
        except AuthenticationError:
            if self.tokens.current == token and not self.tokens.refresh():
                raise
        return await self.inner.unary(
            method, message, self._options(method, options, self.tokens.current)
        )

    def _options(self, method: MethodInfo, options: CallOptions, token: Token) -> CallOptions:
        headers = [("authorization", token.reveal()), (RESOURCE_HEADER, self.resource)]
        if self.with_storage and any(h.header == WITH_STORAGE_HEADER for h in method.header_params):
            headers.append((WITH_STORAGE_HEADER, "true"))
        return {**options, "metadata": (*headers, *options.get("metadata", ()))}
