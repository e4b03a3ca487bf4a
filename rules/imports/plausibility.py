"""Checks across the rows of one timesheet file that no single row can fail.

Each row of an export can be valid while the file as a whole is not: the
same day booked twice by two overlapping exports pasted together, or one row
copied a thousand times. `DayTotals` adds up each person's hours per day
over the file; a day above `MAX_HOURS_PER_DAY` is implausible. The rows are
still accepted (each says something the tool recorded), and one
`data_quality` incident per file names the days, their hours and the lines,
so a person looks before that time is invoiced.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from opsgate.connectors.inbound.record import SourceRecord

MAX_HOURS_PER_DAY = Decimal(24)
"""More hours than a day has, for one person, is never real time."""
LISTED_LINES = 10
"""Lines named per implausible day."""


@dataclass
class PersonDay:
    """One person's hours on one day in the file, and the lines they came from."""

    person: str
    day: str
    hours: Decimal = Decimal(0)
    lines: list[int] = field(default_factory=list)

    @property
    def excess(self) -> Decimal:
        """Hours above what a day can hold."""
        return max(self.hours - MAX_HOURS_PER_DAY, Decimal(0))


class DayTotals:
    """Adds up hours per person and day while a file is read."""

    def __init__(self) -> None:
        self._days: dict[tuple[str, str], PersonDay] = {}
        self._count: defaultdict[tuple[str, str], int] = defaultdict(int)

    def add(self, record: SourceRecord) -> None:
        """Count the record's hours for its person and day, if it has both."""
        fields = record.fields
        person = (
            fields.get("consultant_email")
            or fields.get("consultant_key")
            or fields.get("consultant_name")
        )
        day = fields.get("work_date")
        try:
            hours = Decimal(str(fields.get("hours")))
        except InvalidOperation:
            return
        if not person or not day:
            return
        key = (str(person), str(day))
        total = self._days.setdefault(key, PersonDay(str(person), str(day)))
        total.hours += hours
        line = (record.meta or {}).get("line")
        if isinstance(line, int) and len(total.lines) < LISTED_LINES:
            total.lines.append(line)

    def implausible(self) -> list[PersonDay]:
        """The person-days above the limit, most hours first."""
        found = [d for d in self._days.values() if d.hours > MAX_HOURS_PER_DAY]
        return sorted(found, key=lambda d: (-d.hours, d.person, d.day))
