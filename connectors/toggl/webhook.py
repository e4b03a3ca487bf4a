"""Verify and parse Toggl Track webhooks (Webhooks API v1).

Every delivery is one JSON object: `event_id`, `created_at`, `creator_id`,
`metadata` {`action` (created / updated / deleted), `model` (time_entry,
project, ...), `workspace_id`, `event_user_id`, `path`, ...}, `payload` (the
object as Toggl's API v9 returns it), `subscription_id`, `timestamp`. A
subscription being created or re-validated sends `payload: "ping"` with a
`validation_code`, which the receiver echoes back (synchronous validation).

Signature: `X-Webhook-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`
under the subscription's secret. Dedupe key: subscription id and
`event_id`, which Toggl keeps when it retries a delivery.

A time entry's payload carries ids only (user, project, task, workspace);
the `toggl` delivery target reads names and the person's e-mail over the
Track API (`opsgate.connectors.toggl.track_api`). A timer still running
(`stop` null, negative `duration`) is kept and goes nowhere until it stops.
Toggl records no approval on an entry, so `approved` is None, as for its CSV
export.

No recorded Toggl delivery is in the shared samples; the shapes here follow
Toggl's public Webhooks API documentation and the ping bodies quoted in
public integration code, so the parser is tolerant where they may vary
(ids as numbers or strings, `user_id`/`uid`, `workspace_id`/`wid`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from opsgate.connectors.inbound.body import from_iso, load_json, require
from opsgate.connectors.inbound.errors import PayloadRejected
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.inbound.signing import (
    hex_digest,
    hmac_sha256,
    require_header,
    require_match,
)
from opsgate.connectors.timesheet_export.values import round_hours

SOURCE = "toggl"
SIGNATURE_HEADER = "X-Webhook-Signature-256"


def signature(secret: str, body: bytes) -> str:
    """Return the `X-Webhook-Signature-256` value Toggl sends for `body`."""
    return "sha256=" + hex_digest(hmac_sha256(secret.encode(), body))


def verify(request: InboundRequest, secret: str, now: datetime | None = None) -> None:
    """Raise `SignatureRejected` unless the body's HMAC matches the header."""
    given = require_header(
        request.header(SIGNATURE_HEADER), SIGNATURE_HEADER, source=SOURCE
    )
    require_match(
        signature(secret, request.body), given, source=SOURCE, scheme="sha256"
    )


def parse(body: bytes, headers: Mapping[str, str] | None = None) -> list[SourceRecord]:
    """Turn one Toggl delivery into one record.

    Raises:
        PayloadRejected: not JSON, or a field the record needs is missing or
            of the wrong type (the message names its JSON path).
    """
    document = load_json(body, source=SOURCE)
    if not isinstance(document, dict):
        raise PayloadRejected(
            f"{SOURCE} body at $: expected an object, got {type(document).__name__}.",
            source=SOURCE,
            location="$",
        )
    subscription = document.get("subscription_id")
    if document.get("payload") == "ping" or "validation_code" in document:
        return [_ping(document, subscription)]
    metadata = require(document, "metadata", source=SOURCE, location="$")
    payload = require(document, "payload", source=SOURCE, location="$")
    event_id = require(document, "event_id", source=SOURCE, location="$")
    model = str(require(metadata, "model", source=SOURCE, location="$.metadata"))
    action = str(require(metadata, "action", source=SOURCE, location="$.metadata"))
    if not isinstance(payload, dict):
        raise PayloadRejected(
            f"{SOURCE} body at $.payload: expected an object, got {payload!r}.",
            source=SOURCE,
            location="$.payload",
            value=payload,
        )
    object_id = require(payload, "id", source=SOURCE, location="$.payload")
    occurred = document.get("timestamp") or document.get("created_at")
    fields = (
        _time_entry(payload, action, metadata) if model == "time_entry" else payload
    )
    return [
        SourceRecord(
            source=SOURCE,
            source_event_id=f"{subscription}:{event_id}",
            event_type=f"{model}.{action}",
            object_type=model,
            object_id=str(object_id),
            occurred_at=(
                from_iso(occurred, source=SOURCE, location="$.timestamp")
                if occurred
                else None
            ),
            fields=fields,
            meta={"subscription_id": subscription, "path": metadata.get("path")},
            location="$",
            raw=document,
        )
    ]


def validation_code(record: SourceRecord) -> str | None:
    """The code a ping asks to be echoed, or None for any other record."""
    if record.event_type != "ping":
        return None
    code = record.fields.get("validation_code")
    return str(code) if code else None


def _ping(document: dict[str, Any], subscription: Any) -> SourceRecord:
    code = document.get("validation_code")
    if not code:
        raise PayloadRejected(
            f"{SOURCE} ping at $.validation_code: required field is missing; the "
            "subscription cannot be validated without it.",
            source=SOURCE,
            location="$.validation_code",
        )
    return SourceRecord(
        source=SOURCE,
        source_event_id=f"{subscription}:ping:{code}",
        event_type="ping",
        object_type="subscription",
        object_id=str(subscription) if subscription is not None else None,
        fields={
            "validation_code": code,
            "validation_code_url": document.get("validation_code_url"),
        },
        location="$",
        raw=document,
    )


def _time_entry(
    payload: dict[str, Any], action: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    where = "$.payload"
    start = from_iso(
        require(payload, "start", source=SOURCE, location=where),
        source=SOURCE,
        location=f"{where}.start",
    )
    stop = payload.get("stop")
    duration = payload.get("duration")
    running = stop is None or (isinstance(duration, int | float) and duration < 0)
    workspace = _first(payload, "workspace_id", "wid") or metadata.get("workspace_id")
    user = _first(payload, "user_id", "uid") or metadata.get("event_user_id")
    if workspace is None or user is None:
        missing = "workspace_id" if workspace is None else "user_id"
        raise PayloadRejected(
            f"{SOURCE} body at {where}.{missing}: required field is missing.",
            source=SOURCE,
            location=f"{where}.{missing}",
        )
    hours = None
    if not running and isinstance(duration, int | float):
        hours = str(round_hours(Decimal(int(duration)) / 3600))
    tags = payload.get("tags") or []
    return {
        "action": "running" if running and action != "deleted" else action,
        "entry_id": str(payload["id"]),
        "workspace_id": str(workspace),
        "user_id": str(user),
        "user_name": payload.get("user_name"),
        "user_email": payload.get("user_email"),
        "project_id": _text(_first(payload, "project_id", "pid")),
        "project_name": payload.get("project_name"),
        "customer_id": _text(payload.get("client_id")),
        "customer_name": payload.get("client_name"),
        "task_id": _text(_first(payload, "task_id", "tid")),
        "task_name": payload.get("task_name"),
        "description": payload.get("description") or None,
        "billable": bool(payload.get("billable", True)),
        "started_at": start.isoformat(),
        "ended_at": (
            from_iso(stop, source=SOURCE, location=f"{where}.stop").isoformat()
            if stop
            else None
        ),
        "hours": hours,
        "tags": [str(tag) for tag in tags] if isinstance(tags, list) else [],
    }


def _first(payload: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if payload.get(key) is not None:
            return payload[key]
    return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
