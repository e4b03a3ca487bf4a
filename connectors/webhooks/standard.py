"""The Standard Webhooks symmetric scheme (`v1`, HMAC-SHA256).

The signed content is `webhook-id.webhook-timestamp.body`; the key is the
base64-decoded part of the `whsec_...` secret; `webhook-signature` holds one or
more space-separated `v1,<base64>` signatures. The HMAC comes from the
`standardwebhooks` library; the header, tolerance and clock handling are ours
so the tolerance is configurable and the clock can be pinned in tests.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

from opsgate.connectors.webhooks.errors import (
    SignatureInvalid,
    SignatureMissing,
    TimestampStale,
)

REQUIRED_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
"""Headers every Standard Webhooks request carries."""


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """Return the `v1,<base64>` signature of `body` for the given id and time."""
    return Webhook(secret).sign(
        msg_id=msg_id, timestamp=datetime.fromtimestamp(timestamp, UTC), data=body
    )


def signed_headers(
    secret: str, *, msg_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """Return the three headers a sender attaches to `body`."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(
            secret, msg_id=msg_id, timestamp=timestamp, body=body
        ),
    }


def verify(
    secret: str,
    *,
    headers: Mapping[str, str],
    body: bytes,
    tolerance_s: int,
    now: datetime | None = None,
) -> str:
    """Check `body` against its Standard Webhooks headers; return the `webhook-id`.

    Header names are matched case-insensitively. Signatures are compared in
    constant time.

    Raises:
        SignatureMissing: a required header is absent or empty.
        TimestampStale: the timestamp is not a number or is outside the tolerance.
        SignatureInvalid: no `v1` signature in the header matches.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    missing = [name for name in REQUIRED_HEADERS if not lowered.get(name)]
    if missing:
        raise SignatureMissing(f"Standard Webhooks header {missing[0]!r} is missing.")
    msg_id = lowered["webhook-id"]
    timestamp = _checked_timestamp(lowered["webhook-timestamp"], tolerance_s, now)
    expected = sign(secret, msg_id=msg_id, timestamp=timestamp, body=body).encode()
    offered = lowered["webhook-signature"].split()
    if not any(hmac.compare_digest(expected, item.encode()) for item in offered):
        raise SignatureInvalid(
            f"No signature in 'webhook-signature' matches the body of {msg_id!r}."
        )
    return msg_id


def _checked_timestamp(raw: str, tolerance_s: int, now: datetime | None) -> int:
    try:
        timestamp = int(raw.strip())
    except ValueError:
        raise TimestampStale(
            f"Header 'webhook-timestamp' must be Unix seconds, got {raw!r}."
        ) from None
    current = (now or datetime.now(UTC)).timestamp()
    skew_s = current - timestamp
    if abs(skew_s) > tolerance_s:
        direction = "old" if skew_s > 0 else "in the future"
        raise TimestampStale(
            f"Header 'webhook-timestamp' {timestamp!r} is {abs(int(skew_s))} s "
            f"{direction}; the tolerance is {tolerance_s} s."
        )
    return timestamp
