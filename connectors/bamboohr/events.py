"""Parse BambooHR employee webhooks into source records.

Two shapes exist:

- Event-based (`{"type": "employee.updated", "timestamp", "data": {...}}`):
  thin, ids and changed field aliases only. The record's `meta.needs_pull`
  is true: the employee's values must be fetched from the API.
- Field-based (global and permissioned webhooks, `{"employees": [...]}`):
  each entry has `id`, `action` (Created, Updated, Deleted), `changedFields`
  and the posted `fields`, named by their display names. Known display
  names are normalized to BambooHR's API aliases (`First Name` →
  `firstName`); unknown ones are kept as sent. `name` is added as first
  and last name joined, for the consultant's full name.

Neither carries an event id, so the dedupe key is derived: type, employee
id and the event time stamp for the event-based shape; action, employee id
and a digest of the entry for the field-based one (an identical redelivery
dedupes; a later change with new values does not).
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from opsgate.connectors.inbound.body import from_iso, load_json, require
from opsgate.connectors.inbound.errors import PayloadRejected
from opsgate.connectors.inbound.record import SourceRecord

SOURCE = "bamboohr"

FIELD_ALIASES = {
    "First Name": "firstName",
    "Last Name": "lastName",
    "Preferred Name": "preferredName",
    "Middle Name": "middleName",
    "Work Email": "workEmail",
    "Home Email": "homeEmail",
    "Job Title": "jobTitle",
    "Department": "department",
    "Division": "division",
    "Location": "location",
    "Hire Date": "hireDate",
    "Original Hire Date": "originalHireDate",
    "Termination Date": "terminationDate",
    "Status": "status",
    "Employment Status": "employmentHistoryStatus",
    "Employment Status: Date": "employmentHistoryStatusDate",
    "Employee #": "employeeNumber",
    "Pay rate": "payRate",
    "Pay type": "payType",
    "Reporting to": "supervisor",
    "Work Phone": "workPhone",
    "Mobile Phone": "mobilePhone",
}
"""BambooHR display names (field-based webhooks) to their API aliases."""

_ACTIONS = {
    "created": "employee.created",
    "updated": "employee.updated",
    "deleted": "employee.deleted",
}


def parse(body: bytes, headers: Mapping[str, str] | None = None) -> list[SourceRecord]:
    """Turn one BambooHR delivery into one record per employee event.

    Raises:
        PayloadRejected: neither shape, or an entry without its employee id.
    """
    document = load_json(body, source=SOURCE)
    if isinstance(document, dict) and "type" in document:
        return [_event_based(document)]
    if isinstance(document, dict) and isinstance(document.get("employees"), list):
        return [
            _field_based(entry, f"employees[{index}]")
            for index, entry in enumerate(document["employees"])
        ]
    raise PayloadRejected(
        "bamboohr body is neither an event-based webhook (with 'type') nor a "
        "field-based one (with an 'employees' list).",
        source=SOURCE,
        location="$",
    )


def _event_based(document: dict[str, Any]) -> SourceRecord:
    event_type = str(document["type"])
    data = require(document, "data", source=SOURCE, location="$")
    employee_id = str(require(data, "employeeId", source=SOURCE, location="$.data"))
    stamp = require(document, "timestamp", source=SOURCE, location="$")
    occurred_at = from_iso(stamp, source=SOURCE, location="$.timestamp")
    return SourceRecord(
        source=SOURCE,
        source_event_id=f"{event_type}:{data.get('companyId')}:{employee_id}:{stamp}",
        event_type=event_type,
        object_type="employee",
        object_id=employee_id,
        occurred_at=occurred_at,
        fields={"id": employee_id},
        meta={
            "company_id": data.get("companyId"),
            "changed_fields": data.get("changedFields") or [],
            "needs_pull": event_type != "employee.deleted",
        },
        location="$",
        raw=document,
    )


def _field_based(entry: Any, location: str) -> SourceRecord:
    employee_id = str(require(entry, "id", source=SOURCE, location=location))
    action = str(entry.get("action") or "Updated")
    event_type = _ACTIONS.get(action.lower())
    if event_type is None:
        raise PayloadRejected(
            f"bamboohr {location}.action: expected Created, Updated or Deleted, got "
            f"{action!r}.",
            source=SOURCE,
            location=f"{location}.action",
            value=action,
        )
    posted = entry.get("fields") or {}
    fields = {FIELD_ALIASES.get(name, name): value for name, value in posted.items()}
    fields["id"] = employee_id
    name = " ".join(
        str(fields[key]).strip() for key in ("firstName", "lastName") if fields.get(key)
    )
    if name:
        fields["name"] = name
    digest = hashlib.sha256(
        json.dumps(entry, sort_keys=True, default=str).encode()
    ).hexdigest()[:24]
    return SourceRecord(
        source=SOURCE,
        source_event_id=f"{event_type}:{employee_id}:{digest}",
        event_type=event_type,
        object_type="employee",
        object_id=employee_id,
        fields=fields,
        meta={
            "changed_fields": [
                FIELD_ALIASES.get(name, name)
                for name in entry.get("changedFields") or []
            ],
            "needs_pull": False,
        },
        location=location,
        raw=entry,
    )
