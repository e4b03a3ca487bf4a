"""Invoice checks: billing type, invoices against their timesheets, unbilled time.

An invoice is taken to bill the approved time of the calendar month before its
invoice date (a monthly cycle, invoiced in arrears). A firm that invoices on
another cycle gets mismatches on every invoice; the cycle is not configurable
yet (see issue 7).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from opsgate.agent.anomalies.checks.citing import manager_of, row_citation
from opsgate.agent.anomalies.flag import (
    AnomalyKind,
    Correction,
    CorrectionAction,
    Flag,
    hours_text,
    money_text,
)
from opsgate.agent.anomalies.grouping import (
    group_by_columns,
    month_end_ordinal,
    month_of,
)
from opsgate.agent.anomalies.pricing import contract_rates, row_rates
from opsgate.agent.anomalies.settings import AnomalySettings
from opsgate.rules.billing.facts import BillingFacts
from opsgate.rules.billing.ledger import InvoiceFact, InvoiceLineFact
from opsgate.rules.billing.terms import ProjectTerms
from opsgate.rules.canonical import BillingType, InvoiceState

_NOT_BILLED = (InvoiceState.DRAFT, InvoiceState.CANCELLED)


def check_invoices(facts: BillingFacts, settings: AnomalySettings) -> list[Flag]:
    """Flag invoices billed on the wrong basis or disagreeing with their timesheets."""
    logged = _invoiced_hours_by_project_month(facts)
    flags: list[Flag] = []
    for invoice in facts.invoices:
        if invoice.state in _NOT_BILLED or invoice.invoice_date is None:
            continue
        for project, lines in _lines_by_project(invoice).items():
            terms = facts.terms.get(project)
            if terms is None or terms.billing_type is None:
                continue
            wrong_basis = _wrong_basis(terms, lines)
            if wrong_basis:
                flags.append(_basis_flag(invoice, terms, wrong_basis))
            elif terms.billing_type == BillingType.TIME_AND_MATERIALS:
                period = _previous_month(invoice.invoice_date)
                found = _mismatch_flag(invoice, terms, lines, period, logged, settings)
                if found is not None:
                    flags.append(found)
    return flags


def _lines_by_project(invoice: InvoiceFact) -> dict[str, list[InvoiceLineFact]]:
    grouped: dict[str, list[InvoiceLineFact]] = {}
    for line in invoice.lines:
        if line.project_key:
            grouped.setdefault(line.project_key, []).append(line)
    return grouped


def _wrong_basis(
    terms: ProjectTerms, lines: list[InvoiceLineFact]
) -> list[InvoiceLineFact]:
    if terms.billing_type == BillingType.FIXED_PRICE:
        return [line for line in lines if line.quantity != 1]
    rate = terms.order_line_rate or terms.hourly_rate
    if rate is None:
        return []
    return [line for line in lines if line.quantity == 1 and line.unit_price > 2 * rate]


def _basis_flag(
    invoice: InvoiceFact, terms: ProjectTerms, lines: list[InvoiceLineFact]
) -> Flag:
    amount = sum(line.amount for line in lines)
    if terms.billing_type == BillingType.FIXED_PRICE:
        hours = sum(line.quantity for line in lines)
        what = (
            f"bills fixed-price project {terms.project_key} by the hour: "
            f"{hours_text(hours)} at {money_text(lines[0].unit_price, invoice.currency)}/h"
        )
    else:
        what = (
            f"bills time-and-materials project {terms.project_key} as a lump sum "
            f"of {money_text(amount, invoice.currency)}"
        )
    return Flag(
        kind=AnomalyKind.BILLING_TYPE_MISMATCH,
        title=f"Invoice {invoice.number} {what}.",
        reasons=(what, f"the contract is {terms.billing_type}"),
        first_day=invoice.invoice_date,
        records=(invoice.key,),
        event_ids=(invoice.event_id,) if invoice.event_id else (),
        amount_at_risk=round(amount, 2),
        currency=invoice.currency,
        project=terms.project_key,
        customer=invoice.customer or terms.customer,
        features={"amount": amount, "lines": float(len(lines))},
        correction=Correction(
            action=CorrectionAction.HOLD_INVOICE,
            summary=f"Hold invoice {invoice.number} until its lines follow the contract.",
            params={"invoice_number": invoice.number, "invoice": invoice.key},
        ),
    )


def _mismatch_flag(
    invoice: InvoiceFact,
    terms: ProjectTerms,
    lines: list[InvoiceLineFact],
    period: int,
    logged: dict[tuple[str, int], tuple[float, int]],
    settings: AnomalySettings,
) -> Flag | None:
    billed = sum(line.quantity for line in lines)
    hours, count = logged.get((terms.project_key, period), (0.0, 0))
    if abs(billed - hours) <= settings.hours_tolerance_h:
        return None
    rate = terms.order_line_rate or terms.hourly_rate or lines[0].unit_price
    gap = billed - hours
    month = np.array([period]).astype("datetime64[M]")[0]
    return Flag(
        kind=AnomalyKind.INVOICE_MISMATCH,
        title=(
            f"Invoice {invoice.number} bills {hours_text(billed)} on {terms.project_key} "
            f"for {month}; the timesheets marked invoiced hold {hours_text(hours)}."
        ),
        reasons=(
            f"{hours_text(billed)} invoiced on {len(lines)} line(s)",
            f"{hours_text(hours)} in {count} invoiced timesheet line(s) for {month}",
            f"difference {hours_text(gap)}, {money_text(abs(gap) * rate, invoice.currency)}",
        ),
        first_day=invoice.invoice_date,
        records=(invoice.key,),
        event_ids=(invoice.event_id,) if invoice.event_id else (),
        amount_at_risk=round(abs(gap) * rate, 2),
        hours_at_risk=round(abs(gap), 2),
        currency=invoice.currency,
        project=terms.project_key,
        customer=invoice.customer or terms.customer,
        features={"invoiced_hours": billed, "timesheet_hours": hours},
        correction=Correction(
            action=CorrectionAction.HOLD_INVOICE,
            summary=f"Hold invoice {invoice.number} until it agrees with its timesheets.",
            params={"invoice_number": invoice.number, "invoice": invoice.key},
        ),
    )


def _invoiced_hours_by_project_month(
    facts: BillingFacts,
) -> dict[tuple[str, int], tuple[float, int]]:
    lines = facts.lines
    rows = np.flatnonzero(lines.invoiced & lines.billable)
    if len(rows) == 0:
        return {}
    months = month_of(lines.day[rows])
    groups = group_by_columns(lines.project[rows], months)
    totals = np.bincount(
        groups.of_row, weights=lines.hours[rows], minlength=groups.count
    )
    sizes = groups.size()
    return {
        (lines.projects[int(lines.project[rows[first]])], int(months[first])): (
            float(totals[g]),
            int(sizes[g]),
        )
        for g, first in enumerate(groups.keys)
    }


def _previous_month(day: date) -> int:
    return int(month_of(np.array([day.toordinal()], dtype=np.int64))[0]) - 1


def check_unbilled(facts: BillingFacts, settings: AnomalySettings) -> list[Flag]:
    """Flag approved billable time not invoiced once its month's cycle has passed."""
    lines = facts.lines
    if len(lines) == 0:
        return []
    time_based = (
        np.isfinite(contract_rates(facts))
        & np.array(
            [
                facts.terms[p].billing_type == BillingType.TIME_AND_MATERIALS
                if p in facts.terms
                else False
                for p in lines.projects
            ],
            dtype=np.bool_,
        )
    )[lines.project]
    months = month_of(lines.day)
    due = (
        month_end_ordinal(months) + settings.billing_grace_days
        < facts.as_of.toordinal()
    )
    late = lines.approved & lines.billable & ~lines.invoiced & time_based & due
    rows_all = np.flatnonzero(late)
    if len(rows_all) == 0:
        return []
    groups = group_by_columns(lines.project[rows_all], months[rows_all])
    rates = row_rates(facts)
    flags = []
    for group in range(groups.count):
        rows = rows_all[groups.rows_of(group)]
        flags.append(_unbilled_flag(facts, rows, rates, int(months[rows[0]])))
    return flags


def _unbilled_flag(
    facts: BillingFacts, rows: np.ndarray, rates: np.ndarray, month: int
) -> Flag:
    lines = facts.lines
    cited = row_citation(facts, rows)
    hours = float(lines.hours[rows].sum())
    value = float((lines.hours[rows] * rates[rows]).sum())
    label = np.array([month]).astype("datetime64[M]")[0]
    people = len({int(c) for c in lines.consultant[rows]})
    return Flag(
        kind=AnomalyKind.UNBILLED_TIME,
        title=(
            f"{hours_text(hours)} of approved time on {cited['project']} for {label} "
            f"({money_text(value, cited['currency'])}) is not invoiced, past the billing cycle."
        ),
        reasons=(
            f"{len(rows)} approved line(s) by {people} consultant(s) not invoiced",
            f"worth {money_text(value, cited['currency'])}",
        ),
        amount_at_risk=round(value, 2),
        hours_at_risk=round(hours, 2),
        features={"hours": hours, "value": value},
        correction=Correction(
            action=CorrectionAction.ASK_PROJECT_MANAGER,
            summary=f"Ask the manager of {cited['project']} to invoice {label}'s approved time.",
            params={
                "manager": manager_of(facts, cited["project"]),
                "month": str(label),
            },
        ),
        **{**cited, "consultant": None if people > 1 else cited["consultant"]},
    )
