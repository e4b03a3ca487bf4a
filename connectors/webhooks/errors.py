"""Errors raised while checking a webhook's signature.

SignatureError
 ├── SignatureMissing   (a required header is absent)
 ├── SignatureInvalid   (no signature matches the body)
 └── TimestampStale     (the signed timestamp is outside the tolerance)
"""

from __future__ import annotations


class SignatureError(Exception):
    """Raised when a webhook's signature cannot be accepted."""

    reason = "signature_invalid"
    """Stable key for metrics and problem types."""


class SignatureMissing(SignatureError):
    """Raised when a header the scheme requires is absent or empty."""

    reason = "signature_missing"


class SignatureInvalid(SignatureError):
    """Raised when no signature in the header matches the body."""

    reason = "signature_invalid"


class TimestampStale(SignatureError):
    """Raised when the signed timestamp is too old or too far in the future."""

    reason = "timestamp_stale"
