"""Refuse values that Odoo would accept and silently mangle.

The recordings show three: `3.7` in an integer field is stored as `3`, a name
string in a many2one field clears it without a word, and a timesheet row with
no project becomes an orphan analytic line no report shows. A date given with
a time (`2026-12-18T17:00:00Z`) is cut to its first ten characters, so it is
refused too. Checks use `fields_get` metadata; a field the metadata does not
list is left for Odoo to judge.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from opsgate.connectors.errors import ErrorCategory
from opsgate.connectors.odoo.errors import OdooValueRefused

FieldsMeta = Mapping[str, Mapping[str, Any]]
"""`fields_get` output: field name to its attributes (`type`, `relation`...)."""

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_INTEGER_TEXT = re.compile(r"^-?\d+$")

TIMESHEET_MODEL = "account.analytic.line"
_PROJECT_COLUMNS = ("project_id", "project_id/id", "project_id/.id")


def _refuse(
    model: str,
    row: int | None,
    field: str,
    value: Any,
    why: str,
    category: ErrorCategory,
) -> OdooValueRefused:
    where = f"row {row} of {model}" if row is not None else model
    return OdooValueRefused(
        f"Refused {where} before sending: field {field!r} got {value!r}; {why}.",
        row=row,
        field=field,
        value=value,
        category=category,
        operation="check_values",
        model=model,
    )


def check_record_values(
    model: str,
    values: Mapping[str, Any],
    fields: FieldsMeta,
    *,
    row: int | None = None,
    creating: bool,
) -> None:
    """Raise `OdooValueRefused` for the first value Odoo would mangle."""
    for name, value in values.items():
        meta = fields.get(name)
        if meta is not None:
            _check_value(model, row, name, value, meta)
    if model == TIMESHEET_MODEL and _lacks_project(values, creating=creating):
        raise _refuse(
            model,
            row,
            "project_id",
            values.get("project_id"),
            "a timesheet needs a project, or Odoo stores a plain analytic line"
            " that no timesheet report shows",
            ErrorCategory.MISSING_REFERENCE,
        )


def _lacks_project(values: Mapping[str, Any], *, creating: bool) -> bool:
    present = [column for column in _PROJECT_COLUMNS if column in values]
    if not present:
        return creating
    return all(values[column] in (None, False, "", 0) for column in present)


def _check_value(
    model: str, row: int | None, name: str, value: Any, meta: Mapping[str, Any]
) -> None:
    kind = meta.get("type")
    if kind == "integer" and not _is_integer(value):
        raise _refuse(
            model,
            row,
            name,
            value,
            "an integer field keeps only the whole part",
            ErrorCategory.VALIDATION,
        )
    if kind == "many2one" and not _is_record_id(value):
        raise _refuse(
            model,
            row,
            name,
            value,
            f"a many-to-one field takes a {meta.get('relation', 'record')} id"
            " (a name would clear the field)",
            ErrorCategory.MAPPING,
        )
    if kind == "date" and isinstance(value, str) and not _DATE.match(value):
        raise _refuse(
            model,
            row,
            name,
            value,
            "a date must read 'YYYY-MM-DD' (Odoo cuts anything longer)",
            ErrorCategory.VALIDATION,
        )
    if kind == "datetime" and isinstance(value, str) and not _DATETIME.match(value):
        raise _refuse(
            model,
            row,
            name,
            value,
            "a datetime must read 'YYYY-MM-DD HH:MM:SS' in UTC",
            ErrorCategory.VALIDATION,
        )


def _is_integer(value: Any) -> bool:
    if value is None or value is False:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, str) and bool(_INTEGER_TEXT.match(value.strip()))


def _is_record_id(value: Any) -> bool:
    if value is None or value is False:
        return True
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def check_load_row(
    model: str, row: int, cells: Mapping[str, str], fields: FieldsMeta
) -> None:
    """Check one `load` row (string cells keyed by column) before it is sent.

    `load` resolves names in plain many2one columns itself, so only integer,
    date and timesheet-project checks apply here.
    """
    for column, cell in cells.items():
        meta = fields.get(column)
        if meta is None or cell == "" or column == "id":
            continue
        if meta.get("type") in ("integer", "date", "datetime"):
            _check_value(model, row, column, cell, meta)
    if model == TIMESHEET_MODEL and _lacks_project(cells, creating=True):
        raise _refuse(
            model,
            row,
            "project_id",
            next((cells[c] for c in _PROJECT_COLUMNS if c in cells), None),
            "a timesheet needs a project, or Odoo stores a plain analytic line"
            " that no timesheet report shows",
            ErrorCategory.MISSING_REFERENCE,
        )
