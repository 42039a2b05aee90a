"""Token authentication as S3M does it: the raw token in `authorization`, no `Bearer`.

Tokens are compared in constant time against every known token (so timing reveals neither
which token matched nor how much of one did) and are never logged or put in errors.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Mapping

from s3m_grpc.errors import AuthenticationError, PermissionDeniedError
from s3m_grpc.server.backend import Caller
from s3m_grpc.server.config import WRITE, TokenInfo

HEADER = "authorization"


class TokenStore:
    """Known tokens → who they are and what they may do."""

    def __init__(
        self, tokens: Mapping[str, TokenInfo], clock: Callable[[], float] = time.time
    ) -> None:
        self._tokens = [(t.encode(), info) for t, info in tokens.items()]
        self._clock = clock

    def __repr__(self) -> str:
        return f"TokenStore(<{len(self._tokens)} tokens>)"

    def authenticate(self, token: str | None) -> Caller:
        """The caller a token stands for; AuthenticationError saying why not."""
        if token is None or not token.strip():
            raise AuthenticationError(
                "missing token: send your S3M token in the 'authorization' header"
            )
        given = token.strip()
        match = self._lookup(given)
        if match is None:
            if given[:7].lower() == "bearer ":
                raise AuthenticationError(
                    "unknown token: S3M expects the raw token in 'authorization', "
                    "without a 'Bearer ' prefix"
                )
            raise AuthenticationError("unknown token: the token is not valid for this server")
        if match.expired(self._clock()):
            raise AuthenticationError("expired token: get a new token and retry")
        return Caller(project=match.project, user=match.user, permissions=match.permissions)

    def _lookup(self, given: str) -> TokenInfo | None:
        raw = given.encode("utf-8", "surrogateescape")
        match: TokenInfo | None = None
        for known, info in self._tokens:
            if hmac.compare_digest(known, raw):
                match = info
        return match


def require_write(caller: Caller, action: str) -> None:
    """Submitting and cancelling need `compute-ace`; read-only tokens get PERMISSION_DENIED."""
    if WRITE not in caller.permissions:
        raise PermissionDeniedError(
            f"permission denied: {action} needs a token with '{WRITE}' (this token is read-only)"
        )
