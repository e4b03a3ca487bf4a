"""Parse a HubSpot webhook body: a JSON array of CRM object events.

One delivery carries up to 100 events, even when there is only one. Each
event becomes one `SourceRecord`; redeliveries (`attemptNumber` > 0) keep
their ids, so the record's `source_event_id` dedupes them.
"""

from collections.abc import Mapping
from typing import Any

from opsgate.connectors.inbound.body import from_epoch_ms, load_json, require
from opsgate.connectors.inbound.errors import PayloadRejected
from opsgate.connectors.inbound.record import SourceRecord

SOURCE = "hubspot"

_PASSED_THROUGH = (
    "portalId",
    "appId",
    "subscriptionId",
    "eventId",
    "attemptNumber",
    "changeSource",
    "changeFlag",
    "sourceId",
    "propertyName",
    "propertyValue",
    "primaryObjectId",
    "mergedObjectIds",
    "newObjectId",
    "fromObjectId",
    "toObjectId",
    "associationType",
    "associationRemoved",
)


def parse(body: bytes, headers: Mapping[str, str] | None = None) -> list[SourceRecord]:
    """Turn one webhook body into one record per event.

    Raises:
        PayloadRejected: the body is not a JSON array of events, or an event
            lacks `eventId`, `subscriptionType`, `objectId` or `occurredAt`.
    """
    events = load_json(body, source=SOURCE)
    if not isinstance(events, list):
        raise PayloadRejected(
            f"hubspot body must be a JSON array of events, got {type(events).__name__}.",
            source=SOURCE,
            location="$",
        )
    if not events:
        raise PayloadRejected(
            "hubspot body is an empty array: a delivery carries at least one event.",
            source=SOURCE,
            location="$",
        )
    return [_record(event, f"[{index}]") for index, event in enumerate(events)]


def _record(event: Any, location: str) -> SourceRecord:
    subscription = str(
        require(event, "subscriptionType", source=SOURCE, location=location)
    )
    event_id = require(event, "eventId", source=SOURCE, location=location)
    object_id = require(event, "objectId", source=SOURCE, location=location)
    occurred_at = from_epoch_ms(
        require(event, "occurredAt", source=SOURCE, location=location),
        source=SOURCE,
        location=f"{location}.occurredAt",
    )
    fields = {key: event[key] for key in _PASSED_THROUGH if key in event}
    if "propertyName" in event:
        fields["properties"] = {str(event["propertyName"]): event.get("propertyValue")}
    key = (
        f"{event.get('portalId')}:{event.get('subscriptionId')}:{event_id}:{object_id}"
    )
    return SourceRecord(
        source=SOURCE,
        source_event_id=key,
        event_type=subscription,
        object_type=subscription.split(".", 1)[0],
        object_id=str(object_id),
        occurred_at=occurred_at,
        fields=fields,
        location=location,
        raw=event,
    )
