"""Verify HubSpot's request signatures: v3 first, then the legacy v1/v2.

- v3 (`X-HubSpot-Signature-v3`): base64 HMAC-SHA256, keyed with the app's
  client secret, over method + URI + body + `X-HubSpot-Request-Timestamp`
  (epoch ms); requests older than 5 minutes are refused. Before signing,
  HubSpot decodes a fixed set of percent-escapes in the URI, so we do too.
- v2 (`X-HubSpot-Signature-Version: v2`): hex SHA-256 of secret + method +
  URI + body.
- v1: hex SHA-256 of secret + body (a plain hash, not an HMAC).
"""

import hashlib
from datetime import datetime

from opsgate.connectors.inbound.errors import SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.inbound.signing import (
    b64_digest,
    hmac_sha256,
    parse_epoch,
    require_fresh,
    require_header,
    require_match,
)

SOURCE = "hubspot"
V3_TOLERANCE_S = 300.0
"""How far the v3 request timestamp may be from now. Seconds."""

_V3_URI_DECODES = {
    "%3A": ":",
    "%2F": "/",
    "%3F": "?",
    "%40": "@",
    "%21": "!",
    "%24": "$",
    "%27": "'",
    "%28": "(",
    "%29": ")",
    "%2A": "*",
    "%2C": ",",
    "%3B": ";",
}


def v3_signature(
    secret: str, method: str, uri: str, body: bytes, timestamp: str
) -> str:
    """Return the v3 signature HubSpot would send for this request."""
    for escaped, char in _V3_URI_DECODES.items():
        uri = uri.replace(escaped, char).replace(escaped.lower(), char)
    message = method.upper().encode() + uri.encode() + body + timestamp.encode()
    return b64_digest(hmac_sha256(secret.encode(), message))


def legacy_signature(
    secret: str, version: str, method: str, uri: str, body: bytes
) -> str:
    """Return the v1 or v2 signature (hex SHA-256) for this request."""
    if version == "v1":
        source_bytes = secret.encode() + body
    elif version == "v2":
        source_bytes = secret.encode() + method.upper().encode() + uri.encode() + body
    else:
        raise SignatureRejected(
            f"hubspot webhook rejected: unknown signature version {version!r}; "
            "expected 'v1', 'v2' or a v3 header.",
            source=SOURCE,
        )
    return hashlib.sha256(source_bytes).hexdigest()


def verify(request: InboundRequest, secret: str, now: datetime | None = None) -> None:
    """Raise `SignatureRejected` unless the request carries a valid signature.

    The v3 header wins when present; otherwise the legacy header is checked
    according to `X-HubSpot-Signature-Version` (v1 when absent).
    """
    v3 = request.header("X-HubSpot-Signature-v3")
    if v3 is not None:
        timestamp = require_header(
            request.header("X-HubSpot-Request-Timestamp"),
            "X-HubSpot-Request-Timestamp",
            source=SOURCE,
        )
        sent_at = parse_epoch(
            timestamp, unit_s=0.001, name="X-HubSpot-Request-Timestamp", source=SOURCE
        )
        require_fresh(sent_at, now=now, tolerance_s=V3_TOLERANCE_S, source=SOURCE)
        expected = v3_signature(
            secret, request.method, request.url, request.body, timestamp
        )
        require_match(expected, v3, source=SOURCE, scheme="v3")
        return

    given = require_header(
        request.header("X-HubSpot-Signature"), "X-HubSpot-Signature", source=SOURCE
    )
    version = (request.header("X-HubSpot-Signature-Version") or "v1").strip().lower()
    expected = legacy_signature(
        secret, version, request.method, request.url, request.body
    )
    require_match(expected, given.lower(), source=SOURCE, scheme=version)
