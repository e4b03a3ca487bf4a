"""Draw up a firm's invoices and payments from its time, then inject ledger anomalies."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from opsgate.agent.anomalies.flag import AnomalyKind
from opsgate.evals.billing.firm import AS_OF, YEAR, Firm, Line
from opsgate.evals.billing.injection import Label
from opsgate.rules.canonical import (
    BillingType,
    Invoice,
    InvoiceLine,
    InvoiceState,
    Payment,
)


@dataclass
class Ledger:
    """The firm's invoices and payments, as canonical objects."""

    invoices: list[Invoice] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def draw_invoices(firm: Firm, unbilled: set[str]) -> Ledger:
    """Invoice each month's approved time in arrears, and fixed price per quarter."""
    ledger = Ledger()
    by_month: dict[tuple[str, int], list[Line]] = defaultdict(list)
    for line in firm.lines:
        if line.rate is not None and line.key not in unbilled and line.approved:
            line.invoiced = True
            by_month[(line.project, line.day.month)].append(line)
    for (project, month), lines in sorted(by_month.items()):
        contract = firm.contract_of(project)
        hours = sum(x.hours for x in lines)
        rate = float(contract.hourly_rate or 0)
        issued = date(YEAR + (month == 12), month % 12 + 1, 3)
        ledger.invoices.append(
            _invoice(
                firm,
                len(ledger.invoices),
                contract.customer_name,
                issued,
                contract.currency or "EUR",
                [(project, hours, rate, f"Time {YEAR}-{month:02d}")],
            )
        )
    for fixed in firm.projects:
        contract = firm.contract_of(fixed.code or "")
        if contract.billing_type != BillingType.FIXED_PRICE:
            continue
        for quarter in range(4):
            issued = date(YEAR + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 3)
            ledger.invoices.append(
                _invoice(
                    firm,
                    len(ledger.invoices),
                    contract.customer_name,
                    issued,
                    contract.currency or "EUR",
                    [
                        (
                            fixed.code or "",
                            1.0,
                            float(contract.amount or 0) / 4,
                            f"Milestone {quarter + 1}",
                        )
                    ],
                )
            )
    return ledger


def _invoice(
    firm: Firm,
    number: int,
    customer: str | None,
    issued: date,
    currency: str,
    lines: list[tuple[str, float, float, str]],
) -> Invoice:
    total = sum(q * p for _, q, p, _ in lines)
    return Invoice(
        source="odoo",
        source_key=f"inv-{firm.seed}-{number}",
        number=f"INV/{YEAR}/{firm.seed:02d}{number:04d}",
        customer_name=customer,
        state=InvoiceState.POSTED,
        invoice_date=issued,
        due_date=issued + timedelta(days=30),
        amount_total=_money(total),
        amount_residual=_money(total),
        currency=currency,
        lines=tuple(
            InvoiceLine(
                description=d,
                quantity=Decimal(f"{q:.2f}"),
                unit_price=_money(p),
                project_key=k,
            )
            for k, q, p, d in lines
        ),
    )


def draw_payments(rng: random.Random, firm: Firm, ledger: Ledger) -> None:
    """Pay each invoice issued before the cut-off, in one or two instalments."""
    for invoice in ledger.invoices:
        if (
            invoice.invoice_date is None
            or invoice.invoice_date + timedelta(days=40) > AS_OF
        ):
            continue
        paid_on = invoice.invoice_date + timedelta(days=rng.randint(20, 38))
        total = float(invoice.amount_total)
        parts = (
            [total]
            if rng.random() > 0.2
            else [round(total * 0.6, 2), round(total - round(total * 0.6, 2), 2)]
        )
        for index, part in enumerate(parts):
            ledger.payments.append(
                _payment(
                    firm,
                    len(ledger.payments),
                    part,
                    invoice,
                    paid_on + timedelta(days=7 * index),
                )
            )


def _payment(
    firm: Firm, number: int, amount: float, invoice: Invoice, day: date
) -> Payment:
    return Payment(
        source="odoo",
        source_key=f"pay-{firm.seed}-{number}",
        amount=_money(amount),
        currency=invoice.currency,
        payment_date=day,
        invoice_numbers=(invoice.number,),
        reference=f"BANK-{firm.seed}-{number:05d}",
    )


def _replace_invoice(ledger: Ledger, old: Invoice, new: Invoice) -> None:
    ledger.invoices[ledger.invoices.index(old)] = new


def _tm_invoices(firm: Firm, ledger: Ledger, month: date) -> list[Invoice]:
    label = f"Time {month:%Y-%m}"
    return [
        inv
        for inv in ledger.invoices
        if inv.lines and inv.lines[0].description == label
    ]


def inject_billing_type(
    rng: random.Random, firm: Firm, ledger: Ledger, month: date
) -> Label:
    """Bill a time-and-materials month as a lump sum, or a milestone by the hour."""
    fixed = [
        inv
        for inv in ledger.invoices
        if inv.lines[0].description.startswith("Milestone")
        and inv.invoice_date
        and inv.invoice_date.month == month.month % 12 + 1
    ]
    if fixed and rng.random() < 0.5:
        old = rng.choice(fixed)
        line = old.lines[0]
        hours = Decimal(f"{rng.randint(60, 140)}.00")
        new_line = line.model_copy(
            update={"quantity": hours, "unit_price": Decimal("120.00")}
        )
    else:
        old = rng.choice(_tm_invoices(firm, ledger, month))
        line = old.lines[0]
        new_line = line.model_copy(
            update={
                "quantity": Decimal("1.00"),
                "unit_price": _money(float(old.amount_total)),
            }
        )
    total = new_line.quantity * new_line.unit_price
    _replace_invoice(
        ledger,
        old,
        old.model_copy(
            update={
                "lines": (new_line,),
                "amount_total": total,
                "amount_residual": total,
            }
        ),
    )
    return Label(
        AnomalyKind.BILLING_TYPE_MISMATCH,
        (f"odoo:{old.source_key}",),
        month,
        "wrong basis",
    )


def inject_invoice_mismatch(
    rng: random.Random, firm: Firm, ledger: Ledger, month: date
) -> Label:
    """Bill a month for more or fewer hours than its timesheets hold."""
    old = rng.choice(_tm_invoices(firm, ledger, month))
    line = old.lines[0]
    delta = Decimal(str(rng.choice((4, 8, -6, 12.5, -3))))
    new_line = line.model_copy(update={"quantity": line.quantity + delta})
    total = new_line.quantity * new_line.unit_price
    _replace_invoice(
        ledger,
        old,
        old.model_copy(
            update={
                "lines": (new_line,),
                "amount_total": total,
                "amount_residual": total,
            }
        ),
    )
    return Label(
        AnomalyKind.INVOICE_MISMATCH, (f"odoo:{old.source_key}",), month, f"{delta:+} h"
    )


def inject_unmatched_payment(
    rng: random.Random, firm: Firm, ledger: Ledger, month: date
) -> Label:
    """Register a payment that names an invoice that does not exist."""
    number = len(ledger.payments)
    payment = Payment(
        source="odoo",
        source_key=f"pay-{firm.seed}-{number}",
        amount=_money(rng.uniform(500, 9000)),
        currency="EUR",
        payment_date=month + timedelta(days=12),
        invoice_numbers=(f"INV/{YEAR}/X{rng.randint(100, 999)}",),
        reference=f"BANK-{firm.seed}-{number:05d}",
    )
    ledger.payments.append(payment)
    return Label(
        AnomalyKind.PAYMENT_UNMATCHED,
        (f"odoo:{payment.source_key}",),
        month,
        "no invoice",
    )


def inject_double_payment(
    rng: random.Random, firm: Firm, ledger: Ledger, month: date
) -> Label:
    """Pay an invoice that was already paid in full a second time."""
    counts: dict[str, int] = defaultdict(int)
    numbers = {invoice.number for invoice in ledger.invoices}
    for payment in ledger.payments:
        if payment.invoice_numbers[0] in numbers:
            counts[payment.invoice_numbers[0]] += 1
    singles = [
        p
        for p in ledger.payments
        if counts[p.invoice_numbers[0]] == 1
        and (p.payment_date.year, p.payment_date.month) == (month.year, month.month)
    ]
    first = rng.choice(
        singles or [p for p in ledger.payments if counts[p.invoice_numbers[0]] == 1]
    )
    number = len(ledger.payments)
    again = first.model_copy(
        update={
            "source_key": f"pay-{firm.seed}-{number}",
            "payment_date": first.payment_date + timedelta(days=5),
            "reference": f"BANK-{firm.seed}-{number:05d}",
        }
    )
    ledger.payments.append(again)
    return Label(
        AnomalyKind.PAYMENT_DUPLICATE,
        (f"odoo:{again.source_key}",),
        month,
        "paid twice",
    )


LEDGER_INJECTORS = {
    AnomalyKind.BILLING_TYPE_MISMATCH: inject_billing_type,
    AnomalyKind.INVOICE_MISMATCH: inject_invoice_mismatch,
    AnomalyKind.PAYMENT_UNMATCHED: inject_unmatched_payment,
    AnomalyKind.PAYMENT_DUPLICATE: inject_double_payment,
}
"""Injections into invoices and payments, applied after they are drawn up."""
