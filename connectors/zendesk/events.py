"""Verify and parse Zendesk webhooks.

Event webhooks share one envelope: `type` (`zen:event-type:...`), `id`,
`time`, `subject` (`zen:<object>:<id>`), `detail` (the object, ids as
strings) and `event` (what changed). Trigger- or automation-connected
webhooks send whatever JSON the trigger defines; a body with a `ticket`
object is read as a ticket notification keyed by ticket id and update time.

Signature: `X-Zendesk-Webhook-Signature` is base64 HMAC-SHA256, keyed with
the webhook's signing secret, over `X-Zendesk-Webhook-Signature-Timestamp`
followed by the body; a timestamp more than 5 minutes from now is refused.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from opsgate.connectors.inbound.body import from_iso, load_json
from opsgate.connectors.inbound.errors import PayloadRejected, SignatureRejected
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.inbound.signing import (
    b64_digest,
    hmac_sha256,
    require_fresh,
    require_header,
    require_match,
)

SOURCE = "zendesk"
TOLERANCE_S = 300.0
"""How far the signature timestamp may be from now. Seconds."""


def signature(secret: str, body: bytes, timestamp: str) -> str:
    """Return the signature Zendesk sends for `body` at `timestamp`."""
    return b64_digest(hmac_sha256(secret.encode(), timestamp.encode() + body))


def verify(request: InboundRequest, secret: str, now: datetime | None = None) -> None:
    """Raise `SignatureRejected` unless the request is signed and fresh."""
    name = "X-Zendesk-Webhook-Signature"
    given = require_header(request.header(name), name, source=SOURCE)
    timestamp = require_header(
        request.header(f"{name}-Timestamp"), f"{name}-Timestamp", source=SOURCE
    )
    try:
        sent_at = from_iso(timestamp, source=SOURCE, location=f"{name}-Timestamp")
    except PayloadRejected as exc:
        raise SignatureRejected(str(exc), source=SOURCE) from None
    require_fresh(sent_at, now=now, tolerance_s=TOLERANCE_S, source=SOURCE)
    require_match(
        signature(secret, request.body, timestamp),
        given,
        source=SOURCE,
        scheme="HMAC-SHA256",
    )


def parse(body: bytes, headers: Mapping[str, str] | None = None) -> list[SourceRecord]:
    """Turn one Zendesk delivery into one record.

    Raises:
        PayloadRejected: neither an event envelope nor a ticket notification.
    """
    document = load_json(body, source=SOURCE)
    if isinstance(document, dict) and {"type", "id", "subject"} <= document.keys():
        return [_event(document)]
    if isinstance(document, dict) and isinstance(document.get("ticket"), dict):
        return [_ticket(document["ticket"])]
    raise PayloadRejected(
        "zendesk body is neither an event webhook (type, id, subject) nor a "
        "trigger payload with a 'ticket' object.",
        source=SOURCE,
        location="$",
    )


def _event(document: dict[str, Any]) -> SourceRecord:
    _, object_type, object_id = (str(document["subject"]).split(":", 2) + ["", ""])[:3]
    occurred_at = (
        from_iso(document["time"], source=SOURCE, location="$.time")
        if document.get("time")
        else None
    )
    return SourceRecord(
        source=SOURCE,
        source_event_id=str(document["id"]),
        event_type=str(document["type"]),
        object_type=object_type or "unknown",
        object_id=object_id or None,
        occurred_at=occurred_at,
        fields={**(document.get("detail") or {}), "change": document.get("event")},
        meta={
            "account_id": document.get("account_id"),
            "zendesk_event_version": document.get("zendesk_event_version"),
        },
        location="$",
        raw=document,
    )


def _ticket(ticket: dict[str, Any]) -> SourceRecord:
    ticket_id = ticket.get("id")
    if ticket_id is None:
        raise PayloadRejected(
            "zendesk ticket payload at $.ticket has no 'id'.",
            source=SOURCE,
            location="$.ticket.id",
        )
    updated = ticket.get("updated_at") or ticket.get("updated")
    return SourceRecord(
        source=SOURCE,
        source_event_id=f"ticket:{ticket_id}:{updated}",
        event_type="ticket.notified",
        object_type="ticket",
        object_id=str(ticket_id),
        fields=dict(ticket),
        location="$.ticket",
        raw=ticket,
    )
