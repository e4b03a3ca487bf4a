"""Field paths into a source payload: `data.object.amount_paid`, `lines.0.id`.

A path is dot-separated. Each step is a mapping key, or a list index when the
value there is a list. `$` is the whole payload. `header:<name>` reads a
request header instead of the payload (names are case-insensitive).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MISSING: Any = object()
"""Returned when a path leads nowhere (an absent key, an index out of range)."""

HEADER_PREFIX = "header:"


def resolve(path: str, payload: Any, headers: Mapping[str, str] | None = None) -> Any:
    """Return the value at `path`, or `MISSING` when the path leads nowhere."""
    if path.startswith(HEADER_PREFIX):
        name = path.removeprefix(HEADER_PREFIX).lower()
        lowered = {key.lower(): value for key, value in (headers or {}).items()}
        return lowered.get(name, MISSING)
    if path == "$":
        return payload
    value = payload
    for step in path.split("."):
        value = _step(value, step)
        if value is MISSING:
            return MISSING
    return value


def _step(value: Any, step: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(step, MISSING)
    if isinstance(value, list) and step.lstrip("-").isdigit():
        index = int(step)
        return value[index] if -len(value) <= index < len(value) else MISSING
    return MISSING
