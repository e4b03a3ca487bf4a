"""Verify and parse Clockify webhooks.

Each delivery is one JSON object, the time entry (or approval request) as
Clockify's API shows it; the `clockify-webhook-event-type` header names the
event (NEW_TIME_ENTRY, TIME_ENTRY_UPDATED, TIME_ENTRY_DELETED,
NEW_TIMER_STARTED, TIMER_STOPPED, NEW_APPROVAL_REQUEST,
APPROVAL_REQUEST_STATUS_UPDATED, ...). A time entry carries `id`, `userId`,
`workspaceId`, `projectId`, `taskId`, `description`, `billable`,
`timeInterval` {`start`, `end`, `duration` (ISO 8601, `PT1H30M`)},
`hourlyRate` {`amount` in cents, `currency`}, `approvalStatus` where the
workspace uses approvals, and hydrated `project` {`name`, `clientName`},
`task` {`name`}, `user` {`id`, `name`, `email`?}, `tags` [{`name`}].

Signature: Clockify sends the webhook's own token in `Clockify-Signature`;
it is compared, in constant time, with the one configured for the source.
Clockify sends no delivery id, so the dedupe key is the event type, the
entry id and a digest of the body: a retried delivery is a duplicate, a new
state of the same entry is a new event.

A running timer (`timeInterval.end` null) is kept and goes nowhere until it
stops. An approval request that reaches APPROVED makes the `clockify`
target read that person's entries for the period and accept them as
approved (`opsgate.rules.workflows.tracked_time`).

No recorded Clockify delivery is in the shared samples; the shapes here
follow Clockify's public webhook documentation and payloads quoted in public
integration code, so the parser tolerates absent hydrated objects and an
approval request wrapped in `approvalRequest` or not.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from opsgate.connectors.inbound.body import from_iso, load_json, require
from opsgate.connectors.inbound.errors import PayloadRejected
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.inbound.signing import require_header, require_match
from opsgate.connectors.timesheet_export.values import round_hours

SOURCE = "clockify"
SIGNATURE_HEADER = "Clockify-Signature"
EVENT_HEADER = "clockify-webhook-event-type"

EVENT_TYPES = {
    "NEW_TIME_ENTRY": "time_entry.created",
    "TIME_ENTRY_UPDATED": "time_entry.updated",
    "TIME_ENTRY_DELETED": "time_entry.deleted",
    "NEW_TIMER_STARTED": "time_entry.started",
    "TIMER_STOPPED": "time_entry.stopped",
    "NEW_APPROVAL_REQUEST": "approval_request.created",
    "APPROVAL_REQUEST_STATUS_UPDATED": "approval_request.updated",
}
"""Clockify's event names and the event types Opsgate records them as."""

APPROVAL_STATES = {"APPROVED": True, "PENDING": False, "UNSUBMITTED": False}
"""An entry's `approvalStatus` as Opsgate's `approved` (absent: None, unknown)."""

_DURATION = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def verify(request: InboundRequest, secret: str, now: datetime | None = None) -> None:
    """Raise `SignatureRejected` unless `Clockify-Signature` is the webhook's token."""
    given = require_header(
        request.header(SIGNATURE_HEADER), SIGNATURE_HEADER, source=SOURCE
    )
    require_match(secret, given, source=SOURCE, scheme="token", echo=False)


def parse(body: bytes, headers: Mapping[str, str] | None = None) -> list[SourceRecord]:
    """Turn one Clockify delivery into one record.

    Raises:
        PayloadRejected: not JSON, or a field the record needs is missing or
            malformed (the message names its JSON path).
    """
    document = load_json(body, source=SOURCE)
    if not isinstance(document, dict):
        raise PayloadRejected(
            f"{SOURCE} body at $: expected an object, got {type(document).__name__}.",
            source=SOURCE,
            location="$",
        )
    named = InboundRequest(body=b"", headers=headers or {}).header(EVENT_HEADER)
    event_type = _event_type(named, document)
    digest = hashlib.sha256(body).hexdigest()[:16]
    if event_type.startswith("approval_request."):
        request = document.get("approvalRequest", document)
        fields = _approval(request)
        object_type, object_id = "approval_request", fields["approval_id"]
    elif event_type.startswith("time_entry."):
        fields = entry_fields(document, event_type)
        object_type, object_id = "time_entry", fields["entry_id"]
    else:
        object_type, object_id = event_type.split(".")[0], document.get("id")
        fields = document
    return [
        SourceRecord(
            source=SOURCE,
            source_event_id=f"{event_type}:{object_id}:{digest}",
            event_type=event_type,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            fields=fields,
            meta={"clockify_event": named},
            location="$",
            raw=document,
        )
    ]


def _event_type(named: str | None, document: dict[str, Any]) -> str:
    if named:
        return EVENT_TYPES.get(named.strip().upper(), named.strip().lower())
    if "timeInterval" in document:
        return "time_entry.updated"
    if "dateRange" in document or "approvalRequest" in document:
        return "approval_request.updated"
    raise PayloadRejected(
        f"{SOURCE} webhook names no event: header {EVENT_HEADER!r} is missing and "
        "the body is neither a time entry nor an approval request.",
        source=SOURCE,
        location="$",
    )


def entry_fields(entry: dict[str, Any], event_type: str) -> dict[str, Any]:
    """Return a Clockify time entry as the record's fields (see the module doc)."""
    where = "$"
    interval = require(entry, "timeInterval", source=SOURCE, location=where)
    start = from_iso(
        require(interval, "start", source=SOURCE, location=f"{where}.timeInterval"),
        source=SOURCE,
        location=f"{where}.timeInterval.start",
    )
    end = interval.get("end")
    running = end is None or bool(entry.get("currentlyRunning"))
    project, task = _part(entry, "project"), _part(entry, "task")
    user, rate = _part(entry, "user"), _part(entry, "hourlyRate")
    action = event_type.split(".", 1)[1]
    if action in {"started", "stopped"}:
        action = "created"
    return {
        "action": "running" if running and action != "deleted" else action,
        "entry_id": str(require(entry, "id", source=SOURCE, location=where)),
        "workspace_id": str(
            require(entry, "workspaceId", source=SOURCE, location=where)
        ),
        "user_id": str(
            entry.get("userId") or require(user, "id", source=SOURCE, location="$.user")
        ),
        "user_name": user.get("name"),
        "user_email": user.get("email"),
        "project_id": entry.get("projectId") or project.get("id"),
        "project_name": project.get("name"),
        "customer_id": project.get("clientId"),
        "customer_name": project.get("clientName"),
        "task_id": entry.get("taskId") or task.get("id"),
        "task_name": task.get("name"),
        "description": entry.get("description") or None,
        "billable": bool(entry.get("billable", True)),
        "started_at": start.isoformat(),
        "ended_at": (
            from_iso(end, source=SOURCE, location="$.timeInterval.end").isoformat()
            if end
            else None
        ),
        "hours": None if running else _hours(interval.get("duration")),
        "approved": APPROVAL_STATES.get(str(entry.get("approvalStatus") or "").upper()),
        "hourly_rate": _rate(rate.get("amount")),
        "currency": rate.get("currency"),
        "tags": [
            str(tag.get("name"))
            for tag in entry.get("tags") or []
            if isinstance(tag, dict) and tag.get("name")
        ],
    }


def _approval(request: dict[str, Any]) -> dict[str, Any]:
    where = "$.approvalRequest" if "owner" not in request else "$"
    period = require(request, "dateRange", source=SOURCE, location=where)
    owner = require(request, "owner", source=SOURCE, location=where)
    status = _part(request, "status")
    return {
        "approval_id": str(require(request, "id", source=SOURCE, location=where)),
        "workspace_id": str(
            require(request, "workspaceId", source=SOURCE, location=where)
        ),
        "user_id": str(
            require(owner, "userId", source=SOURCE, location=f"{where}.owner")
        ),
        "user_name": owner.get("userName"),
        "state": str(status.get("state") or "PENDING").upper(),
        "period_start": from_iso(
            require(period, "start", source=SOURCE, location=f"{where}.dateRange"),
            source=SOURCE,
            location=f"{where}.dateRange.start",
        )
        .date()
        .isoformat(),
        "period_end": from_iso(
            require(period, "end", source=SOURCE, location=f"{where}.dateRange"),
            source=SOURCE,
            location=f"{where}.dateRange.end",
        )
        .date()
        .isoformat(),
    }


def _part(document: dict[str, Any], key: str) -> dict[str, Any]:
    """A hydrated object of the payload (`project`, `user`, ...), or {} if absent."""
    value = document.get(key)
    return value if isinstance(value, dict) else {}


def _hours(duration: Any) -> str | None:
    """Hours from an ISO 8601 duration (`PT1H30M`), 4 decimals; None if absent."""
    if not isinstance(duration, str):
        return None
    match = _DURATION.match(duration.strip())
    if match is None:
        raise PayloadRejected(
            f"{SOURCE} body at $.timeInterval.duration: expected an ISO 8601 "
            f"duration such as 'PT1H30M', got {duration!r}.",
            source=SOURCE,
            location="$.timeInterval.duration",
            value=duration,
        )
    parts = {k: Decimal(v) if v else Decimal(0) for k, v in match.groupdict().items()}
    seconds = parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]
    return str(round_hours(seconds / 3600))


def _rate(cents: Any) -> str | None:
    """Clockify's rate `amount` is in cents: 10000 is 100.00 per hour."""
    if cents is None:
        return None
    try:
        return str((Decimal(str(cents)) / 100).quantize(Decimal("0.01")))
    except InvalidOperation:
        return None
