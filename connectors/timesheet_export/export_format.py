"""What a timesheet tool's export format declares: its columns and its row reader."""

from collections.abc import Callable
from dataclasses import dataclass

from opsgate.connectors.timesheet_export.columns import ColumnSpec
from opsgate.connectors.timesheet_export.entry import TimeEntry
from opsgate.connectors.timesheet_export.row import Row


@dataclass(frozen=True)
class ExportFormat:
    """One tool's export: how to recognise it and how to read a row."""

    source: str
    """The source name records carry (`harvest`, `toggl`, `clockify`)."""
    columns: tuple[ColumnSpec, ...]
    """Every column the format knows, with aliases."""
    date_keys: tuple[str, ...]
    """Columns holding dates, read to sniff the date order."""
    read: Callable[[Row], TimeEntry | None]
    """Read one row; None when the row's issues make it unusable."""
