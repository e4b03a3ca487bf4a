"""Accept the records of an imported file, in batches, and keep its bad rows.

    report = import_items(engine, catalog, items, source=..., file=...)

Each good record is accepted through `opsgate.rules.accept.accept_many` with
`channel="import"` and its `source_event_id`, so the store's (source,
source event id) uniqueness makes a re-import a no-op. Each bad row goes to
quarantine with its reason and location; one incident per file names the
count and the first problems, and every quarantined row points at it. A row
already quarantined from the same file and line with the same text is not
kept twice. Batches commit on their own, so an interrupted import resumes
by running it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import structlog
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from opsgate.connectors.errors import ErrorCategory
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.timesheet_export.problems import RowProblem
from opsgate.rules.accept import AcceptOutcome, AcceptRequest, accept_many
from opsgate.rules.accept.quarantine import quarantine
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.imports.plausibility import (
    LISTED_LINES,
    MAX_HOURS_PER_DAY,
    DayTotals,
    PersonDay,
)
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.tables import QuarantinedInput

log = structlog.get_logger(__name__)

BATCH_SIZE = 500
"""Rows accepted per transaction."""
_DETAIL_PROBLEMS = 20
"""How many row problems the incident's detail lists in full."""

Progress = Callable[[int], None]
"""Called after each item with the number of bytes of the file it used."""


@dataclass
class ImportReport:
    """What one import did."""

    source: str
    file: str
    accepted: int = 0
    """New events stored."""
    duplicates: int = 0
    """Rows whose event was accepted before (a re-import or an overlap)."""
    rejected: int = 0
    """Bad rows kept in quarantine."""
    incident_id: int | None = None
    """The incident that lists the bad rows, if any."""
    problems: list[str] = field(default_factory=list)
    """The first problems, as messages."""
    implausible_days: int = 0
    """Person-days whose rows add up to more hours than a day has."""
    plausibility_incident_id: int | None = None
    """The incident that names them, if any."""

    @property
    def rows(self) -> int:
        """Rows read."""
        return self.accepted + self.duplicates + self.rejected


def import_items(
    engine: Engine,
    catalog: Catalog,
    items: Iterable[SourceRecord | RowProblem],
    *,
    source: str,
    file: str,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Accept every record and quarantine every problem; return the counts."""
    report = ImportReport(source=source, file=file)
    batch: list[SourceRecord | RowProblem] = []
    kept: list[int] = []
    totals = DayTotals()
    for item in items:
        batch.append(item)
        if isinstance(item, SourceRecord):
            totals.add(item)
        if progress is not None:
            progress(_size(item))
        if len(batch) >= batch_size:
            kept.extend(_commit(engine, catalog, batch, report))
            batch = []
    if batch:
        kept.extend(_commit(engine, catalog, batch, report))
    if kept:
        _open_file_incident(engine, report, kept)
    implausible = totals.implausible()
    if implausible:
        _open_plausibility_incident(engine, report, implausible)
    log.info(
        "import.finished",
        source=source,
        file=file,
        accepted=report.accepted,
        duplicates=report.duplicates,
        rejected=report.rejected,
        incident_id=report.incident_id,
    )
    return report


def _commit(
    engine: Engine,
    catalog: Catalog,
    batch: list[SourceRecord | RowProblem],
    report: ImportReport,
) -> list[int]:
    records = [item for item in batch if isinstance(item, SourceRecord)]
    problems = [item for item in batch if isinstance(item, RowProblem)]
    with session_scope(engine) as session:
        results = accept_many(session, catalog, [_request(r) for r in records])
        kept = [_keep(session, report, problem) for problem in problems]
    for result in results:
        if result.outcome is AcceptOutcome.ACCEPTED:
            report.accepted += 1
        elif result.outcome is AcceptOutcome.DUPLICATE:
            report.duplicates += 1
        else:
            report.rejected += 1
            report.problems.append(str(result.reason))
    return [kept_id for kept_id in kept if kept_id is not None]


def _request(record: SourceRecord) -> AcceptRequest:
    return AcceptRequest(
        source=record.source,
        body=record.to_body(),
        headers={"x-opsgate-import-location": record.location or ""},
        channel="import",
        content_type="application/json",
    )


def _keep(session: Session, report: ImportReport, problem: RowProblem) -> int | None:
    report.rejected += 1
    if len(report.problems) < _DETAIL_PROBLEMS:
        report.problems.append(problem.reason)
    body = problem.raw.encode("utf-8")
    known = session.exec(
        select(QuarantinedInput.id).where(
            QuarantinedInput.source == report.source,
            QuarantinedInput.channel == "import",
            QuarantinedInput.location == problem.location[:256],
            col(QuarantinedInput.raw_body) == body,
        )
    ).first()
    if known is not None:
        return None
    kept = quarantine(
        session,
        source=report.source,
        channel="import",
        body=body,
        headers={"file": problem.file, "line": str(problem.line)},
        reason=problem.reason,
        location=problem.location,
        category=None,
    )
    return kept.id


def _open_file_incident(engine: Engine, report: ImportReport, kept: list[int]) -> None:
    listed = "\n".join(report.problems[:_DETAIL_PROBLEMS])
    more = report.rejected - min(report.rejected, _DETAIL_PROBLEMS)
    with session_scope(engine) as session:
        incident = open_incident(
            session,
            category=ErrorCategory.VALIDATION,
            title=(
                f"Import of {report.file} from {report.source}: {report.rejected} of "
                f"{report.rows} rows rejected and kept in quarantine."
            )[:512],
            detail=listed + (f"\n... and {more} more." if more else ""),
            fingerprint=f"import:{report.source}:{report.file}"[:128],
            source=report.source,
            blocks="timesheet" if report.source != "roster" else None,
            context={
                "file": report.file,
                "rows": report.rows,
                "rejected": report.rejected,
                "quarantine_ids": kept[:200],
            },
        )
        for start in range(0, len(kept), BATCH_SIZE):
            session.execute(
                update(QuarantinedInput)
                .where(col(QuarantinedInput.id).in_(kept[start : start + BATCH_SIZE]))
                .values(incident_id=incident.id)
            )
    report.incident_id = incident.id


def _open_plausibility_incident(
    engine: Engine, report: ImportReport, days: list[PersonDay]
) -> None:
    listed = "\n".join(
        f"{d.person} on {d.day}: {d.hours.normalize():f} h (lines "
        f"{', '.join(map(str, d.lines))}{', ...' if len(d.lines) >= LISTED_LINES else ''})"
        for d in days[:_DETAIL_PROBLEMS]
    )
    more = len(days) - min(len(days), _DETAIL_PROBLEMS)
    with session_scope(engine) as session:
        incident = open_incident(
            session,
            category=ErrorCategory.DATA_QUALITY,
            title=(
                f"Import of {report.file} from {report.source}: {len(days)} "
                f"person-days add up to more than {MAX_HOURS_PER_DAY} hours "
                f"(most: {days[0].person} on {days[0].day}, "
                f"{days[0].hours.normalize():f} h); the rows were accepted."
            )[:512],
            detail=listed + (f"\n... and {more} more." if more else ""),
            fingerprint=f"import-plausibility:{report.source}:{report.file}"[:128],
            source=report.source,
            blocks="invoice",
            hours_at_risk=sum((d.excess for d in days), Decimal(0)),
            context={"file": report.file, "days": len(days)},
        )
    report.implausible_days = len(days)
    report.plausibility_incident_id = incident.id


def _size(item: SourceRecord | RowProblem) -> int:
    return len(str(item.raw or "").encode("utf-8")) + 1
