"""The normalized source record every peer parser produces.

One inbound body (a webhook delivery, one CSV row) becomes a list of
`SourceRecord`s. A record is still the source's view of the world: its field
names are normalized, its values are plain JSON data (dates as ISO strings,
decimals as strings so no precision is lost), and the mapping into canonical
objects happens later, in `opsgate.rules`.
"""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class SourceRecord(BaseModel):
    """One thing a peer system told us, normalized but not yet mapped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    """The sending system (`hubspot`, `salesforce`, `harvest`, ...)."""
    source_event_id: str
    """The sender's id for this event; with `source`, the deduplication key."""
    event_type: str
    """The source's own event name (`deal.propertyChange`, `time_entry.exported`)."""
    object_type: str
    """What the event is about, in the source's words (`deal`, `Account`, ...)."""
    object_id: str | None = None
    """The record's id in the source, when the event names one."""
    occurred_at: datetime | None = None
    """When it happened at the source, timezone-aware UTC."""
    fields: dict[str, Any] = Field(default_factory=dict)
    """The record's fields as plain JSON data."""
    meta: dict[str, Any] = Field(default_factory=dict)
    """Envelope facts that are not the record's fields (org id, attempt number)."""
    location: str | None = None
    """Where in the inbound body this record came from (`[0]`, `line 14`)."""
    raw: Any = None
    """That part of the inbound body as received: a JSON value, an XML or CSV text."""

    def to_body(self) -> bytes:
        """Return the record as the JSON body the engine accepts and maps."""
        return self.model_dump_json().encode()
