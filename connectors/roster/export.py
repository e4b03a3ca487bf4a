"""Read an employee roster CSV (a BambooHR-style HR export) into source records.

Columns are matched by name (`Employee ID`/`Employee #`, `First Name`,
`Last Name` or `Name`, `Work Email`, `Job Title`, `Department`, `Hire Date`,
`Termination Date`, `Status`, `Cost Rate`); only an id or a work e-mail,
and a name, are required. Dates are sniffed per file like timesheet exports
(ISO, day first, month first; an undecidable file is refused). Status:
`Active` → active, `Inactive`/`Terminated` → terminated, `On Leave` →
on_leave; without a status, a termination date means terminated.

Each row's `object_id` is the employee id (else the work e-mail, lower
case) and its `source_event_id` adds a digest of every value, so importing
the same roster again is a no-op and a changed row updates the same
consultant.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.timesheet_export.columns import (
    ColumnMap,
    ColumnSpec,
    match_columns,
)
from opsgate.connectors.timesheet_export.dates import DateFormat, DateOrder, sniff_order
from opsgate.connectors.timesheet_export.entry_key import digest
from opsgate.connectors.timesheet_export.problems import ExportRefused, RowProblem
from opsgate.connectors.timesheet_export.reader import (
    RawRow,
    detect_encoding,
    iter_rows,
    read_header,
)
from opsgate.connectors.timesheet_export.row import Row
from opsgate.connectors.timesheet_export.values import decimal

SOURCE = "roster"

COLUMNS = (
    ColumnSpec(
        "employee_id", ("Employee ID", "Employee Id", "Employee #", "ID", "EEID")
    ),
    ColumnSpec("first_name", ("First Name", "Given Name")),
    ColumnSpec("last_name", ("Last Name", "Family Name", "Surname")),
    ColumnSpec("name", ("Name", "Full Name", "Display Name", "Employee Name")),
    ColumnSpec("work_email", ("Work Email", "Email", "E-mail", "Work E-mail")),
    ColumnSpec("job_title", ("Job Title", "Title", "Role")),
    ColumnSpec("department", ("Department", "Practice", "Division")),
    ColumnSpec("hire_date", ("Hire Date", "Start Date", "Original Hire Date")),
    ColumnSpec("termination_date", ("Termination Date", "End Date", "Leave Date")),
    ColumnSpec("status", ("Status", "Employment Status", "Employee Status")),
    ColumnSpec("cost_rate", ("Cost Rate", "Hourly Cost", "Cost per Hour"), money=True),
)

_STATUS = {
    "active": "active",
    "inactive": "terminated",
    "terminated": "terminated",
    "on leave": "on_leave",
    "leave": "on_leave",
    "on_leave": "on_leave",
}


@dataclass(frozen=True)
class RosterReading:
    """A roster that opened, with its rows on demand."""

    path: Path
    columns: ColumnMap
    date_format: DateFormat
    delimiter: str
    encoding: str

    def rows(self) -> Iterator[SourceRecord | RowProblem]:
        """Yield a record per good row and a problem per bad one."""
        for raw in iter_rows(self.path, self.delimiter, self.encoding):
            yield self._read(raw)

    def _read(self, raw: RawRow) -> SourceRecord | RowProblem:
        row = Row(raw.cells, self.columns, self.date_format, ZoneInfo("UTC"))
        fields = _fields(row)
        key = fields["employee_id"] or (fields["work_email"] or "").lower() or None
        if key is None:
            row.flag(
                "employee_id", "", "the employee id and work e-mail are both empty"
            )
        if not fields["name"]:
            row.flag("name", "", "the name is empty")
        if row.issues or key is None:
            return RowProblem(
                file=self.path.name,
                line=raw.line,
                raw=raw.text,
                issues=tuple(row.issues),
            )
        return SourceRecord(
            source=SOURCE,
            source_event_id=f"{key}.{digest(sorted(fields.items()))[:16]}",
            event_type="employee.listed",
            object_type="employee",
            object_id=key,
            fields=fields,
            meta={"file": self.path.name, "line": raw.line},
            location=f"{self.path.name} line {raw.line}",
            raw=raw.text,
        )


def open_roster(path: Path) -> RosterReading:
    """Recognise a roster file and get ready to stream it.

    Raises:
        ExportRefused: no name or id column, or dates whose order cannot be told.
    """
    encoding = detect_encoding(path)
    headers, delimiter = read_header(path, encoding)
    columns = match_columns(headers, COLUMNS)
    has_name = columns.has("name") or columns.has("first_name")
    has_key = columns.has("employee_id") or columns.has("work_email")
    if not (has_name and has_key):
        raise ExportRefused(
            f"{path.name} is not a roster: it needs a name column (Name or First "
            f"Name) and an Employee ID or Work Email column; found {headers!r}.",
            file=path.name,
            source=SOURCE,
        )
    return RosterReading(
        path=path,
        columns=columns,
        date_format=_date_format(path, columns, delimiter, encoding),
        delimiter=delimiter,
        encoding=encoding,
    )


def _fields(row: Row) -> dict[str, Any]:
    joined = " ".join(p for p in (row.cell("first_name"), row.cell("last_name")) if p)
    termination = row.get("termination_date", row.parse_date)
    status_text = row.cell("status")
    status = _STATUS.get((status_text or "").casefold())
    if status_text and status is None:
        row.flag(
            "status", status_text, "expected Active, Inactive, Terminated or On Leave"
        )
    if status is None and termination is not None:
        status = "terminated"
    hire = row.get("hire_date", row.parse_date)
    cost = row.get("cost_rate", decimal)
    return {
        "employee_id": row.cell("employee_id"),
        "name": row.cell("name") or joined or None,
        "work_email": row.cell("work_email"),
        "job_title": row.cell("job_title"),
        "department": row.cell("department"),
        "hire_date": hire.isoformat() if hire else None,
        "termination_date": termination.isoformat() if termination else None,
        "status": status,
        "cost_rate": str(cost) if cost is not None else None,
    }


def _date_format(
    path: Path, columns: ColumnMap, delimiter: str, encoding: str
) -> DateFormat:
    positions = [
        columns.positions[k]
        for k in ("hire_date", "termination_date")
        if columns.has(k)
    ]
    sniffed = sniff_order(_date_cells(path, positions, delimiter, encoding))
    if sniffed is not None:
        return DateFormat(order=sniffed.order, evidence=sniffed.evidence)
    if not any(True for _ in _date_cells(path, positions, delimiter, encoding)):
        return DateFormat(order=DateOrder.ISO, evidence="the file has no dates.")
    raise ExportRefused(
        f"{path.name}: the hire and termination dates could be day-first or "
        "month-first and none settles it; write them as YYYY-MM-DD.",
        file=path.name,
        source=SOURCE,
    )


def _date_cells(
    path: Path, positions: list[int], delimiter: str, encoding: str
) -> Iterator[str]:
    for raw in iter_rows(path, delimiter, encoding):
        for index in positions:
            if index < len(raw.cells) and raw.cells[index].strip():
                yield raw.cells[index]
