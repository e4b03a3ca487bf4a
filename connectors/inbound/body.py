"""Decode inbound bodies and the time stamps inside them, or say what is wrong."""

import json
from datetime import UTC, datetime
from typing import Any

from opsgate.connectors.inbound.errors import PayloadRejected


def load_json(body: bytes, *, source: str) -> Any:
    """Decode a UTF-8 JSON body, raising `PayloadRejected` with the position."""
    try:
        return json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise PayloadRejected(
            f"{source} body is not UTF-8 at byte {exc.start}.",
            source=source,
            location=f"byte {exc.start}",
        ) from exc
    except RecursionError:
        raise PayloadRejected(
            f"{source} body is not JSON Opsgate reads: it nests arrays or objects "
            "deeper than the parser's limit.",
            source=source,
            location="$",
        ) from None
    except json.JSONDecodeError as exc:
        raise PayloadRejected(
            f"{source} body is not JSON: {exc.msg} at line {exc.lineno} column "
            f"{exc.colno}.",
            source=source,
            location=f"line {exc.lineno} column {exc.colno}",
        ) from exc


def require(mapping: Any, key: str, *, source: str, location: str) -> Any:
    """Return `mapping[key]`, raising `PayloadRejected` when it is absent or null."""
    if not isinstance(mapping, dict):
        raise PayloadRejected(
            f"{source} body at {location}: expected an object, got {mapping!r}.",
            source=source,
            location=location,
            value=mapping,
        )
    value = mapping.get(key)
    if value is None:
        raise PayloadRejected(
            f"{source} body at {location}.{key}: required field is missing.",
            source=source,
            location=f"{location}.{key}",
        )
    return value


def from_epoch_ms(value: Any, *, source: str, location: str) -> datetime:
    """Turn epoch milliseconds (int or numeric string) into an aware UTC datetime."""
    try:
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    except (TypeError, ValueError, OverflowError):
        raise PayloadRejected(
            f"{source} body at {location}: expected epoch milliseconds, got {value!r}.",
            source=source,
            location=location,
            value=value,
        ) from None


def from_iso(value: Any, *, source: str, location: str) -> datetime:
    """Parse an ISO 8601 time stamp, also `+0000` offsets without a colon."""
    if not isinstance(value, str):
        raise PayloadRejected(
            f"{source} body at {location}: expected an ISO time stamp, got {value!r}.",
            source=source,
            location=location,
            value=value,
        )
    text = value.strip().replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise PayloadRejected(
            f"{source} body at {location}: expected an ISO time stamp, got {value!r}.",
            source=source,
            location=location,
            value=value,
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
