"""Pull posted invoices and registered payments from Odoo (contract-to-cash).

Each pull reads what changed since the stored cursor (by `write_date`, see
`opsgate.connectors.odoo.cursor`), accepts every invoice and payment as an
event of source `odoo` (the catalog routes them to the CRM's account status),
and opens an account-control incident for each invoice past its due date.
It also reads the timesheet lines Odoo has invoiced (`timesheet_invoice_id`
set) and records those Opsgate sent (by their `opsgate.*` external id) in
`invoiced_time`, so unbilled time stops counting them. The cursors are saved
only after the events are committed: a crash repeats part of a pull, and the
event ids make the repetition a no-op.

Known limit: a line whose invoice is reset or credited keeps its record
here; the domain reads invoiced lines only, so it never sees the line freed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Any

import structlog
from sqlalchemy import Engine
from sqlmodel import Session

from opsgate.connectors.errors import ErrorCategory
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.odoo.client import OdooClient
from opsgate.connectors.odoo.cursor import CursorPosition
from opsgate.connectors.odoo.many2one import many2one_id
from opsgate.rules.accept.accept import AcceptOutcome, AcceptRequest, accept_many
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.invoicing_tables import InvoicedTime
from opsgate.rules.store.tables import Cursor, utcnow
from opsgate.rules.workflows.contract_to_cash import (
    INVOICE_DOMAIN,
    INVOICE_FIELDS,
    PAYMENT_DOMAIN,
    PAYMENT_FIELDS,
    invoice_from_odoo,
    is_overdue,
    payment_from_odoo,
)
from opsgate.rules.workflows.references import load_references

log = structlog.get_logger(__name__)

JSON_TYPE = "application/json"


INVOICED_TIME_FIELDS = ("id", "timesheet_invoice_id", "write_date")
INVOICED_TIME_DOMAIN: list[Any] = [("timesheet_invoice_id", "!=", False)]
EXTERNAL_ID_CHUNK = 500
"""Analytic line ids per `ir.model.data` read."""


@dataclass(frozen=True)
class PullReport:
    """What one contract-to-cash pull found."""

    invoices: int
    payments: int
    accepted: int
    overdue_incidents: int
    invoiced_lines: int = 0
    """Opsgate timesheet lines newly seen on an Odoo invoice."""


async def pull_contract_to_cash(
    odoo: OdooClient,
    engine: Engine,
    catalog: Catalog,
    *,
    today: date,
    grace_days: int = 0,
    settle_s: float = 1.0,
) -> PullReport:
    """Pull invoice and payment changes, accept them, flag overdue invoices."""
    partners = await asyncio.to_thread(_partner_keys, engine)
    invoices, invoice_position = await _changes(
        odoo, engine, "account.move", INVOICE_FIELDS, INVOICE_DOMAIN, settle_s
    )
    payments, payment_position = await _changes(
        odoo, engine, "account.payment", PAYMENT_FIELDS, PAYMENT_DOMAIN, settle_s
    )
    lines, line_position = await _changes(
        odoo,
        engine,
        "account.analytic.line",
        INVOICED_TIME_FIELDS,
        INVOICED_TIME_DOMAIN,
        settle_s,
    )
    invoiced = await _invoiced_time(odoo, lines)
    numbers = {record["id"]: record.get("name") for record in invoices}
    records = [_invoice_record(r, partners) for r in invoices]
    records += [_payment_record(r, partners, numbers) for r in payments]

    def commit() -> tuple[int, int]:
        with session_scope(engine) as session:
            results = accept_many(
                session,
                catalog,
                [
                    AcceptRequest(
                        "odoo",
                        r.to_body(),
                        channel="pull",
                        content_type="application/json",
                    )
                    for r in records
                ],
            )
            overdue = _flag_overdue(
                session, invoices, partners, results, today, grace_days
            )
            _remember_invoiced(session, invoiced)
            _save(session, "odoo:account.move", invoice_position)
            _save(session, "odoo:account.payment", payment_position)
            _save(session, "odoo:account.analytic.line", line_position)
        accepted = sum(r.outcome is AcceptOutcome.ACCEPTED for r in results)
        return accepted, overdue

    accepted, overdue = await asyncio.to_thread(commit)
    report = PullReport(len(invoices), len(payments), accepted, overdue, len(invoiced))
    log.info("billing.pulled", **report.__dict__)
    return report


async def _changes(
    odoo: OdooClient,
    engine: Engine,
    model: str,
    fields: tuple[str, ...],
    domain: list[Any],
    settle_s: float,
) -> tuple[list[dict[str, Any]], CursorPosition]:
    position = await asyncio.to_thread(_load, engine, f"odoo:{model}")
    cursor = odoo.changes(
        model, fields=fields, domain=domain, position=position, settle_s=settle_s
    )
    records = [record async for record in cursor]
    return records, cursor.position


async def _invoiced_time(
    odoo: OdooClient, lines: list[dict[str, Any]]
) -> list[InvoicedTime]:
    """The invoiced lines Opsgate wrote, found by their `opsgate` external ids."""
    invoice_of = {
        line["id"]: many2one_id(line.get("timesheet_invoice_id")) for line in lines
    }
    found: list[InvoicedTime] = []
    ids = sorted(invoice_of)
    for start in range(0, len(ids), EXTERNAL_ID_CHUNK):
        chunk = ids[start : start + EXTERNAL_ID_CHUNK]
        names = await odoo.search_read(
            "ir.model.data",
            [
                ("model", "=", "account.analytic.line"),
                ("module", "=", "opsgate"),
                ("res_id", "in", chunk),
            ],
            fields=["name", "res_id"],
        )
        found.extend(
            InvoicedTime(
                external_id=f"opsgate.{row['name']}",
                odoo_line_id=int(row["res_id"]),
                invoice_id=int(invoice_of[row["res_id"]] or 0),
            )
            for row in names
            if invoice_of.get(row["res_id"])
        )
    return found


def _remember_invoiced(session: Session, rows: list[InvoicedTime]) -> None:
    for row in rows:
        known = session.get(InvoicedTime, row.external_id)
        if known is None:
            session.add(row)
        else:
            known.invoice_id, known.odoo_line_id = row.invoice_id, row.odoo_line_id
            session.add(known)


def _invoice_record(record: dict[str, Any], partners: dict[int, str]) -> SourceRecord:
    invoice = invoice_from_odoo(
        record, customer_key=_customer_key(partners, record["partner_id"])
    )
    return _record(
        "invoice.changed", "account.move", record, invoice.model_dump(mode="json")
    )


def _payment_record(
    record: dict[str, Any], partners: dict[int, str], numbers: dict[int, Any]
) -> SourceRecord:
    payment = payment_from_odoo(
        record,
        customer_key=_customer_key(partners, record.get("partner_id")),
        invoice_numbers=[
            str(numbers.get(i, i)) for i in record.get("invoice_ids") or []
        ],
    )
    return _record(
        "payment.changed", "account.payment", record, payment.model_dump(mode="json")
    )


def _customer_key(partners: dict[int, str], partner: Any) -> str | None:
    """The CRM key of an Odoo partner many-to-one value, when Opsgate made it."""
    partner_id = many2one_id(partner)
    return None if partner_id is None else partners.get(partner_id)


def _record(
    event_type: str, model: str, record: dict[str, Any], fields: dict[str, Any]
) -> SourceRecord:
    return SourceRecord(
        source="odoo",
        source_event_id=f"{model}:{record['id']}:{record.get('write_date')}",
        event_type=event_type,
        object_type=model,
        object_id=str(record["id"]),
        occurred_at=utcnow(),
        fields=fields,
    )


def _flag_overdue(
    session: Session,
    invoices: list[dict[str, Any]],
    partners: dict[int, str],
    results: list[Any],
    today: date,
    grace_days: int,
) -> int:
    flagged = 0
    for record, result in zip(invoices, results, strict=False):
        invoice = invoice_from_odoo(
            record, customer_key=_customer_key(partners, record["partner_id"])
        )
        if not is_overdue(invoice, today=today, grace_days=grace_days):
            continue
        days = (today - invoice.due_date).days if invoice.due_date else 0
        open_incident(
            session,
            category=ErrorCategory.DATA_QUALITY,
            title=(
                f"Invoice {invoice.number} of {invoice.customer_name!r} is {days} days "
                f"overdue: {invoice.amount_residual} {invoice.currency} unpaid."
            ),
            fingerprint=f"control:invoice_overdue:{invoice.number}"[:128],
            workflow="contract-to-cash",
            control="invoice_overdue",
            source="odoo",
            event_id=result.event_id,
            blocks="payment_status",
            customer=invoice.customer_name,
            amount_at_risk=invoice.amount_residual,
            currency=invoice.currency,
            due_date=invoice.due_date,
        )
        flagged += 1
    return flagged


def _partner_keys(engine: Engine) -> dict[int, str]:
    with session_scope(engine) as session:
        references = load_references(session, "odoo", ("partner",))
    return {remote_id: key for (_, key), remote_id in references.items()}


def _load(engine: Engine, name: str) -> CursorPosition:
    with session_scope(engine) as session:
        row = session.get(Cursor, name)
        value = row.value if row is not None and row.value else {}
    return CursorPosition(
        write_date=value.get("write_date"),
        ids_at_write_date=frozenset(value.get("ids_at_write_date", [])),
    )


def _save(session: Session, name: str, position: CursorPosition) -> None:
    row = session.get(Cursor, name) or Cursor(name=name)
    row.value = {
        "write_date": position.write_date,
        "ids_at_write_date": sorted(position.ids_at_write_date),
    }
    row.updated_at = utcnow()
    session.add(row)
