"""Read a support ticket out of a stored Jira or Zendesk event.

The event's body is the `SourceRecord` the connector made of the webhook
(`connectors/jira/events.py`, `connectors/zendesk/events.py`). What is read:

- **Jira** (any delivery that carries an issue: `jira:issue_*`, comments):
  the issue key; open unless its status category is `done`, it has a
  resolution, or the event is `jira:issue_deleted`; the priority name; as
  customer values the labels, the project name and every `customfield_*`
  holding text (or options / objects with a `value` or `name`, such as Jira
  Service Management's Organizations); as project values the project key and
  name, the labels, the components and those custom field values.
- **Zendesk** (`zen:event-type:ticket.*` event webhooks, and trigger payloads
  with a `ticket` object): the ticket id; open unless its status is `solved`
  or `closed`, or the event deletes it or marks it as spam; the priority; as
  customer values the organisation's name and id, the tags and custom field
  values; as project values the tags and custom field values.

The summary or subject is kept as the title, which `matching` scans for
project codes Opsgate knows. A Jira comment carries a reduced issue and a
Zendesk trigger payload only the fields its trigger names, so what they lack
(a status, labels, tags) is kept from the ticket's earlier events. Worklogs,
users, organisations and other deliveries that are not about a ticket are
`NotATicket`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from opsgate.connectors.inbound.record import SourceRecord

MAX_VALUES = 40
"""Customer or project values read from one ticket; more are left out."""

JIRA_DELETED = "jira:issue_deleted"
ZENDESK_CLOSED_STATUSES = frozenset({"solved", "closed", "deleted"})
ZENDESK_GONE_EVENTS = ("soft_deleted", "permanently_deleted", "marked_as_spam")
"""Zendesk ticket event types (suffixes) after which a ticket no longer counts."""


@dataclass(frozen=True)
class Ticket:
    """A ticket as one event describes it."""

    source: str
    key: str
    """The desk's id for it (`TES-41`, `35436`)."""
    title: str | None
    status: str | None
    is_open: bool
    priority: str | None
    """Lower-case priority name, when the desk gives one."""
    changed_at: datetime | None
    customer_values: tuple[str, ...]
    """Values that may name a customer, as the desk wrote them."""
    project_values: tuple[str, ...]
    """Values that may name a project, as the desk wrote them."""
    complete: bool = True
    """The event carries the whole ticket; when False (a Jira comment's reduced
    issue, a Zendesk trigger payload with the fields its author chose), values
    it lacks are kept from before instead of being dropped."""


@dataclass(frozen=True)
class NotATicket:
    """The event is not about a ticket (a worklog, a user, an organisation)."""

    reason: str


@dataclass(frozen=True)
class UnreadableTicket:
    """The event should describe a ticket but its body cannot be read."""

    reason: str
    """What is wrong, where, with what value."""


TicketReading = Ticket | NotATicket | UnreadableTicket


def reads_tickets(source: str) -> bool:
    """Tell whether events of `source` can describe support tickets."""
    return source in _READERS


def read_ticket(source: str, body: bytes) -> TicketReading:
    """Read the ticket an event of `source` describes, from its stored body."""
    reader = _READERS.get(source)
    if reader is None:
        return NotATicket(f"{source!r} is not a support desk.")
    try:
        record = SourceRecord.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "$"
        return UnreadableTicket(
            f"Ticket event from {source!r} is not a parsed {source} record: "
            f"{first['msg']} at {where}."
        )
    try:
        return reader(record)
    except _Unreadable as exc:
        return UnreadableTicket(str(exc))


class _Unreadable(Exception):
    """Raised inside a reader when a ticket's fields have the wrong shape."""


def _jira(record: SourceRecord) -> TicketReading:
    fields = record.fields
    key = fields.get("issue_key")
    if not key:
        return NotATicket(f"Jira {record.event_type!r} carries no issue.")
    raw = record.raw if isinstance(record.raw, dict) else {}
    issue_fields = _object((raw.get("issue") or {}), "fields", "$.issue", "jira")
    custom = [
        value
        for name, field in sorted(issue_fields.items())
        if name.startswith("customfield_")
        for value in _texts(field)
    ]
    labels = _texts(fields.get("labels"))
    components = _texts(fields.get("components"))
    project_key = _texts(fields.get("project_key"))
    project_name = _texts(fields.get("project_name"))
    done = fields.get("status_category") == "done" or bool(fields.get("resolution"))
    deleted = record.event_type == JIRA_DELETED
    status = "deleted" if deleted else _text(fields.get("status"))
    return Ticket(
        source=record.source,
        key=str(key),
        title=_title(fields.get("summary")),
        status=status,
        is_open=not (done or deleted),
        priority=_lower(fields.get("priority")),
        changed_at=record.occurred_at,
        customer_values=_distinct([*labels, *project_name, *custom]),
        project_values=_distinct(
            [*project_key, *project_name, *labels, *components, *custom]
        ),
        complete=record.event_type.startswith("jira:issue_"),
    )


def _zendesk(record: SourceRecord) -> TicketReading:
    if record.object_type != "ticket" or not record.object_id:
        return NotATicket(f"Zendesk {record.event_type!r} is not about a ticket.")
    fields = record.fields
    status = _lower(fields.get("status"))
    change = fields.get("change")
    if record.event_type.endswith("status_changed") and isinstance(change, dict):
        status = _lower(change.get("current")) or status
    if record.event_type.endswith(ZENDESK_GONE_EVENTS):
        status = "deleted"
    organisation = fields.get("organization")
    customers = [
        *_texts(organisation),
        *_texts(fields.get("organization_name")),
        *[f"organization:{org}" for org in _texts(fields.get("organization_id"))],
    ]
    if isinstance(organisation, dict):
        customers += [f"organization:{org}" for org in _texts(organisation.get("id"))]
    tags = _tags(fields.get("tags"))
    custom = _custom_fields(fields.get("custom_fields"))
    return Ticket(
        source=record.source,
        key=record.object_id,
        title=_title(fields.get("subject") or fields.get("title")),
        status=status,
        is_open=status not in ZENDESK_CLOSED_STATUSES,
        priority=_lower(fields.get("priority")),
        changed_at=record.occurred_at or _updated_at(fields),
        customer_values=_distinct(
            [c for c in customers if c != "organization:0"] + tags + custom
        ),
        project_values=_distinct(tags + custom),
        complete=record.event_type.startswith("zen:event-type:ticket."),
    )


_READERS: dict[str, Callable[[SourceRecord], TicketReading]] = {
    "jira": _jira,
    "zendesk": _zendesk,
}


def _object(container: Any, name: str, location: str, source: str) -> dict[str, Any]:
    if not isinstance(container, dict):
        raise _Unreadable(
            f"{source} ticket at {location}: expected an object, got {container!r}."
        )
    value = container.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Unreadable(
            f"{source} ticket at {location}.{name}: expected an object, got {value!r}."
        )
    return value


def _texts(value: Any) -> list[str]:
    """Plain text out of a value, an option (`value`/`name`) or a list of them."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, str | int | float):
        text = str(value).strip()
        return [text] if text else []
    if isinstance(value, dict):
        return _texts(value.get("value") or value.get("name"))
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def _tags(value: Any) -> list[str]:
    # Trigger placeholders send `{{ticket.tags}}` as one space-separated text.
    if isinstance(value, str):
        return value.split()
    return _texts(value)


def _custom_fields(value: Any) -> list[str]:
    if isinstance(value, dict):
        return _texts(list(value.values()))
    if isinstance(value, list):
        return [
            text
            for item in value
            for text in _texts(item.get("value") if isinstance(item, dict) else item)
        ]
    return []


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.lower(), value)
    return tuple(seen.values())[:MAX_VALUES]


def _text(value: Any) -> str | None:
    texts = _texts(value)
    return texts[0][:64] if texts else None


def _lower(value: Any) -> str | None:
    text = _text(value)
    return text.lower() if text else None


def _title(value: Any) -> str | None:
    return str(value)[:512] if isinstance(value, str | int) and value != "" else None


def _updated_at(fields: dict[str, Any]) -> datetime | None:
    stamp = fields.get("updated_at")
    if not isinstance(stamp, str):
        return None
    try:
        parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
