"""The date order of an export: ISO, day first or month first, sniffed per file.

The tools print dates in the exporting user's settings: Harvest and Toggl
as ISO (`2025-12-07`), Clockify as `DD/MM/YYYY` or `MM/DD/YYYY` (also with
`.` or `-`). A file is sniffed by reading its date cells until one settles
it: ISO, a first part over 12 (day first) or a second part over 12 (month
first); when every day is 12 or less, the reading under which the dates span
clearly less time wins, then a 12-hour clock (month first). A file that still
cannot tell (one date, 24 h times) is refused with a message asking for
`--date-format`: guessing would misfile a month of time without a trace. An
explicit format always wins over sniffing. Whichever way it was decided is
reported with the import.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from opsgate.connectors.timesheet_export.values import CellError

_SLASHED = re.compile(r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4})$")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")


class DateOrder(StrEnum):
    """How a file writes its dates."""

    ISO = "iso"
    """`YYYY-MM-DD`."""
    DAY_FIRST = "dmy"
    """`DD/MM/YYYY` (also `.` and `-`)."""
    MONTH_FIRST = "mdy"
    """`MM/DD/YYYY` (also `.` and `-`)."""


ALIASES = {
    "iso": DateOrder.ISO,
    "yyyy-mm-dd": DateOrder.ISO,
    "dmy": DateOrder.DAY_FIRST,
    "dd/mm/yyyy": DateOrder.DAY_FIRST,
    "dd.mm.yyyy": DateOrder.DAY_FIRST,
    "mdy": DateOrder.MONTH_FIRST,
    "mm/dd/yyyy": DateOrder.MONTH_FIRST,
}
"""What `--date-format` accepts (case-insensitive), besides a strptime pattern."""


class DateFormat:
    """Parses a file's date cells, by a known order or a strptime pattern."""

    def __init__(
        self,
        order: DateOrder | None = None,
        pattern: str | None = None,
        evidence: str = "given with --date-format.",
    ) -> None:
        self.order = order
        self.pattern = pattern
        self.evidence = evidence
        """Why this format was chosen, for the import report."""

    @classmethod
    def from_option(cls, option: str) -> "DateFormat":
        """Build from `--date-format`: `iso`, `dmy`, `mm/dd/yyyy`, or `%d.%m.%Y`."""
        known = ALIASES.get(option.strip().lower())
        if known is not None:
            return cls(order=known)
        if "%" in option:
            return cls(pattern=option)
        raise ValueError(
            f"Unknown date format {option!r}; use one of {', '.join(ALIASES)} or a "
            "strptime pattern such as '%d.%m.%Y'."
        )

    @property
    def label(self) -> str:
        """How the format is reported (`dmy`, `%d.%m.%Y`)."""
        return self.pattern or str(self.order)

    def parse(self, cell: str) -> date:
        """Return the date in `cell`, or raise `CellError`."""
        raw = cell.strip()
        if self.pattern is not None:
            try:
                return datetime.strptime(raw, self.pattern).date()
            except ValueError:
                raise CellError(f"expected a date like {self.pattern!r}") from None
        try:
            if self.order is DateOrder.ISO:
                return date.fromisoformat(raw) if len(raw) == 10 else _iso_loose(raw)
            match = _SLASHED.match(raw)
            if match is None:
                raise ValueError(raw)
            first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
            if self.order is DateOrder.DAY_FIRST:
                return date(year, second, first)
            return date(year, first, second)
        except ValueError:
            raise CellError(f"expected a date in {self.label} order") from None


@dataclass(frozen=True)
class SniffedOrder:
    """The date order a file shows, and why we believe it."""

    order: DateOrder
    evidence: str
    """One sentence a person can check (`'13/01/2023' has a day over 12.`)."""


def sniff_order(
    cells: Iterable[str], *, twelve_hour: Callable[[], bool] = lambda: False
) -> SniffedOrder | None:
    """Return the order the file's date cells show, or None if they cannot tell.

    In order of strength: an ISO date; a first part over 12 (day first) or a
    second part over 12 (month first); then, when every date could be either,
    the reading under which the dates span clearly less time (an export
    covers a range of days, and the wrong reading turns consecutive days into
    months apart); then a 12-hour clock in the file, read as month first (the
    US convention that pairs them). Cells that are not dates are skipped:
    they become row problems later.
    """
    day_first: list[date] = []
    month_first: list[date] = []
    for cell in cells:
        raw = cell.strip()
        if _ISO.match(raw):
            return SniffedOrder(DateOrder.ISO, f"{raw!r} is an ISO date.")
        match = _SLASHED.match(raw)
        if match is None:
            continue
        first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
        if first > 12:
            return SniffedOrder(
                DateOrder.DAY_FIRST, f"{raw!r} has a first part over 12."
            )
        if second > 12:
            return SniffedOrder(
                DateOrder.MONTH_FIRST, f"{raw!r} has a second part over 12."
            )
        _keep_extremes(day_first, _safe_date(year, second, first))
        _keep_extremes(month_first, _safe_date(year, first, second))
    return _by_span(day_first, month_first, twelve_hour())


def _by_span(
    day_first: list[date], month_first: list[date], twelve_hour: bool
) -> SniffedOrder | None:
    if not day_first or not month_first:
        return None
    dmy_days = (max(day_first) - min(day_first)).days
    mdy_days = (max(month_first) - min(month_first)).days
    if mdy_days >= 2 * dmy_days + 1:
        return SniffedOrder(
            DateOrder.DAY_FIRST,
            f"Read day first the dates span {dmy_days} days, month first {mdy_days}.",
        )
    if dmy_days >= 2 * mdy_days + 1:
        return SniffedOrder(
            DateOrder.MONTH_FIRST,
            f"Read month first the dates span {mdy_days} days, day first {dmy_days}.",
        )
    if twelve_hour:
        return SniffedOrder(
            DateOrder.MONTH_FIRST,
            "The dates could be either; the file uses AM/PM times.",
        )
    return None


def _keep_extremes(seen: list[date], value: date | None) -> None:
    if value is None:
        return
    if len(seen) < 2:
        seen.append(value)
        return
    seen[0], seen[1] = min(seen[0], seen[1], value), max(seen[0], seen[1], value)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _iso_loose(raw: str) -> date:
    match = _ISO.match(raw)
    if match is None:
        raise ValueError(raw)
    return date(int(match["y"]), int(match["m"]), int(match["d"]))
