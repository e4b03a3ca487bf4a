"""A row being read: typed access to its cells that collects, not raises, problems."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal
from typing import TypeVar

from opsgate.connectors.timesheet_export.columns import ColumnMap
from opsgate.connectors.timesheet_export.dates import DateFormat
from opsgate.connectors.timesheet_export.problems import CellIssue
from opsgate.connectors.timesheet_export.values import (
    CellError,
    round_hours,
    time_of_day,
)

T = TypeVar("T")

MAX_ENTRY_HOURS = Decimal(24)
"""An entry longer than this cannot be one day's time."""


class Row:
    """The cells of one row, read by column key; bad cells become `issues`."""

    def __init__(
        self,
        cells: list[str],
        columns: ColumnMap,
        date_format: DateFormat,
        zone: tzinfo,
    ) -> None:
        self.cells = cells
        self.columns = columns
        self.date_format = date_format
        self.zone = zone
        self.issues: list[CellIssue] = []
        width = len(cells)
        self._text = {
            key: (cells[index].strip() or None) if index < width else None
            for key, index in columns.positions.items()
        }

    def cell(self, key: str) -> str | None:
        """Return the stripped text of column `key`, None if empty or absent."""
        return self._text.get(key)

    def get(self, key: str, parse: Callable[[str | None], T | None]) -> T | None:
        """Parse column `key`; on a bad value record an issue and return None."""
        raw = self.cell(key)
        if raw is None:
            return None
        try:
            return parse(raw)
        except CellError as exc:
            self.flag(key, raw, str(exc))
            return None

    def required(self, key: str, what: str) -> str | None:
        """Return column `key`, recording an issue when it is empty."""
        value = self.cell(key)
        if value is None:
            self.flag(key, "", f"{what} is empty")
        return value

    def day(self, key: str) -> date | None:
        """Parse a date column in the file's date format; required."""
        raw = self.required(key, "the date")
        if raw is None:
            return None
        try:
            return self.date_format.parse(raw)
        except CellError as exc:
            self.flag(key, raw, str(exc))
            return None

    def wall_clock(self, date_key: str, time_key: str) -> datetime | None:
        """Combine a date and a time column as printed (naive, the export's zone)."""
        day = self.get(date_key, self.parse_date)
        clock: time | None = self.get(time_key, time_of_day)
        if day is None or clock is None:
            return None
        return datetime.combine(day, clock)

    def in_utc(self, wall_clock: datetime | None) -> datetime | None:
        """Place a wall-clock time in the export's zone and return it in UTC.

        In a daylight-saving fold the earlier instant is taken; in a gap the
        clock is read as if the change had not happened (zoneinfo's rules).
        """
        if wall_clock is None:
            return None
        return wall_clock.replace(tzinfo=self.zone).astimezone(UTC)

    def parse_date(self, cell: str | None) -> date | None:
        """Parse a date cell in the file's date format; None when empty."""
        return None if cell is None else self.date_format.parse(cell)

    def check_hours(self, key: str, hours: Decimal | None) -> Decimal | None:
        """Return `hours` rounded, flagging negative values and days over 24 h."""
        if hours is None:
            return None
        if hours < 0 or hours > MAX_ENTRY_HOURS:
            self.flag(key, self.cell(key) or str(hours), "expected 0 to 24 hours")
            return None
        return round_hours(hours)

    def flag(self, key: str, value: str, message: str) -> None:
        """Record a problem with column `key`."""
        column = self.columns.header_of(key) if self.columns.has(key) else key
        self.issues.append(CellIssue(column=column, value=value, message=message))
