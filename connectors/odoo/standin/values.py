"""Converting values between the wire and the stand-in's rows, as Odoo does.

The coercions are the recorded ones, silent manglings included: a float into
an integer field is truncated (3.7 → 3), a numeric string is parsed, a date
string is cut to its first ten characters, a string into a many2one clears it,
`null` and `false` clear a many2one; a datetime must be `YYYY-MM-DD HH:MM:SS`.
"""

from __future__ import annotations

import xmlrpc.client
from datetime import date, datetime
from typing import Any

from opsgate.connectors.odoo.standin.faults import value_error
from opsgate.connectors.odoo.standin.registry import Field

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _strptime(text: str, fmt: str) -> datetime:
    try:
        return datetime.strptime(text, fmt)
    except ValueError as exc:
        raise value_error(str(exc)) from exc


def to_date(value: Any) -> date | bool:
    """Parse a date the way Odoo's `Date.to_date` does."""
    if not value:
        return False
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _strptime(str(value)[:10], DATE_FORMAT).date()


def to_datetime(value: Any) -> datetime | bool:
    """Parse a datetime the way Odoo's `Datetime.to_datetime` does."""
    if not value:
        return False
    if isinstance(value, xmlrpc.client.DateTime):
        return _strptime(value.value, "%Y%m%dT%H:%M:%S")
    if isinstance(value, datetime):
        return value
    text = str(value)
    if len(text) <= 10:
        return _strptime(text, DATE_FORMAT)
    return _strptime(text, DATETIME_FORMAT)


def to_integer(value: Any) -> int:
    """Coerce like `int(value or 0)`: '5' → 5, 3.7 → 3, 'abc' → ValueError."""
    try:
        return int(value or 0)
    except ValueError as exc:
        raise value_error(str(exc)) from exc
    except TypeError as exc:
        raise value_error(str(exc)) from exc


def to_float(value: Any) -> float:
    """Coerce like `float(value or 0.0)`."""
    try:
        return float(value or 0.0)
    except (TypeError, ValueError) as exc:
        raise value_error(str(exc)) from exc


def convert_scalar(model: str, fld: Field, value: Any) -> Any:
    """Convert a non-relational value given by a caller into its stored form."""
    kind = fld.type
    if kind == "integer":
        return to_integer(value)
    if kind in ("float", "monetary"):
        return to_float(value)
    if kind == "boolean":
        return bool(value)
    if kind == "date":
        return to_date(value)
    if kind == "datetime":
        return to_datetime(value)
    if kind == "selection":
        if value in (None, False, ""):
            return False
        if fld.selection_values and value not in fld.selection_values:
            raise value_error(f"Wrong value for {model}.{fld.name}: {value!r}")
        return value
    if value is None:
        return False
    return value


def default_for(fld: Field) -> Any:
    """The value an unset field reads as."""
    if fld.type == "integer":
        return 0
    if fld.type in ("float", "monetary"):
        return 0.0
    if fld.type in ("one2many", "many2many"):
        return []
    return False


def render_scalar(fld: Field, value: Any) -> Any:
    """Render a stored non-relational value for the wire."""
    if value is None:
        return default_for(fld)
    if fld.type == "datetime" and isinstance(value, datetime):
        return value.strftime(DATETIME_FORMAT)
    if fld.type == "date" and isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    return value
