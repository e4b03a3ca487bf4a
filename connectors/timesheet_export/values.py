"""Parse the cells of timesheet exports: numbers, yes/no, times, durations, money.

Every parser takes the cell text and returns the value, or raises
`CellError` with what it expected; the importer adds the column and line.
Empty cells are None, never zero.
"""

import re
from datetime import time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HOURS_PLACES = Decimal("0.0001")
"""Hours are kept to 4 decimals (0.36 s); finer digits round half up."""

_YES = {"yes", "y", "true", "1", "ja", "oui", "si", "sí", "sim", "tak", "ano", "x"}
_NO = {"no", "n", "false", "0", "nein", "non", "não", "nao", "nie", "ne", ""}
_CLOCK = re.compile(r"^(?P<h>\d+):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?$")
_HMS_WORDS = re.compile(
    r"^(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?\s*(?:(?P<s>\d+)\s*s(?:ec)?)?$"
)
_TIME_OF_DAY = re.compile(
    r"^(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?$",
    re.IGNORECASE,
)
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_ISO_CODE = re.compile(r"(?:^|[\s\-(])(?P<code>[A-Z]{3})\)?$")


class CellError(ValueError):
    """Raised when a cell cannot be read; the message says what was expected."""


def text(cell: str | None) -> str | None:
    """Return the cell stripped, or None when it is empty."""
    if cell is None:
        return None
    stripped = cell.strip()
    return stripped or None


def decimal(cell: str | None) -> Decimal | None:
    """Parse `48.0`, `1,234.50`, `1.234,50`, `0,5`; None when empty."""
    raw = text(cell)
    if raw is None:
        return None
    if _PLAIN_NUMBER.match(raw):
        return Decimal(raw)
    cleaned = raw.replace("\u00a0", "").replace(" ", "").replace("'", "")
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1 and len(cleaned.split(",")[1]) != 3:
        cleaned = cleaned.replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CellError("expected a number") from None
    if not value.is_finite():
        raise CellError("expected a finite number")
    return value


def boolean(cell: str | None) -> bool | None:
    """Parse yes/no in the tools' languages; None when empty."""
    raw = text(cell)
    if raw is None:
        return None
    folded = raw.casefold()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise CellError("expected yes or no")


def duration_hours(cell: str | None) -> Decimal | None:
    """Parse a duration into hours, in any of Toggl's and Clockify's formats.

    `08:03:27` and `0:47:06` (classic and improved, hours may pass 24),
    `47:06 min` (minutes and seconds), `0.79`, `0,79` or `0.79 h` (decimal),
    `1h 30m` (words). None when empty.
    """
    raw = text(cell)
    if raw is None:
        return None
    lowered = raw.casefold()
    if lowered.endswith("min") and _CLOCK.match(lowered[:-3].strip()):
        minutes, seconds = lowered[:-3].strip().split(":")[:2]
        return _hours(0, int(minutes), int(seconds))
    clock = _CLOCK.match(lowered.removesuffix("h").strip())
    if clock is not None:
        return _hours(int(clock["h"]), int(clock["m"]), int(clock["s"] or 0))
    words = _HMS_WORDS.match(lowered)
    if (
        words is not None
        and any(words.groupdict().values())
        and not lowered[-1].isdigit()
    ):
        return _hours(int(words["h"] or 0), int(words["m"] or 0), int(words["s"] or 0))
    try:
        value = decimal(lowered.removesuffix("h").strip())
    except CellError:
        raise CellError("expected a duration (HH:MM:SS or decimal hours)") from None
    return None if value is None else round_hours(value)


def time_of_day(cell: str | None) -> time | None:
    """Parse `07:30:07`, `7:30`, `11:00:00 AM`, `11.00 pm`; None when empty."""
    raw = text(cell)
    if raw is None:
        return None
    match = _TIME_OF_DAY.match(raw)
    if match is None:
        raise CellError("expected a time of day (HH:MM[:SS] [AM|PM])")
    hour, minute = int(match["h"]), int(match["m"])
    ampm = (match["ampm"] or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise CellError("expected an hour from 1 to 12 before AM/PM")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return time(hour, minute, int(match["s"] or 0))
    except ValueError:
        raise CellError("expected a time of day (HH:MM[:SS] [AM|PM])") from None


def currency_code(label: str | None) -> str | None:
    """Return the ISO 4217 code in a label (`United States Dollar - USD`, `EUR`).

    None when the label holds no three-letter upper-case code (`CZ`, empty).
    """
    raw = text(label)
    if raw is None:
        return None
    match = _ISO_CODE.search(raw)
    return match["code"] if match else None


def round_hours(value: Decimal) -> Decimal:
    """Round hours to `HOURS_PLACES`, half up."""
    return value.quantize(HOURS_PLACES, rounding=ROUND_HALF_UP)


def _hours(hours: int, minutes: int, seconds: int) -> Decimal:
    return round_hours(Decimal(hours * 3600 + minutes * 60 + seconds) / 3600)
