"""Read Odoo's many-to-one values, which come back as `[id, "Display name"]` or `false`."""

from __future__ import annotations

from typing import Any


def many2one_id(value: Any) -> int | None:
    """The record id of a many-to-one value, or None when it is empty."""
    if isinstance(value, list | tuple) and value:
        return int(value[0])
    return (
        int(value)
        if isinstance(value, int) and not isinstance(value, bool) and value
        else None
    )


def many2one_label(value: Any) -> str | None:
    """The display name of a many-to-one value read with its name, or None."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return str(value[1])
    return None
