"""Turn one raw input into the columns of an event, or say why it cannot be one."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opsgate.rules.catalog.mapping import MappingFailure, read_field
from opsgate.rules.catalog.model import FieldRule, SourceEntry
from opsgate.rules.catalog.paths import MISSING


@dataclass(frozen=True)
class Prepared:
    """The event attributes read from a body that can become an event."""

    source_event_id: str
    type: str
    time: datetime | None
    subject: str | None
    correlation_id: str | None


@dataclass(frozen=True)
class Unfit:
    """Why a body cannot become an event, and where in it."""

    reason: str
    location: str | None
    category: str
    """`validation` (not JSON) or `mapping` (an event attribute is unreadable)."""


def prepare(
    entry: SourceEntry,
    *,
    body: bytes,
    headers: Mapping[str, str],
    message_id: str | None,
) -> Prepared | Unfit:
    """Parse `body` and read the event attributes the source's catalog entry names."""
    try:
        payload = json.loads(body)
    except UnicodeDecodeError as exc:
        return Unfit(
            f"Body from {entry.source!r} is not UTF-8: byte {exc.start} is "
            f"{body[exc.start : exc.start + 1]!r}.",
            f"byte {exc.start}",
            "validation",
        )
    except RecursionError:
        return Unfit(
            f"Body from {entry.source!r} nests arrays or objects deeper than the "
            "JSON parser's limit.",
            "$",
            "validation",
        )
    except json.JSONDecodeError as exc:
        return Unfit(
            f"Body from {entry.source!r} is not valid JSON: {exc.msg} at line "
            f"{exc.lineno}, column {exc.colno}.",
            f"line {exc.lineno}, column {exc.colno}",
            "validation",
        )
    try:
        return _attributes(entry, payload, headers, message_id, body)
    except MappingFailure as exc:
        return Unfit(
            f"Event attributes of {entry.source!r} could not be read {exc}.",
            exc.path,
            "mapping",
        )


def _attributes(
    entry: SourceEntry,
    payload: Any,
    headers: Mapping[str, str],
    message_id: str | None,
    body: bytes,
) -> Prepared:
    rule = entry.event
    source_event_id = _text(rule.id, payload, headers, "id")
    if source_event_id is None:
        source_event_id = message_id or "sha256:" + hashlib.sha256(body).hexdigest()
    time = _read(rule.time, payload, headers)
    if time is not None and not isinstance(time, datetime):
        raise MappingFailure(
            f"at {rule.time.path if rule.time else 'time'}: expected a date-time, "
            f"got {time!r} (add a transform such as `datetime` or `ms_epoch`)",
            path=str(rule.time.path if rule.time else "time"),
            value=time,
        )
    return Prepared(
        source_event_id=source_event_id[:256],
        type=(_text(rule.type, payload, headers, "type") or f"{entry.source}.event")[
            :128
        ],
        time=time,
        subject=_clip(_text(rule.subject, payload, headers, "subject"), 256),
        correlation_id=_clip(
            _text(rule.correlation, payload, headers, "correlation"), 128
        ),
    )


def _read(rule: FieldRule | None, payload: Any, headers: Mapping[str, str]) -> Any:
    if rule is None:
        return None
    value = read_field(rule, payload, headers)
    return None if value is MISSING else value


def _text(
    rule: FieldRule | None, payload: Any, headers: Mapping[str, str], name: str
) -> str | None:
    value = _read(rule, payload, headers)
    if value is None:
        return None
    if isinstance(value, dict | list) or isinstance(value, bool):
        raise MappingFailure(
            f"at {rule.path if rule else name}: expected a text or number for the "
            f"event {name}, got {value!r}",
            path=str(rule.path if rule else name),
            value=value,
        )
    return str(value)


def _clip(value: str | None, length: int) -> str | None:
    return value[:length] if value is not None else None
