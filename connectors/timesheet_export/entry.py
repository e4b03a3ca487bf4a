"""One time entry read from an export row, before it becomes a source record."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class TimeEntry:
    """A row of a timesheet export, parsed and normalised."""

    work_date: date
    """The day the time belongs to, as the tool printed it (see importer docs)."""
    hours: Decimal
    """The authoritative hours (see importer docs), 4 decimals."""
    project_name: str
    """Project as named in the tool."""
    identity: tuple[object, ...]
    """What identifies the entry, for its entry key."""
    state: tuple[object, ...] = ()
    """What may change on the same entry (approval, invoicing, rates)."""
    started_at: datetime | None = None
    """Start, timezone-aware UTC, when the export has times."""
    ended_at: datetime | None = None
    """End, timezone-aware UTC, when the export has times."""
    values: dict[str, Any] = field(default_factory=dict)
    """The other fields (person, client, task, flags, money), already parsed."""

    def fields(self, entry_key: str) -> dict[str, Any]:
        """Return the entry as a source record's plain JSON fields."""
        plain = {
            "entry_key": entry_key,
            "work_date": self.work_date.isoformat(),
            "hours": str(self.hours),
            "project_name": self.project_name,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
        }
        for key, value in self.values.items():
            plain[key] = _plain(value)
        return plain


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
