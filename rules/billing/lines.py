"""Timesheet lines as columns of plain arrays, so checks run vectorised."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from opsgate.rules.canonical import Timesheet

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class TimesheetLines:
    """One row per time entry; categorical columns index into the name lists."""

    keys: Sequence[str]
    """Line id (`<source>:<source_key>`), cited by flags."""
    event_ids: Sequence[str | None]
    """The store event each line came from, when it came from the store."""
    consultants: Sequence[str]
    """Consultant names (email when known), indexed by `consultant`."""
    projects: Sequence[str]
    """Project keys, indexed by `project`."""
    tasks: Sequence[str]
    """Task names (empty for none), indexed by `task`."""
    currencies: Sequence[str]
    """ISO codes (empty for unknown), indexed by `currency`."""
    consultant: IntArray
    project: IntArray
    task: IntArray
    currency: IntArray
    day: IntArray
    """Work date as a proleptic Gregorian ordinal (`date.toordinal()`)."""
    hours: FloatArray
    rate: FloatArray
    """Exported hourly rate; NaN when the tool sent none."""
    billable: BoolArray
    approved: BoolArray
    invoiced: BoolArray

    def __len__(self) -> int:
        return len(self.keys)

    def date_of(self, row: int) -> date:
        """Return the work date of `row`."""
        return date.fromordinal(int(self.day[row]))


class _Codes:
    """Assigns small integer codes to names, in order of first sight."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._index: dict[str, int] = {}

    def code(self, name: str) -> int:
        found = self._index.get(name)
        if found is None:
            found = self._index[name] = len(self.names)
            self.names.append(name)
        return found


def consultant_name_of(timesheet: Timesheet) -> str:
    """Return the stable name a line is grouped under for its consultant."""
    return (
        timesheet.consultant_email
        or timesheet.consultant_key
        or timesheet.consultant_name
        or "unknown consultant"
    )


def build_lines(
    timesheets: Iterable[tuple[Timesheet, str | None]],
    *,
    project_key: dict[str, str] | None = None,
) -> TimesheetLines:
    """Return the columns for `(timesheet, event_id)` pairs.

    `project_key` maps a tool's project name or code (lower case) to the
    project key terms use; unmapped lines keep their code or name.
    """
    aliases = project_key or {}
    people, projects, tasks, currencies = _Codes(), _Codes(), _Codes(), _Codes()
    keys: list[str] = []
    event_ids: list[str | None] = []
    columns: dict[str, list[float]] = {
        name: []
        for name in (
            "consultant",
            "project",
            "task",
            "currency",
            "day",
            "hours",
            "rate",
            "billable",
            "approved",
            "invoiced",
        )
    }
    for sheet, event_id in timesheets:
        named = sheet.project_code or sheet.project_name
        resolved = aliases.get(named.lower()) or aliases.get(
            sheet.project_name.lower(), named
        )
        keys.append(f"{sheet.source}:{sheet.source_key}")
        event_ids.append(event_id)
        columns["consultant"].append(people.code(consultant_name_of(sheet)))
        columns["project"].append(projects.code(resolved))
        columns["task"].append(tasks.code(sheet.task_name or ""))
        columns["currency"].append(currencies.code(sheet.currency or ""))
        columns["day"].append(sheet.work_date.toordinal())
        columns["hours"].append(float(sheet.hours))
        rate = sheet.hourly_rate
        columns["rate"].append(float(rate) if rate is not None else float("nan"))
        columns["billable"].append(sheet.billable)
        columns["approved"].append(sheet.approved)
        columns["invoiced"].append(sheet.invoiced)
    return TimesheetLines(
        keys=keys,
        event_ids=event_ids,
        consultants=people.names,
        projects=projects.names,
        tasks=tasks.names,
        currencies=currencies.names,
        consultant=np.asarray(columns["consultant"], dtype=np.int64),
        project=np.asarray(columns["project"], dtype=np.int64),
        task=np.asarray(columns["task"], dtype=np.int64),
        currency=np.asarray(columns["currency"], dtype=np.int64),
        day=np.asarray(columns["day"], dtype=np.int64),
        hours=np.asarray(columns["hours"], dtype=np.float64),
        rate=np.asarray(columns["rate"], dtype=np.float64),
        billable=np.asarray(columns["billable"], dtype=np.bool_),
        approved=np.asarray(columns["approved"], dtype=np.bool_),
        invoiced=np.asarray(columns["invoiced"], dtype=np.bool_),
    )
