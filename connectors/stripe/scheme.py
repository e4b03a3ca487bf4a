"""Stripe's `Stripe-Signature` as a catalog signature scheme (`signature: stripe`)."""

from collections.abc import Mapping
from datetime import datetime

from opsgate.connectors.inbound.errors import SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.stripe import events
from opsgate.connectors.webhooks.errors import SignatureInvalid


def verify(
    secret: str,
    *,
    headers: Mapping[str, str],
    body: bytes,
    tolerance_s: int,
    now: datetime | None = None,
) -> str | None:
    """Check the Stripe signature; Stripe's event id is in the body, so return None.

    Stripe documents a 5-minute tolerance, which `events.verify` applies;
    `tolerance_s` is accepted for the scheme interface.
    """
    try:
        events.verify(InboundRequest(body=body, headers=headers), secret, now)
    except SignatureRejected as exc:
        raise SignatureInvalid(str(exc)) from None
    return None
