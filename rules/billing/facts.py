"""Assemble the billing read model from canonical objects or from the store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import structlog
from pydantic import ValidationError
from sqlmodel import Session, col, select

from opsgate.rules.billing.ledger import (
    InvoiceFact,
    PaymentFact,
    invoice_fact,
    payment_fact,
)
from opsgate.rules.billing.lines import TimesheetLines, build_lines
from opsgate.rules.billing.terms import ProjectTerms, project_key_of, terms_for
from opsgate.rules.canonical import (
    CanonicalObject,
    Contract,
    Invoice,
    Payment,
    Project,
    Timesheet,
)
from opsgate.rules.store.invoicing_tables import InvoicedTime
from opsgate.rules.store.tables import Event

log = structlog.get_logger(__name__)

T = TypeVar("T", bound=CanonicalObject)
Sourced = tuple[T, str | None]
"""A canonical object with the id of the store event it came from, if any."""


@dataclass(frozen=True)
class BillingFacts:
    """Everything the billing checks read, as of one day."""

    as_of: date
    """The day the facts describe; "past the billing cycle" counts from here."""
    lines: TimesheetLines
    terms: dict[str, ProjectTerms]
    """Terms by project key."""
    invoices: list[InvoiceFact] = field(default_factory=list)
    payments: list[PaymentFact] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Events that could not be read as canonical objects, with the reason."""


def build_billing_facts(
    *,
    as_of: date,
    timesheets: Iterable[Sourced[Timesheet]],
    projects: Iterable[Project] = (),
    contracts: Iterable[Contract] = (),
    invoices: Iterable[Sourced[Invoice]] = (),
    payments: Iterable[Sourced[Payment]] = (),
    order_line_rates: dict[str, float] | None = None,
) -> BillingFacts:
    """Return the read model for canonical objects held in memory."""
    by_contract = {contract.source_key: contract for contract in contracts}
    terms: dict[str, ProjectTerms] = {}
    aliases: dict[str, str] = {}
    for project in projects:
        contract = by_contract.get(project.contract_key or "")
        found = terms_for(project, contract)
        rate = (order_line_rates or {}).get(found.project_key)
        if rate is not None:
            found = _with_order_rate(found, rate)
        terms[found.project_key] = found
        aliases[project.name.lower()] = found.project_key
        aliases[project_key_of(project).lower()] = found.project_key
    return BillingFacts(
        as_of=as_of,
        lines=build_lines(timesheets, project_key=aliases),
        terms=terms,
        invoices=[invoice_fact(inv, event_id) for inv, event_id in invoices],
        payments=[payment_fact(pay, event_id) for pay, event_id in payments],
    )


def _with_order_rate(terms: ProjectTerms, rate: float) -> ProjectTerms:
    return ProjectTerms(**{**terms.__dict__, "order_line_rate": rate})


def load_billing_facts(
    session: Session,
    *,
    as_of: date,
    since: date | None = None,
    project: str | None = None,
) -> BillingFacts:
    """Return the read model from the canonical objects in the store's events.

    The latest event per `(source, source_key)` wins, so an update replaces
    the entry it updates. `since` and `project` narrow the timesheet lines
    only; checks still see every term, invoice and payment.
    """
    skipped: list[str] = []
    sheets = _with_odoo_invoicing(session, _latest(session, Timesheet, skipped))
    if since is not None:
        sheets = [pair for pair in sheets if pair[0].work_date >= since]
    if project is not None:
        wanted = project.lower()
        sheets = [
            pair
            for pair in sheets
            if wanted
            in {pair[0].project_name.lower(), (pair[0].project_code or "").lower()}
        ]
    facts = build_billing_facts(
        as_of=as_of,
        timesheets=sheets,
        projects=[obj for obj, _ in _latest(session, Project, skipped)],
        contracts=[obj for obj, _ in _latest(session, Contract, skipped)],
        invoices=_latest(session, Invoice, skipped),
        payments=_latest(session, Payment, skipped),
    )
    facts.skipped.extend(skipped)
    return facts


def _with_odoo_invoicing(
    session: Session, sheets: list[Sourced[Timesheet]]
) -> list[Sourced[Timesheet]]:
    """Mark invoiced the lines Odoo has put on an invoice, whatever the tool said."""
    invoiced = set(session.exec(select(InvoicedTime.external_id)).all())
    if not invoiced:
        return sheets
    return [
        (sheet.model_copy(update={"invoiced": True}), event_id)
        if not sheet.invoiced and sheet.external_id in invoiced
        else (sheet, event_id)
        for sheet, event_id in sheets
    ]


def _latest(session: Session, cls: type[T], skipped: list[str]) -> list[Sourced[T]]:
    rows = session.exec(
        select(Event.id, Event.data)
        .where(col(Event.type).startswith(f"opsgate.{cls.kind}."))
        .where(col(Event.data).is_not(None))
        .order_by(col(Event.accepted_at), col(Event.id))
    ).all()
    latest: dict[tuple[str, str], Sourced[T]] = {}
    for event_id, data in rows:
        try:
            obj = cls.model_validate(data)
        except ValidationError as exc:
            reason = f"Event {event_id!r} is not a valid {cls.kind}: {exc.errors()[0]['msg']}."
            skipped.append(reason)
            log.warning("billing_fact.skipped", event_id=event_id, kind=cls.kind)
            continue
        latest[(obj.source, obj.source_key)] = (obj, event_id)
    return list(latest.values())
