"""Import a timesheet CSV export: one file in, records and row problems out.

    reading = open_export(path, format=None, date_format=None, timezone="UTC")
    for item in reading.rows():      # streams; one row in memory at a time
        SourceRecord (a good row)  or  RowProblem (a bad row, kept)

Rules that hold for every format (the format modules say the rest):

- Columns are matched by name, never by position; the format is sniffed
  from the header when not given (the best-matching format whose required
  columns are all present).
- Dates: the file's date order is sniffed from its date cells, unless
  `date_format` is given (see `dates`). A file whose dates cannot settle
  the order is refused with `ExportRefused`, naming the option to pass.
- Hours: the tool's own duration column is authoritative (Harvest `Hours`,
  Toggl `Duration`, Clockify `Duration (h)`), taken as exported, to 4
  decimals rounded half up; rounded variants are kept beside it, never
  used. An entry must be 0 to 24 hours.
- Time zones: `work_date` is the date the tool printed (the entry's day in
  the exporting user's zone); `timezone` only places start/end times, which
  are stored in UTC.
- Dedupe: each record's `object_id` is the row's entry key and its
  `source_event_id` the entry key plus its state (see `entry_key`).
- A bad row never stops the import: it becomes a `RowProblem` naming file,
  line, column and value, with the row's raw text.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opsgate.connectors.clockify.export import FORMAT as CLOCKIFY
from opsgate.connectors.harvest.export import FORMAT as HARVEST
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.timesheet_export.columns import (
    ColumnMap,
    match_columns,
    missing_required,
)
from opsgate.connectors.timesheet_export.dates import DateFormat, DateOrder, sniff_order
from opsgate.connectors.timesheet_export.entry_key import EntryKeys, event_id
from opsgate.connectors.timesheet_export.export_format import ExportFormat
from opsgate.connectors.timesheet_export.problems import (
    CellIssue,
    ExportRefused,
    RowProblem,
)
from opsgate.connectors.timesheet_export.reader import (
    RawRow,
    detect_encoding,
    iter_rows,
    read_header,
)
from opsgate.connectors.timesheet_export.row import Row
from opsgate.connectors.toggl.export import FORMAT as TOGGL

FORMATS: dict[str, ExportFormat] = {f.source: f for f in (HARVEST, TOGGL, CLOCKIFY)}
"""Every export format by its source name."""

EVENT_TYPE = "time_entry.exported"
"""The event type of every imported row."""

_SNIFF_ROWS = 100_000
"""At most this many rows are read to settle the date order."""


@dataclass(frozen=True)
class ExportReading:
    """An export that opened: what was recognised, and its rows on demand."""

    path: Path
    format: ExportFormat
    columns: ColumnMap
    date_format: DateFormat
    zone: ZoneInfo
    delimiter: str
    encoding: str

    @property
    def source(self) -> str:
        """The source name records carry."""
        return self.format.source

    def rows(self) -> Iterator[SourceRecord | RowProblem]:
        """Yield a record per good row and a problem per bad row, in file order."""
        keys = EntryKeys(self.source)
        for raw in iter_rows(self.path, self.delimiter, self.encoding):
            yield self._read(raw, keys)

    def _read(self, raw: RawRow, keys: EntryKeys) -> SourceRecord | RowProblem:
        row = Row(raw.cells, self.columns, self.date_format, self.zone)
        width = len(self.columns.headers)
        extra = raw.cells[width:]
        if len(raw.cells) < width or any(cell.strip() for cell in extra):
            row.issues.append(
                CellIssue(
                    column="",
                    value=str(len(raw.cells)),
                    message=f"the row has {len(raw.cells)} cells where the header "
                    f"has {len(self.columns.headers)}",
                )
            )
        entry = self.format.read(row) if not row.issues else None
        if entry is None or row.issues:
            return RowProblem(
                file=self.path.name,
                line=raw.line,
                raw=raw.text,
                issues=tuple(row.issues),
            )
        entry_key = keys.key(entry.identity)
        return SourceRecord(
            source=self.source,
            source_event_id=event_id(entry_key, entry.state),
            event_type=EVENT_TYPE,
            object_type="time_entry",
            object_id=entry_key,
            occurred_at=entry.started_at,
            fields=entry.fields(entry_key),
            meta={"file": self.path.name, "line": raw.line, "format": self.source},
            location=f"{self.path.name} line {raw.line}",
            raw=raw.text,
        )


def open_export(
    path: Path,
    *,
    format: str | None = None,
    date_format: str | None = None,
    timezone: str | None = None,
    default_zones: Mapping[str, str] | None = None,
) -> ExportReading:
    """Recognise an export and get ready to stream it.

    `timezone` places the export's start/end times; without it the zone is
    `default_zones[<format>]` (the tool's settings), else UTC.

    Raises:
        ExportRefused: unknown format or time zone, missing required columns,
            or a date order the file cannot settle.
    """
    encoding = detect_encoding(path)
    headers, delimiter = read_header(path, encoding)
    chosen = _format(path, headers, format)
    columns = match_columns(headers, chosen.columns)
    missing = missing_required(columns, chosen.columns)
    if missing:
        raise ExportRefused(
            f"{path.name} is not a {chosen.source} export: missing column(s) "
            f"{', '.join(repr(m) for m in missing)}; found {headers!r}.",
            file=path.name,
            source=chosen.source,
        )
    reading = ExportReading(
        path=path,
        format=chosen,
        columns=columns,
        date_format=DateFormat(order=DateOrder.ISO),
        zone=_zone(path, timezone or (default_zones or {}).get(chosen.source, "UTC")),
        delimiter=delimiter,
        encoding=encoding,
    )
    dates = _date_format(reading, date_format)
    return ExportReading(**{**reading.__dict__, "date_format": dates})


def sniff_format(headers: list[str]) -> ExportFormat | None:
    """Return the format whose required columns are present and most columns match."""
    scored = []
    for candidate in FORMATS.values():
        columns = match_columns(headers, candidate.columns)
        if not missing_required(columns, candidate.columns):
            scored.append((len(columns.positions), candidate.source))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return FORMATS[scored[0][1]]


def _format(path: Path, headers: list[str], name: str | None) -> ExportFormat:
    found = sniff_format(headers)
    if name is not None:
        if name not in FORMATS:
            raise ExportRefused(
                f"Unknown timesheet format {name!r}; use one of {', '.join(FORMATS)}.",
                file=path.name,
            )
        if found is not None and found.source != name:
            # Keys and the source both come from the format: the same rows
            # imported as two tools would be two sets of time.
            raise ExportRefused(
                f"{path.name} looks like a {found.source} export, not {name} (its "
                f"header {headers!r} matches {found.source}'s columns); pass "
                f"--format {found.source} or leave --format out.",
                file=path.name,
                source=name,
            )
        return FORMATS[name]
    if found is None:
        raise ExportRefused(
            f"{path.name}: cannot tell the export format from its header {headers!r}; "
            f"pass --format ({'|'.join(FORMATS)}).",
            file=path.name,
        )
    return found


def _zone(path: Path, timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ExportRefused(
            f"Unknown time zone {timezone!r}; use an IANA name such as 'Europe/Berlin'.",
            file=path.name,
        ) from None


def _date_format(reading: ExportReading, option: str | None) -> DateFormat:
    if option is not None:
        try:
            forced = DateFormat.from_option(option)
        except ValueError as exc:
            raise ExportRefused(str(exc), file=reading.path.name) from None
        return _forced(reading, forced)
    return _sniffed(reading)


def _forced(reading: ExportReading, forced: DateFormat) -> DateFormat:
    """The format `--date-format` gave, saying so when the file reads otherwise.

    The option wins (it is how a person settles what the file cannot), but
    reading day-first dates month-first puts every row on another day, and
    a re-import then counts them again: the report says what the dates show.
    """
    if forced.order is None:
        return forced
    try:
        shown = _sniffed(reading)
    except ExportRefused:
        return forced
    if shown.order in (None, forced.order) or shown.order is DateOrder.ISO:
        return forced
    return DateFormat(
        order=forced.order,
        evidence=(
            "given with --date-format, although the file's dates read as "
            f"{shown.label}: {shown.evidence[:1].lower()}{shown.evidence[1:]}"
        ),
    )


def _sniffed(reading: ExportReading) -> DateFormat:
    positions = [
        reading.columns.positions[key]
        for key in reading.format.date_keys
        if reading.columns.has(key)
    ]
    seen: list[str] = []
    twelve_hour = False
    time_at = reading.columns.positions.get("start_time")

    def cells() -> Iterator[str]:
        nonlocal twelve_hour
        rows = iter_rows(reading.path, reading.delimiter, reading.encoding)
        for raw in islice(rows, _SNIFF_ROWS):
            if time_at is not None and time_at < len(raw.cells):
                twelve_hour = twelve_hour or raw.cells[time_at].strip()[
                    -2:
                ].upper() in (
                    "AM",
                    "PM",
                )
            for index in positions:
                if index < len(raw.cells):
                    if len(seen) < 3:
                        seen.append(raw.cells[index])
                    yield raw.cells[index]

    sniffed = sniff_order(cells(), twelve_hour=lambda: twelve_hour)
    if sniffed is not None:
        return DateFormat(order=sniffed.order, evidence=sniffed.evidence)
    if not seen:
        return DateFormat(order=DateOrder.ISO, evidence="the file has no dates.")
    raise ExportRefused(
        f"{reading.path.name}: the dates {seen!r} could be day-first or month-first "
        "and no date in the file settles it; pass --date-format dd/mm/yyyy or "
        "mm/dd/yyyy.",
        file=reading.path.name,
        source=reading.source,
    )
