"""S3M endpoint forms, read the same way by the library, the CLI and the environment variables.

`host:port` (TLS), `https://host[:port]` (TLS, port 443 by default) and `http://host:port`
(plaintext, for a local server) all name a gRPC target and say whether it speaks TLS.
"""

from __future__ import annotations

from s3m_grpc.errors import ConfigurationError


def parse_endpoint(endpoint: str) -> tuple[str, bool]:
    """`http://host:port` → (`host:port`, plaintext); `https://host` → (`host:443`, TLS);
    `host:port` → (`host:port`, TLS). Anything else raises `ConfigurationError`."""
    text = endpoint.strip().rstrip("/")
    if text.startswith("http://"):
        host = text.removeprefix("http://")
        plaintext = True
        default_port = "80"
    elif text.startswith("https://"):
        host = text.removeprefix("https://")
        plaintext = False
        default_port = "443"
    else:
        host, plaintext, default_port = text, False, ""
    if not host or "/" in host or "://" in host:
        raise ConfigurationError(
            f"invalid endpoint {endpoint!r}; use host:port, https://host[:port] or http://host:port"
        )
    if ":" not in host and default_port:
        host = f"{host}:{default_port}"
    return host, plaintext
