"""Signature schemes by name, as a catalog entry's `signature:` names them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from opsgate.connectors.stripe import scheme as stripe_scheme
from opsgate.connectors.webhooks import standard


class SignatureScheme(Protocol):
    """Check a request's signature; return the sender's message id, if it has one."""

    def __call__(
        self,
        secret: str,
        *,
        headers: Mapping[str, str],
        body: bytes,
        tolerance_s: int,
        now: datetime | None = None,
    ) -> str | None:
        """Raise a `SignatureError` unless the signature holds."""
        ...


SCHEMES: dict[str, SignatureScheme] = {
    "standard-webhooks": standard.verify,
    "stripe": stripe_scheme.verify,
}
"""Every scheme a source may name. Peer connectors add theirs here."""
