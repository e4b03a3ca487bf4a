"""Build CloudEvents 1.0 envelopes from stored `Event` rows, and back.

Attributes: `id`, `source` (the source's name, a URI-reference), `type`,
`time`, `subject`, `datacontenttype`, and the extensions `correlationid`,
`causationid`, `schemaversion` and `sourceeventid` (the sender's own id, so an
envelope converts back to a row). Attributes without a value are left out,
as the specification requires.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from cloudevents.conversion import to_dict
from cloudevents.http import CloudEvent

from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import Event

_EXTENSIONS = {
    "correlationid": "correlation_id",
    "causationid": "causation_id",
    "schemaversion": "schema_version",
    "sourceeventid": "source_event_id",
}
"""CloudEvents extension attribute → `Event` column."""


def to_cloudevent(event: Event) -> CloudEvent:
    """Return the envelope of a stored event; `data` is its canonical object."""
    attributes: dict[str, Any] = {
        "specversion": "1.0",
        "id": event.id,
        "source": event.source,
        "type": event.type,
        "time": _utc(event.time or event.accepted_at).isoformat(),
    }
    if event.subject:
        attributes["subject"] = event.subject
    if event.data is not None:
        attributes["datacontenttype"] = "application/json"
    for extension, column in _EXTENSIONS.items():
        value = getattr(event, column)
        if value is not None:
            attributes[extension] = value
    return CloudEvent(attributes, event.data)


def to_structured(event: Event) -> dict[str, Any]:
    """Return the envelope as a CloudEvents structured-mode JSON object."""
    envelope: dict[str, Any] = to_dict(to_cloudevent(event))
    return envelope


def from_cloudevent(
    envelope: CloudEvent | Mapping[str, Any],
    *,
    raw_body: bytes | None = None,
    status: EventStatus = EventStatus.ACCEPTED,
) -> Event:
    """Return an unsaved `Event` row for an envelope.

    Without `raw_body`, the envelope's `data` serialised as JSON stands in for
    the body as received.
    """
    attributes, data = _split(envelope)
    columns = {
        column: attributes[extension]
        for extension, column in _EXTENSIONS.items()
        if attributes.get(extension) is not None
    }
    columns.setdefault("source_event_id", attributes["id"])
    body = raw_body if raw_body is not None else json.dumps(data).encode()
    return Event(
        id=attributes["id"],
        source=attributes["source"],
        type=attributes["type"],
        subject=attributes.get("subject"),
        time=datetime.fromisoformat(attributes["time"])
        if attributes.get("time")
        else None,
        status=status,
        content_type=attributes.get("datacontenttype", "application/json"),
        raw_body=body,
        data=data if isinstance(data, dict) else None,
        **columns,
    )


def _utc(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; the store writes UTC only.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _split(envelope: CloudEvent | Mapping[str, Any]) -> tuple[dict[str, Any], Any]:
    if isinstance(envelope, CloudEvent):
        return dict(envelope.get_attributes()), envelope.get_data()
    attributes = {key: value for key, value in envelope.items() if key != "data"}
    return attributes, envelope.get("data")
