"""Compare values written to Odoo with the values read back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_FLOAT_TOLERANCE = 1e-6


def same_value(wanted: Any, got: Any) -> bool | None:
    """True when `got` (as Odoo reads it) holds `wanted` (as it was written).

    Returns None when the two cannot be compared (x2many commands).
    """
    if wanted is None or wanted is False:
        return got in (False, None, [], "")
    if isinstance(got, list) and len(got) == 2 and isinstance(got[1], str):
        got = got[0]  # a many2one reads as [id, display name]
    if isinstance(wanted, bool) or isinstance(got, bool):
        return bool(wanted) == bool(got)
    if isinstance(wanted, list | tuple):
        if all(isinstance(item, int) for item in wanted) and isinstance(got, list):
            return sorted(wanted) == sorted(got)
        return None
    if isinstance(wanted, int | float) and isinstance(got, int | float):
        return abs(float(wanted) - float(got)) <= _FLOAT_TOLERANCE
    return bool(wanted == got)


def mismatches(
    record: Mapping[str, Any], values: Mapping[str, Any]
) -> dict[str, tuple[Any, Any]]:
    """Fields of `values` that `record` does not hold: name to (wanted, got)."""
    wrong: dict[str, tuple[Any, Any]] = {}
    for name, wanted in values.items():
        got = record.get(name)
        if same_value(wanted, got) is False:
            wrong[name] = (wanted, got)
    return wrong
