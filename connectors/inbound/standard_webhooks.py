"""Verify the Standard Webhooks symmetric (`v1`) signature with a pinnable clock.

Signed content is `<webhook-id>.<webhook-timestamp>.<body>`; the key is the
base64-decoded part of the `whsec_...` secret; `webhook-signature` holds one
or more space-separated `v1,<base64>` values, any of which may match. A
timestamp (seconds) more than 5 minutes from now is refused. Used for senders
that follow the scheme, such as relays of timesheet tools' approved entries.
"""

import base64
import binascii
import hmac
from datetime import datetime

from opsgate.connectors.inbound.errors import SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.inbound.signing import (
    b64_digest,
    hmac_sha256,
    parse_epoch,
    require_fresh,
    require_header,
)

TOLERANCE_S = 300.0
"""How far `webhook-timestamp` may be from now. Seconds."""


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Return the `v1,<base64>` signature for this message."""
    key = _key(secret, source="standard-webhooks")
    content = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + b64_digest(hmac_sha256(key, content))


def verify(
    request: InboundRequest,
    secret: str,
    now: datetime | None = None,
    *,
    source: str = "standard-webhooks",
) -> None:
    """Raise `SignatureRejected` unless one `v1` signature matches and is fresh."""
    msg_id = require_header(request.header("webhook-id"), "webhook-id", source=source)
    stamp = require_header(
        request.header("webhook-timestamp"), "webhook-timestamp", source=source
    )
    given = require_header(
        request.header("webhook-signature"), "webhook-signature", source=source
    )
    sent_at = parse_epoch(stamp, unit_s=1, name="webhook-timestamp", source=source)
    require_fresh(sent_at, now=now, tolerance_s=TOLERANCE_S, source=source)
    expected = signature(secret, msg_id, int(stamp), request.body).encode()
    if not any(hmac.compare_digest(expected, sig.encode()) for sig in given.split()):
        raise SignatureRejected(
            f"{source} webhook rejected: no v1 signature in {given!r} matches the "
            "body; check the signing secret.",
            source=source,
        )


def _key(secret: str, *, source: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except binascii.Error:
        raise SignatureRejected(
            f"{source} signing secret is not 'whsec_' followed by base64.",
            source=source,
        ) from None
