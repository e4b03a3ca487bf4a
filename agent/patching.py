"""Derive a JSON Patch for a payload from what the fault says is wrong.

Only fixes that follow from the fault alone are derived: an unknown field is
removed, a date in a foreign format is rewritten to the form Odoo takes. For
anything else there is no patch, and a person writes it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

_UNKNOWN_FIELD = re.compile(
    r"Invalid field (?:name )?'(\w+)'|Invalid field [\w.]+\.(\w+) in|^(\w+)$"
)
_QUOTED = re.compile(r"'([^']+)'")


def derive_patch(message: str, payload: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Return the patch that fixes `payload` for this fault, or None."""
    text = re.sub(r"^\w+(?:\.\w+)*Error: ", "", message.strip())
    found = _UNKNOWN_FIELD.search(text)
    field = next((g for g in found.groups() if g), None) if found else None
    if field and field in payload:
        return [{"op": "remove", "path": f"/{field}"}]
    if "date" in text or "unconverted data remains" in text:
        return _date_patch(payload)
    return None


def _date_patch(payload: dict[str, Any]) -> list[dict[str, Any]] | None:
    for key, value in payload.items():
        if isinstance(value, str) and (fixed := odoo_date(value)) and fixed != value:
            return [{"op": "replace", "path": f"/{key}", "value": fixed}]
    return None


def odoo_date(value: str) -> str | None:
    """Return `value` in Odoo's form (`YYYY-MM-DD` or UTC `YYYY-MM-DD HH:MM:SS`).

    Slashed dates are read day first (`03/12/2026` is 3 December), as the
    recorded peer exports write them.
    """
    day_first = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if day_first:
        day, month, year = (int(part) for part in day_first.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.strftime("%Y-%m-%d %H:%M:%S")
