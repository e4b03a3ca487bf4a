"""Time arriving by Toggl and Clockify webhooks, keyed as their CSV exports are.

A webhook names an entry by the tool's ids; the `toggl` or `clockify`
delivery it is routed to (`read:time_entry`) completes the entry over the
tool's API (person's e-mail, project, client and task names), then accepts
it as a `time_entry.read` record that the catalog maps to a `Timesheet`
exactly as it maps a CSV row.

The shared key. Neither tool's CSV export carries an entry id, so an entry
is identified by what both channels know: the tool, the person (e-mail,
else user name), the instant it started (to the second) and the work
(project, task, description)
(`opsgate.connectors.timesheet_export.entry_key.tracked_identity`). The
first time an entry id is seen its key is that identity's digest with the
first free counter (`-1`, or `-2` when another entry says exactly the same),
and the pair is remembered as the value mapping `<tool>.entry`: later
webhooks for the id (edits, approval, deletion) reuse the key even if the
entry was edited. So an entry sent by webhook and then exported and
imported is one Odoo line, never two, as long as it was not edited between
the webhook and the export.

Approval. Toggl records none (`approved` unknown, so the time goes to Odoo,
as from its CSV). Clockify carries `approvalStatus` where the workspace
approves timesheets; with `[clockify] approval_required` an entry without one
counts as not approved. An approval request reaching APPROVED is routed to
`read:approved_period`, which reads the person's entries for the period and
accepts each as approved.

Deletion. An entry deleted in the tool after its time reached Opsgate opens
a `conflict` incident naming the entry, its hours and value, and its Odoo
line; nothing is deleted in Odoo without a person (invoiced time may stand
on it). An entry deleted before Opsgate ever read it leaves nothing behind.

Known limits, plainly: two deliveries for different entries of one person
with the same start second, read at the same moment, can take the same
counter; a CSV imported with a `--timezone` other than the tool's profile
zone gives keys that differ from the webhook's; the approved period is read
from midnight UTC of its first day to midnight UTC after its last.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.timesheet_export.entry_key import (
    entry_key_base,
    event_id,
    tracked_identity,
)
from opsgate.connectors.timesheet_export.timed_entry import timed_state
from opsgate.rules.canonical import TimeApproval, Timesheet, TrackedEntry
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.delivery.targets import DeliveryCommand
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.mapping_tables import ValueMapping
from opsgate.rules.store.tables import Event
from opsgate.rules.workflows.enrichment import accept_read_back

log = structlog.get_logger(__name__)

READ_EVENT_TYPE = "time_entry.read"
"""The event type of an entry read back; the catalog maps it as a CSV row."""


class EntryDirectory(Protocol):
    """What a time tracker's API client offers the target."""

    async def complete(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Fill the entry's person e-mail and names from the tool's ids."""
        ...


@runtime_checkable
class PeriodReader(EntryDirectory, Protocol):
    """A tracker whose approvals cover a period (Clockify)."""

    async def period_entries(
        self, workspace_id: str, user_id: str, first: date, last: date
    ) -> list[dict[str, Any]]:
        """Return the person's entries in the period, as webhook fields."""
        ...


class TimeTrackerTarget:
    """Deliveries to Toggl or Clockify: read entries and periods, note deletions."""

    def __init__(
        self,
        *,
        name: str,
        directory: EntryDirectory,
        engine: Engine,
        catalog: Catalog,
        timezone: str = "UTC",
        approval_required: bool = False,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.name = name
        self._directory = directory
        self._engine = engine
        self._catalog = catalog
        self._zone = ZoneInfo(timezone)
        self._approval_required = approval_required
        self._now = now

    async def deliver(self, command: DeliveryCommand) -> None:
        """Run `read:time_entry`, `read:approved_period` or `withdraw:time_entry`."""
        if command.operation == "read:time_entry":
            entry = TrackedEntry.model_validate(_object(command))
            await self._read(entry, command, approved=entry.approved)
        elif command.operation == "read:approved_period":
            await self._read_period(
                TimeApproval.model_validate(_object(command)), command
            )
        elif command.operation == "withdraw:time_entry":
            await self._withdrawn(
                TrackedEntry.model_validate(_object(command)), command
            )
        else:
            raise self._refusal(
                command,
                f"The {self.name} target has no operation {command.operation!r}.",
            )

    async def _read(
        self, entry: TrackedEntry, command: DeliveryCommand, *, approved: bool | None
    ) -> None:
        fields = await self._directory.complete(entry.model_dump(mode="json"))
        person = fields.get("user_email") or fields.get("user_name")
        if not person:
            raise self._refusal(
                command,
                f"{self._tool} entry {entry.source_key} names no person Opsgate can "
                "match: the user has neither an e-mail nor a name in the tool.",
                ErrorCategory.MISSING_REFERENCE,
            )
        if not fields.get("project_name"):
            raise self._refusal(
                command,
                f"{self._tool} entry {entry.source_key} ({entry.started_at:%Y-%m-%d}, "
                f"{person}) has no project; time-to-billing needs one. Set the "
                "project in the tool; the next webhook for the entry carries it.",
            )
        if entry.hours is None or entry.ended_at is None:
            raise self._refusal(
                command, f"{self._tool} entry {entry.source_key} has not stopped."
            )
        identity = tracked_identity(
            str(person),
            entry.started_at,
            project=fields["project_name"],
            task=fields.get("task_name"),
            description=entry.description,
        )
        key = await asyncio.to_thread(self._entry_key, entry.source_key, identity)
        if approved is None and self._approval_required:
            approved = False
        record = self._record(entry, fields, key, approved, command)
        await accept_read_back(self._engine, self._catalog, record, command)

    def _record(
        self,
        entry: TrackedEntry,
        fields: dict[str, Any],
        key: str,
        approved: bool | None,
        command: DeliveryCommand,
    ) -> SourceRecord:
        started = entry.started_at.astimezone(UTC)
        ended = entry.ended_at.astimezone(UTC) if entry.ended_at else None
        plain = {
            "entry_key": key,
            "entry_id": entry.source_key,
            "work_date": entry.started_at.astimezone(self._zone).date().isoformat(),
            "hours": str(entry.hours),
            "project_name": fields["project_name"],
            "started_at": started.isoformat(),
            "ended_at": ended.isoformat() if ended else None,
            "consultant_email": fields.get("user_email"),
            "consultant_name": fields.get("user_name"),
            "customer_name": fields.get("customer_name"),
            "task_name": fields.get("task_name"),
            "description": entry.description,
            "billable": entry.billable,
            "approved": approved,
            "hourly_rate": None
            if entry.hourly_rate is None
            else str(entry.hourly_rate),
            "currency": entry.currency,
            "tags": list(entry.tags),
        }
        state = timed_state(
            approved=approved,
            invoiced=None,
            billable=entry.billable,
            hourly_rate=entry.hourly_rate,
            billable_amount=None,
            cost_rate=None,
            ended_at=ended,
            hours=entry.hours or Decimal(0),
            customer=fields.get("customer_name"),
            project=fields["project_name"],
            task=fields.get("task_name"),
            description=entry.description,
        )
        return SourceRecord(
            source=self.name,
            source_event_id=event_id(key, state),
            event_type=READ_EVENT_TYPE,
            object_type="time_entry",
            object_id=key,
            occurred_at=self._now(),
            fields=plain,
            # The tool's user id is not an HR key (`consultant_key`): numeric
            # ids of two systems could collide and name the wrong person.
            meta={
                "caused_by": command.event_id,
                "entry_id": entry.source_key,
                "tool_user_id": entry.user_id,
            },
        )

    async def _read_period(
        self, approval: TimeApproval, command: DeliveryCommand
    ) -> None:
        reader = self._directory
        if not isinstance(reader, PeriodReader):
            raise self._refusal(
                command, f"{self._tool} approvals are not read: its API has no periods."
            )
        entries = await reader.period_entries(
            approval.workspace_id,
            approval.user_id,
            approval.period_start,
            approval.period_end,
        )
        for fields in entries:
            if fields.get("action") == "running":
                continue
            entry = TrackedEntry.model_validate(
                {
                    **{
                        k: v
                        for k, v in fields.items()
                        if k in TrackedEntry.model_fields
                    },
                    "source": self.name,
                    "source_key": fields["entry_id"],
                }
            )
            await self._read(entry, command, approved=True)
        log.info(
            "tracked_time.period_read",
            tool=self.name,
            user_id=approval.user_id,
            entries=len(entries),
        )

    async def _withdrawn(self, entry: TrackedEntry, command: DeliveryCommand) -> None:
        await asyncio.to_thread(self._note_withdrawal, entry, command)

    def _note_withdrawal(self, entry: TrackedEntry, command: DeliveryCommand) -> None:
        namespace = f"{self.name}.entry"
        with session_scope(self._engine) as session:
            key = session.exec(
                select(ValueMapping.target_value).where(
                    ValueMapping.namespace == namespace,
                    ValueMapping.source_value == entry.source_key,
                )
            ).first()
            sheet = None if key is None else _latest_timesheet(session, self.name, key)
            if sheet is None:
                log.info(
                    "tracked_time.deleted_unseen",
                    tool=self.name,
                    entry=entry.source_key,
                )
                return
            amount = (
                None
                if sheet.hourly_rate is None
                else (sheet.hours * sheet.hourly_rate).quantize(Decimal("0.01"))
            )
            person = sheet.consultant_email or sheet.consultant_name
            open_incident(
                session,
                category=ErrorCategory.CONFLICT,
                title=(
                    f"{self._tool} time entry deleted after it reached Opsgate: "
                    f"{sheet.hours} h on {sheet.project_name} ({sheet.work_date})"
                ),
                detail=(
                    f"{self._tool} entry {entry.source_key} ({person}) was deleted in "
                    "the tool. Its Odoo "
                    f"timesheet line {sheet.external_id} still stands; remove it in "
                    "Odoo if the time should not be billed, or restore the entry."
                ),
                fingerprint=f"{self.name}.entry-deleted:{key}",
                workflow="time-to-billing",
                source=self.name,
                target="odoo",
                event_id=command.event_id,
                delivery_id=command.delivery_id,
                blocks="invoice" if sheet.billable else "timesheet",
                customer=sheet.customer_name,
                project=sheet.project_name,
                hours_at_risk=sheet.hours,
                amount_at_risk=amount,
                currency=sheet.currency,
                context={"entry_key": key, "odoo_external_id": sheet.external_id},
            )

    def _entry_key(self, entry_id: str, identity: tuple[str, ...]) -> str:
        """The entry's key: remembered for its id, else the first free counter."""
        namespace = f"{self.name}.entry"
        for _ in range(3):
            try:
                with session_scope(self._engine) as session:
                    known = session.exec(
                        select(ValueMapping.target_value).where(
                            ValueMapping.namespace == namespace,
                            ValueMapping.source_value == entry_id,
                        )
                    ).first()
                    if known is not None:
                        return known
                    base = entry_key_base(self.name, identity)
                    taken = set(
                        session.exec(
                            select(ValueMapping.target_value).where(
                                ValueMapping.namespace == namespace,
                                col(ValueMapping.target_value).startswith(f"{base}-"),
                            )
                        ).all()
                    )
                    counter = 1
                    while f"{base}-{counter}" in taken:
                        counter += 1
                    key = f"{base}-{counter}"
                    session.add(
                        ValueMapping(
                            namespace=namespace,
                            source_value=entry_id,
                            target_value=key,
                            created_by="engine",
                        )
                    )
                return key
            except IntegrityError:
                # Another delivery for the same entry id remembered it first.
                continue
        raise RuntimeError(
            f"Could not remember the key of {self.name} entry {entry_id}."
        )

    @property
    def _tool(self) -> str:
        return {"toggl": "Toggl", "clockify": "Clockify"}.get(self.name, self.name)

    def _refusal(
        self,
        command: DeliveryCommand,
        message: str,
        category: ErrorCategory = ErrorCategory.VALIDATION,
    ) -> ConnectorError:
        return ConnectorError(
            message,
            category=category,
            retryable=False,
            target=self.name,
            operation=command.operation,
        )


def _latest_timesheet(session: Any, source: str, key: str) -> Timesheet | None:
    data = session.exec(
        select(Event.data)
        .where(
            Event.source == source,
            col(Event.type).startswith("opsgate.timesheet."),
            col(Event.data)["source_key"].as_string() == key,
        )
        .order_by(col(Event.accepted_at).desc(), col(Event.id).desc())
    ).first()
    return None if data is None else Timesheet.model_validate(data)


def _object(command: DeliveryCommand) -> dict[str, Any]:
    data = (command.payload or {}).get("object")
    if not isinstance(data, dict) or "source_key" not in data:
        raise ConnectorError(
            f"Delivery {command.delivery_id} carries no entry to read.",
            category=ErrorCategory.MAPPING,
            retryable=False,
            target=command.target,
            operation=command.operation,
        )
    return data
