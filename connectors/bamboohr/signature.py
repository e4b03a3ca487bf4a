"""Verify BambooHR's webhook signature.

`X-BambooHR-Signature` is the hex HMAC-SHA256, keyed with the webhook's
private key, of the raw body followed by the `X-BambooHR-Timestamp` value.
Requests whose timestamp is more than 5 minutes from now are refused.
"""

from datetime import datetime

from opsgate.connectors.inbound.body import from_iso
from opsgate.connectors.inbound.errors import PayloadRejected, SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.inbound.signing import (
    hex_digest,
    hmac_sha256,
    parse_epoch,
    require_fresh,
    require_header,
    require_match,
)

SOURCE = "bamboohr"
TOLERANCE_S = 300.0
"""How far the request timestamp may be from now. Seconds."""


def signature(secret: str, body: bytes, timestamp: str) -> str:
    """Return the signature BambooHR sends for `body` at `timestamp`."""
    return hex_digest(hmac_sha256(secret.encode(), body + timestamp.encode()))


def verify(request: InboundRequest, secret: str, now: datetime | None = None) -> None:
    """Raise `SignatureRejected` unless the request is signed and fresh."""
    given = require_header(
        request.header("X-BambooHR-Signature"), "X-BambooHR-Signature", source=SOURCE
    )
    timestamp = require_header(
        request.header("X-BambooHR-Timestamp"), "X-BambooHR-Timestamp", source=SOURCE
    )
    require_fresh(_sent_at(timestamp), now=now, tolerance_s=TOLERANCE_S, source=SOURCE)
    require_match(
        signature(secret, request.body, timestamp),
        given.lower(),
        source=SOURCE,
        scheme="HMAC-SHA256",
    )


def _sent_at(timestamp: str) -> datetime:
    if timestamp.replace(".", "", 1).isdigit():
        return parse_epoch(
            timestamp, unit_s=1, name="X-BambooHR-Timestamp", source=SOURCE
        )
    try:
        return from_iso(timestamp, source=SOURCE, location="X-BambooHR-Timestamp")
    except PayloadRejected as exc:
        raise SignatureRejected(str(exc), source=SOURCE) from None
