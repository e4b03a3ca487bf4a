"""The arithmetic shared by the peers' signature schemes.

Every comparison is constant-time; every freshness check takes `now` from the
caller so tests can pin the clock on published vectors.
"""

import base64
import hashlib
import hmac
from datetime import UTC, datetime

from opsgate.connectors.inbound.errors import SignatureRejected


def hmac_sha256(key: bytes, message: bytes) -> bytes:
    """Return the raw HMAC-SHA256 of `message` under `key`."""
    return hmac.new(key, message, hashlib.sha256).digest()


def hex_digest(digest: bytes) -> str:
    """Return `digest` as lower-case hex."""
    return digest.hex()


def b64_digest(digest: bytes) -> str:
    """Return `digest` as standard base64."""
    return base64.b64encode(digest).decode("ascii")


def require_header(value: str | None, name: str, *, source: str) -> str:
    """Return a header's value, or raise naming the missing header."""
    if value is None or not value.strip():
        raise SignatureRejected(
            f"{source} webhook rejected: header {name!r} is missing.", source=source
        )
    return value.strip()


def require_match(
    expected: str, given: str, *, source: str, scheme: str, echo: bool = True
) -> None:
    """Raise unless `given` equals `expected`, compared in constant time.

    `echo=False` keeps the given value out of the message: where the header
    carries a token rather than a digest, a near-miss is itself a secret.
    """
    if not hmac.compare_digest(expected.encode(), given.strip().encode()):
        shown = f" {given.strip()!r}" if echo else ""
        raise SignatureRejected(
            f"{source} webhook rejected: {scheme} signature{shown} does not "
            "match the body; check the signing secret.",
            source=source,
        )


def require_fresh(
    sent_at: datetime, *, now: datetime | None, tolerance_s: float, source: str
) -> None:
    """Raise when `sent_at` is further than `tolerance_s` from `now` either way."""
    current = now or datetime.now(UTC)
    skew_s = abs((current - sent_at).total_seconds())
    if skew_s > tolerance_s:
        raise SignatureRejected(
            f"{source} webhook rejected: request timestamp {sent_at.isoformat()!r} is "
            f"{skew_s:.0f} s from now, outside the {tolerance_s:.0f} s window.",
            source=source,
        )


def parse_epoch(value: str, *, unit_s: float, name: str, source: str) -> datetime:
    """Parse a numeric epoch header (seconds when `unit_s` is 1, ms when 0.001)."""
    try:
        number = float(value)
    except ValueError:
        raise SignatureRejected(
            f"{source} webhook rejected: header {name!r} is not a number: {value!r}.",
            source=source,
        ) from None
    return datetime.fromtimestamp(number * unit_s, UTC)
