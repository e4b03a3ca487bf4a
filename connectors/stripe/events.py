"""Verify and parse Stripe webhook events.

Signature: `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=...][,v0=...]`, where
v1 is the hex HMAC-SHA256, keyed with the endpoint secret (`whsec_...` used
as is), of `<t>.<raw body>`. Any v1 may match (secrets roll); a `t` more than
5 minutes from now is refused.

An event becomes one record about `data.object`. Stripe's amounts are in
the currency's minor unit and stay so in `fields`; `currency` is upper-cased
to ISO 4217. The "basil" API (2025-08-27) moved an invoice's subscription to
`parent.subscription_details.subscription`; `fields.subscription` is filled
from there when the top-level key is absent.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from opsgate.connectors.inbound.body import load_json, require
from opsgate.connectors.inbound.errors import PayloadRejected, SignatureRejected
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.inbound.signing import (
    hex_digest,
    hmac_sha256,
    parse_epoch,
    require_fresh,
    require_header,
    require_match,
)

SOURCE = "stripe"
TOLERANCE_S = 300.0
"""How far `t` may be from now. Seconds."""


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """Return the v1 signature Stripe computes for `body` at `timestamp`."""
    return hex_digest(hmac_sha256(secret.encode(), f"{timestamp}.".encode() + body))


def verify(request: InboundRequest, secret: str, now: datetime | None = None) -> None:
    """Raise `SignatureRejected` unless a v1 signature matches and `t` is fresh."""
    header = require_header(
        request.header("Stripe-Signature"), "Stripe-Signature", source=SOURCE
    )
    pairs = [part.split("=", 1) for part in header.split(",") if "=" in part]
    stamps = [value for key, value in pairs if key.strip() == "t"]
    given = [value for key, value in pairs if key.strip() == "v1"]
    if not stamps or not given:
        raise SignatureRejected(
            f"stripe webhook rejected: Stripe-Signature {header!r} lacks t= or v1=.",
            source=SOURCE,
        )
    if not stamps[0].strip().isdigit():
        raise SignatureRejected(
            f"stripe webhook rejected: Stripe-Signature t={stamps[0]!r} is not whole "
            "seconds since the epoch.",
            source=SOURCE,
        )
    sent_at = parse_epoch(stamps[0], unit_s=1, name="Stripe-Signature t", source=SOURCE)
    require_fresh(sent_at, now=now, tolerance_s=TOLERANCE_S, source=SOURCE)
    expected = signature(secret, request.body, int(stamps[0]))
    matches = [candidate for candidate in given if candidate.strip() == expected]
    require_match(
        expected, matches[0] if matches else given[0], source=SOURCE, scheme="v1"
    )


def parse(body: bytes, headers: Mapping[str, str] | None = None) -> list[SourceRecord]:
    """Turn one Stripe event into one record about its `data.object`.

    Raises:
        PayloadRejected: not an `event` object, or `data.object` is missing.
    """
    event = load_json(body, source=SOURCE)
    if not isinstance(event, dict) or event.get("object") != "event":
        raise PayloadRejected(
            'stripe body is not an event object (expected "object": "event").',
            source=SOURCE,
            location="$.object",
        )
    event_id = str(require(event, "id", source=SOURCE, location="$"))
    data = require(event, "data", source=SOURCE, location="$")
    obj = require(data, "object", source=SOURCE, location="$.data")
    created = require(event, "created", source=SOURCE, location="$")
    request = event.get("request") or {}
    return [
        SourceRecord(
            source=SOURCE,
            source_event_id=event_id,
            event_type=str(require(event, "type", source=SOURCE, location="$")),
            object_type=str(obj.get("object") or "unknown"),
            object_id=str(obj["id"]) if obj.get("id") else None,
            occurred_at=datetime.fromtimestamp(int(created), UTC),
            fields=_fields(obj),
            meta={
                "api_version": event.get("api_version"),
                "livemode": event.get("livemode"),
                "account": event.get("account"),
                "request_id": request.get("id"),
                "idempotency_key": request.get("idempotency_key"),
                "previous_attributes": data.get("previous_attributes"),
            },
            location="$",
            raw=event,
        )
    ]


def _fields(obj: dict[str, Any]) -> dict[str, Any]:
    fields = dict(obj)
    if isinstance(fields.get("currency"), str):
        fields["currency"] = fields["currency"].upper()
    if obj.get("object") == "invoice" and not fields.get("subscription"):
        details = (obj.get("parent") or {}).get("subscription_details") or {}
        fields["subscription"] = details.get("subscription")
    return fields
