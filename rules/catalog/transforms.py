"""Named transforms a catalog field may apply, in order, to a payload value.

Each transform takes the value (and the field's lookup `table`) and returns
the new value, or raises `TransformError` saying what it expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any


class TransformError(ValueError):
    """Raised when a value cannot take a transform; the message says what it expected."""


Transform = Callable[[Any, Mapping[str, Any] | None], Any]

_OFFSET_WITHOUT_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


def _decimal(value: Any, _table: Mapping[str, Any] | None) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise TransformError(f"expected a decimal, got {value!r}")
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise TransformError(f"expected a decimal, got {value!r}") from None
    if not result.is_finite():
        raise TransformError(f"expected a finite decimal, got {value!r}")
    return result


def _cents(value: Any, table: Mapping[str, Any] | None) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TransformError(f"expected an integer amount in cents, got {value!r}")
    return _decimal(value, table) / 100


def _datetime(value: Any, _table: Mapping[str, Any] | None) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        text = _OFFSET_WITHOUT_COLON.sub(r"\1:\2", value.strip().replace("Z", "+00:00"))
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise TransformError(
                f"expected an ISO 8601 date-time, got {value!r}"
            ) from None
    else:
        raise TransformError(f"expected an ISO 8601 date-time, got {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _date(value: Any, table: Mapping[str, Any] | None) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise TransformError(f"expected an ISO 8601 date, got {value!r}") from None
    try:
        return _datetime(value, table).date()
    except TransformError:
        raise TransformError(f"expected an ISO 8601 date, got {value!r}") from None


def _epoch(divisor: int, unit: str) -> Transform:
    def convert(value: Any, _table: Mapping[str, Any] | None) -> datetime:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise TransformError(f"expected Unix time in {unit}, got {value!r}")
        try:
            return datetime.fromtimestamp(float(value) / divisor, UTC)
        except (ValueError, OverflowError, OSError):
            raise TransformError(
                f"expected Unix time in {unit}, got {value!r}"
            ) from None

    return convert


def _text(value: Any, _table: Mapping[str, Any] | None) -> str:
    if isinstance(value, dict | list):
        raise TransformError(f"expected a scalar, got {value!r}")
    return str(value)


def _integer(value: Any, _table: Mapping[str, Any] | None) -> int:
    if isinstance(value, bool):
        raise TransformError(f"expected an integer, got {value!r}")
    try:
        return int(str(value).strip())
    except ValueError:
        raise TransformError(f"expected an integer, got {value!r}") from None


_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off", ""}


def _boolean(value: Any, _table: Mapping[str, Any] | None) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise TransformError(f"expected a yes/no value, got {value!r}")


def _lookup(value: Any, table: Mapping[str, Any] | None) -> Any:
    key = str(value)
    if table is None or key not in table:
        known = sorted(table) if table else []
        raise TransformError(f"expected one of {known!r}, got {value!r}")
    return table[key]


def _as_list(value: Any, _table: Mapping[str, Any] | None) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _case(method: str) -> Transform:
    def convert(value: Any, _table: Mapping[str, Any] | None) -> str:
        if not isinstance(value, str):
            raise TransformError(f"expected text, got {value!r}")
        result: str = getattr(value, method)()
        return result

    return convert


TRANSFORMS: dict[str, Transform] = {
    "decimal": _decimal,
    "cents": _cents,
    "date": _date,
    "datetime": _datetime,
    "ms_epoch": _epoch(1000, "milliseconds"),
    "s_epoch": _epoch(1, "seconds"),
    "str": _text,
    "int": _integer,
    "bool": _boolean,
    "lookup": _lookup,
    "list": _as_list,
    "upper": _case("upper"),
    "lower": _case("lower"),
    "strip": _case("strip"),
}
"""Every transform a catalog may name."""
