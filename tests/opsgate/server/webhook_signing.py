"""The Standard Webhooks vector and samples the server tests sign and send."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from opsgate.connectors.webhooks.signers import signed_for
from opsgate.connectors.webhooks.standard import signed_headers

FIXTURES = Path(__file__).parents[2] / "fixtures" / "webhooks"
VECTOR = json.loads(
    (FIXTURES / "standard-webhooks-v1-symmetric-vector.json").read_text()
)
VECTOR_BODY = (FIXTURES / "standard-webhooks-v1-symmetric.payload.json").read_bytes()
STRIPE_BODY = (
    FIXTURES / "stripe-invoice-payment-succeeded-live-basil.json"
).read_bytes()
PINNED = datetime.fromtimestamp(VECTOR["timestamp"], UTC)
SECRET = VECTOR["secret"]


def published_headers() -> dict[str, str]:
    text = (FIXTURES / "standard-webhooks-v1-symmetric.payload.headers.txt").read_text()
    pairs = [
        line.split(":", 1) for line in text.splitlines() if line and line[0] != "#"
    ]
    return {name.strip(): value.strip() for name, value in pairs}


def signed(body: bytes, msg_id: str = "msg_1") -> dict[str, str]:
    """Headers signing `body` at the pinned instant."""
    return signed_headers(
        SECRET, msg_id=msg_id, timestamp=VECTOR["timestamp"], body=body
    )


def stripe_signed(body: bytes, seconds_before: int = 0) -> dict[str, str]:
    """A `Stripe-Signature` for `body`, made `seconds_before` the pinned instant."""
    sent = PINNED - timedelta(seconds=seconds_before)
    return signed_for("stripe", SECRET, "http://testserver/webhooks/stripe", body, sent)
