"""`opsgate import timesheets|roster FILE`: file imports into the store.

Each good row is accepted as an event (source `harvest`, `toggl`, `clockify`
or `roster`; its dedupe key as source event id, so importing a file again
creates nothing twice); each bad row is kept in quarantine, and one
incident lists them. A refused file (unknown format, missing columns, dates
that cannot tell their order) is kept in quarantine with an incident too,
and the command exits with status 1.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
from sqlalchemy import Engine

from opsgate.commands.store_access import open_store
from opsgate.connectors.errors import ErrorCategory
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.roster.export import open_roster
from opsgate.connectors.timesheet_export.dates import DateFormat
from opsgate.connectors.timesheet_export.importer import FORMATS, open_export
from opsgate.connectors.timesheet_export.problems import ExportRefused, RowProblem
from opsgate.logs import configure_logging
from opsgate.rules.accept.quarantine import quarantine
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.imports.export_zones import ZoneChanged, check_zone
from opsgate.rules.imports.file_import import ImportReport, import_items
from opsgate.rules.store.db import session_scope
from opsgate.settings import Settings, load_settings

app = typer.Typer(help="Import files exported from peer systems.", no_args_is_help=True)

PROGRESS_MIN_BYTES = 1_000_000
"""Files at least this large show a progress bar."""

FileArgument = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV file.")
]


@app.command()
def timesheets(
    file: FileArgument,
    format: Annotated[
        str | None,
        typer.Option(
            help=f"Export format ({'|'.join(FORMATS)}); sniffed when omitted."
        ),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(
            help="Date order: iso, dd/mm/yyyy, mm/dd/yyyy, or a strptime pattern; "
            "sniffed per file when omitted."
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            help="IANA zone the export's start/end times are in; default: the "
            "tool's `timezone` setting (toggl.timezone, clockify.timezone), else UTC."
        ),
    ] = None,
    timezone_changed: Annotated[
        bool,
        typer.Option(
            "--timezone-changed",
            help="Accept a zone other than the one this tool's exports were "
            "imported in before (the profile's zone really changed).",
        ),
    ] = False,
) -> None:
    """Import a Harvest, Toggl Track or Clockify detailed CSV export."""
    _check_options(format, date_format, timezone)
    settings = _settings()
    console = Console(stderr=True, soft_wrap=True)
    try:
        reading = open_export(
            file,
            format=format,
            date_format=date_format,
            timezone=timezone,
            default_zones={
                "toggl": settings.toggl.timezone,
                "clockify": settings.clockify.timezone,
            },
        )
    except ExportRefused as exc:
        _refuse(settings, file, exc, source=format or "timesheet", console=console)
    except (UnicodeDecodeError, csv.Error) as exc:
        _refuse(
            settings,
            file,
            _unreadable(file, exc),
            source=format or "timesheet",
            console=console,
        )
    console.print(
        f"{file.name}: {reading.source} export, dates {reading.date_format.label} "
        f"({reading.date_format.evidence}), times in {reading.zone.key}."
    )
    engine = open_store(settings.database_url, must_exist=False)
    try:
        check_zone(engine, reading.source, reading.zone.key, changed=timezone_changed)
    except ZoneChanged as exc:
        console.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    report = _run(engine, settings, file, reading.source, reading.rows, console)
    _print(report, console)


@app.command()
def roster(file: FileArgument) -> None:
    """Import an employee roster CSV (HR export: one row per employee)."""
    settings = _settings()
    console = Console(stderr=True, soft_wrap=True)
    try:
        reading = open_roster(file)
    except ExportRefused as exc:
        _refuse(settings, file, exc, source="roster", console=console)
    except (UnicodeDecodeError, csv.Error) as exc:
        _refuse(
            settings, file, _unreadable(file, exc), source="roster", console=console
        )
    engine = open_store(settings.database_url, must_exist=False)
    report = _run(engine, settings, file, "roster", reading.rows, console)
    _print(report, console)


def _unreadable(file: Path, exc: Exception) -> ExportRefused:
    return ExportRefused(
        f"{file.name} is not a readable CSV text file ({type(exc).__name__}: {exc}).",
        file=file.name,
    )


def _check_options(
    format: str | None, date_format: str | None, timezone: str | None
) -> None:
    if format is not None and format not in FORMATS:
        raise typer.BadParameter(
            f"{format!r} is not a format; use one of {', '.join(FORMATS)}.",
            param_hint="--format",
        )
    if date_format is not None:
        try:
            DateFormat.from_option(date_format)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--date-format") from None
    if timezone is None:
        return
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise typer.BadParameter(
            f"{timezone!r} is not an IANA time zone (such as 'Europe/Berlin').",
            param_hint="--timezone",
        ) from None


def _settings() -> Settings:
    settings = load_settings()
    configure_logging(settings.logging)
    return settings


def _run(
    engine: Engine,
    settings: Settings,
    file: Path,
    source: str,
    rows: Callable[[], Iterator[SourceRecord | RowProblem]],
    console: Console,
) -> ImportReport:
    catalog = load_catalog(
        settings.catalog.paths, include_shipped=settings.catalog.include_shipped
    )
    size = file.stat().st_size
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=size < PROGRESS_MIN_BYTES,
        transient=True,
    ) as bar:
        task = bar.add_task(f"Importing {file.name}", total=size)
        return import_items(
            engine,
            catalog,
            rows(),
            source=source,
            file=file.name,
            progress=lambda used: bar.advance(task, used),
        )


def _refuse(
    settings: Settings, file: Path, exc: ExportRefused, *, source: str, console: Console
) -> None:
    engine = open_store(settings.database_url, must_exist=False)
    with file.open("rb") as handle:
        head = handle.read(64 * 1024)
    with session_scope(engine) as session:
        kept = quarantine(
            session,
            source=source,
            channel="import",
            body=head,
            headers={"file": file.name},
            reason=str(exc),
            location=file.name,
            category=ErrorCategory.VALIDATION,
        )
    console.print(
        f"[red]Refused:[/red] {exc} Kept as quarantined input {kept.id}, "
        f"incident {kept.incident_id}."
    )
    raise typer.Exit(code=1)


def _print(report: ImportReport, console: Console) -> None:
    console.print(
        f"{report.file}: {report.rows} rows: {report.accepted} accepted, "
        f"{report.duplicates} already imported, {report.rejected} rejected."
    )
    for problem in report.problems[:10]:
        console.print(f"  [yellow]{problem}[/yellow]")
    if report.incident_id is not None:
        console.print(f"Rejected rows are listed in incident {report.incident_id}.")
    if report.plausibility_incident_id is not None:
        console.print(
            f"[yellow]{report.implausible_days} person-days add up to more than 24 "
            f"hours; incident {report.plausibility_incident_id} names them.[/yellow]"
        )
