"""Parse Salesforce Change Data Capture events.

Accepted shapes: the decoded Pub/Sub API event (`{"replayId", "payload"}`),
the CometD/Streaming delivery (`{"data": {"payload", "event": {"replayId"}}}`)
and a bare payload (`{"ChangeEventHeader", ...}`), or a JSON array of any of
these.

In a CDC payload every field of the object is present and unchanged fields
are null; only the header's `changedFields`, `nulledFields` and `diffFields`
say what changed. So a record's `fields` hold the changed values only (all
non-null values for CREATE), with compound fields nested as Salesforce sends
them (`BillingAddress.City` is `fields["BillingAddress"]["City"]`). One event
may name several record ids; each becomes its own record. `GAP_*` events and
wildcard ids (`001*`) carry no values: the record says so in `meta` and a pull
must fetch the data.
"""

from collections.abc import Mapping
from typing import Any

from opsgate.connectors.inbound.body import from_epoch_ms, load_json, require
from opsgate.connectors.inbound.errors import PayloadRejected
from opsgate.connectors.inbound.record import SourceRecord

SOURCE = "salesforce"


def parse(body: bytes, headers: Mapping[str, str] | None = None) -> list[SourceRecord]:
    """Turn one CDC delivery into one record per changed record id.

    Raises:
        PayloadRejected: no `ChangeEventHeader` or its required keys are absent.
    """
    document = load_json(body, source=SOURCE)
    events = document if isinstance(document, list) else [document]
    records: list[SourceRecord] = []
    for index, event in enumerate(events):
        location = f"[{index}]" if isinstance(document, list) else "$"
        payload, replay_id = _unwrap(event, location)
        records.extend(_records(payload, replay_id, location))
    return records


def _unwrap(event: Any, location: str) -> tuple[dict[str, Any], Any]:
    if isinstance(event, dict) and "ChangeEventHeader" in event:
        return event, None
    if isinstance(event, dict) and isinstance(event.get("payload"), dict):
        return event["payload"], event.get("replayId")
    data = event.get("data") if isinstance(event, dict) else None
    if isinstance(data, dict) and isinstance(data.get("payload"), dict):
        return data["payload"], (data.get("event") or {}).get("replayId")
    raise PayloadRejected(
        f"salesforce change event at {location} has no payload with a "
        "ChangeEventHeader.",
        source=SOURCE,
        location=location,
    )


def _records(
    payload: dict[str, Any], replay_id: Any, location: str
) -> list[SourceRecord]:
    where = f"{location}.ChangeEventHeader"
    header = require(payload, "ChangeEventHeader", source=SOURCE, location=location)
    entity = str(require(header, "entityName", source=SOURCE, location=where))
    change_type = str(require(header, "changeType", source=SOURCE, location=where))
    record_ids = require(header, "recordIds", source=SOURCE, location=where)
    occurred_at = from_epoch_ms(
        require(header, "commitTimestamp", source=SOURCE, location=where),
        source=SOURCE,
        location=f"{where}.commitTimestamp",
    )
    event_key = f"{header.get('transactionKey')}:{header.get('sequenceNumber')}"
    gap = change_type.startswith("GAP_")
    meta = {
        "entity_name": entity,
        "change_type": change_type,
        "changed_fields": header.get("changedFields") or [],
        "nulled_fields": header.get("nulledFields") or [],
        "diff_fields": header.get("diffFields") or [],
        "commit_user": header.get("commitUser"),
        "commit_number": header.get("commitNumber"),
        "change_origin": header.get("changeOrigin"),
        "replay_id": replay_id,
        "needs_pull": gap,
    }
    values = {} if gap else _changed_values(payload, change_type, meta)
    return [
        SourceRecord(
            source=SOURCE,
            source_event_id=f"{event_key}:{record_id}",
            event_type=change_type,
            object_type=entity,
            object_id=str(record_id),
            occurred_at=occurred_at,
            fields=values,
            meta={**meta, "needs_pull": gap or str(record_id).endswith("*")},
            location=location,
            raw=payload,
        )
        for record_id in record_ids
    ]


def _changed_values(
    payload: dict[str, Any], change_type: str, meta: dict[str, Any]
) -> dict[str, Any]:
    if change_type in ("CREATE", "UNDELETE"):
        return {
            key: value
            for key, value in payload.items()
            if key != "ChangeEventHeader" and value is not None
        }
    values: dict[str, Any] = {}
    for path in [*meta["changed_fields"], *meta["diff_fields"]]:
        _put(values, path, _get(payload, path))
    for path in meta["nulled_fields"]:
        _put(values, path, None)
    return values


def _get(payload: dict[str, Any], path: str) -> Any:
    value: Any = payload
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _put(values: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    target = values
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = value
