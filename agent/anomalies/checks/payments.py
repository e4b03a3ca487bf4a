"""Payment checks: payments that match no invoice, or pay one more than once."""

from __future__ import annotations

from opsgate.agent.anomalies.flag import (
    AnomalyKind,
    Correction,
    CorrectionAction,
    Flag,
    money_text,
)
from opsgate.agent.anomalies.settings import AnomalySettings
from opsgate.rules.billing.facts import BillingFacts
from opsgate.rules.billing.ledger import PaymentFact


def check_payments(facts: BillingFacts, settings: AnomalySettings) -> list[Flag]:
    """Flag unmatched payments, and payments past an invoice's total."""
    totals = {invoice.number: invoice for invoice in facts.invoices}
    flags = [
        _unmatched_flag(payment)
        for payment in facts.payments
        if not any(number in totals for number in payment.invoice_numbers)
    ]
    paid: dict[str, float] = {}
    for payment in sorted(facts.payments, key=lambda p: (p.payment_date, p.key)):
        matched = [n for n in payment.invoice_numbers if n in totals]
        if len(matched) != 1:
            continue
        invoice = totals[matched[0]]
        before = paid.get(invoice.number, 0.0)
        paid[invoice.number] = before + payment.amount
        if before > 0 and paid[invoice.number] > invoice.amount_total + 0.01:
            excess = paid[invoice.number] - invoice.amount_total
            flags.append(
                _twice_flag(
                    payment, invoice.number, invoice.amount_total, before, excess
                )
            )
    return flags


def _unmatched_flag(payment: PaymentFact) -> Flag:
    named = ", ".join(payment.invoice_numbers) or "no invoice"
    return Flag(
        kind=AnomalyKind.PAYMENT_UNMATCHED,
        title=(
            f"Payment {payment.reference or payment.key} of "
            f"{money_text(payment.amount, payment.currency)} on "
            f"{payment.payment_date.isoformat()} names {named}, which matches no invoice."
        ),
        reasons=(f"references {named}", "no invoice in the store carries that number"),
        first_day=payment.payment_date,
        records=(payment.key,),
        event_ids=(payment.event_id,) if payment.event_id else (),
        amount_at_risk=round(payment.amount, 2),
        currency=payment.currency,
        customer=payment.customer,
        features={"amount": payment.amount},
        correction=Correction(
            action=CorrectionAction.ASK_PROJECT_MANAGER,
            summary=(
                "Ask accounts which invoice payment "
                f"{payment.reference or payment.key} settles."
            ),
            params={"payment": payment.key},
        ),
    )


def _twice_flag(
    payment: PaymentFact, number: str, total: float, before: float, excess: float
) -> Flag:
    return Flag(
        kind=AnomalyKind.PAYMENT_DUPLICATE,
        title=(
            f"Payment {payment.reference or payment.key} of "
            f"{money_text(payment.amount, payment.currency)} pays invoice {number} again: "
            f"{money_text(before, payment.currency)} was already paid of "
            f"{money_text(total, payment.currency)}."
        ),
        reasons=(
            f"invoice {number} totals {money_text(total, payment.currency)}",
            f"already paid {money_text(before, payment.currency)} before this payment",
            f"overpaid by {money_text(excess, payment.currency)}",
        ),
        first_day=payment.payment_date,
        records=(payment.key,),
        event_ids=(payment.event_id,) if payment.event_id else (),
        amount_at_risk=round(excess, 2),
        currency=payment.currency,
        customer=payment.customer,
        features={
            "amount": payment.amount,
            "invoice_total": total,
            "paid_before": before,
        },
        correction=Correction(
            action=CorrectionAction.ASK_PROJECT_MANAGER,
            summary=(
                "Ask accounts to refund or reallocate "
                f"{money_text(excess, payment.currency)} on {number}."
            ),
            params={"payment": payment.key, "invoice_number": number},
        ),
    )
