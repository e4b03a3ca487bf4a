"""Nightly reconciliation: compare both sides and report drift with counts and value.

Three comparisons, each keyed by the identity both sides share:

- time: the entries the time tool sent (our store) against Odoo's timesheet
  lines with Opsgate external ids — missing in Odoo, hours that differ, and
  lines in Odoo that no source entry explains;
- billing: timesheet hours Odoo holds per sale order line against the hours
  invoiced on that line — invoiced more than worked, or worked and not billed;
- deals: CRM deal amounts against the untaxed amount of the sale order with the
  deal's client reference.

The functions here are pure; `opsgate reconcile` gathers both sides and turns
each non-empty drift group into one incident.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

TOLERANCE_HOURS = Decimal("0.01")
TOLERANCE_MONEY = Decimal("0.5")


class DriftKind(StrEnum):
    """What disagrees between two systems."""

    MISSING_IN_ODOO = "missing_in_odoo"
    HOURS_DIFFER = "hours_differ"
    UNEXPLAINED_IN_ODOO = "unexplained_in_odoo"
    OVER_INVOICED = "over_invoiced"
    UNDER_INVOICED = "under_invoiced"
    AMOUNT_DIFFERS = "amount_differs"
    NO_SALE_ORDER = "no_sale_order"


@dataclass(frozen=True)
class Drift:
    """One disagreement: the key both sides share, both values, and its worth."""

    kind: DriftKind
    key: str
    ours: Decimal | None
    theirs: Decimal | None
    value: Decimal = Decimal(0)
    """Money the disagreement puts at risk."""


@dataclass
class DriftReport:
    """All drift found in one run, grouped by kind."""

    drifts: list[Drift] = field(default_factory=list)

    def by_kind(self) -> dict[DriftKind, list[Drift]]:
        """Drifts grouped by kind, in the enum's order."""
        groups: dict[DriftKind, list[Drift]] = {}
        for drift in self.drifts:
            groups.setdefault(drift.kind, []).append(drift)
        return {kind: groups[kind] for kind in DriftKind if kind in groups}

    @property
    def total_value(self) -> Decimal:
        """Money at risk across every drift."""
        return sum((d.value for d in self.drifts), Decimal(0))


def compare_time(
    source_hours: Mapping[str, Decimal],
    odoo_hours: Mapping[str, Decimal],
    *,
    rate_of: Mapping[str, Decimal],
) -> list[Drift]:
    """Compare hours per external id: the source's against Odoo's."""
    drifts = []
    for key, hours in source_hours.items():
        rate = rate_of.get(key, Decimal(0))
        theirs = odoo_hours.get(key)
        if theirs is None:
            drifts.append(
                Drift(DriftKind.MISSING_IN_ODOO, key, hours, None, hours * rate)
            )
        elif abs(theirs - hours) > TOLERANCE_HOURS:
            drifts.append(
                Drift(
                    DriftKind.HOURS_DIFFER,
                    key,
                    hours,
                    theirs,
                    abs(theirs - hours) * rate,
                )
            )
    for key, theirs in odoo_hours.items():
        if key not in source_hours:
            drifts.append(Drift(DriftKind.UNEXPLAINED_IN_ODOO, key, None, theirs))
    return drifts


def compare_billing(
    worked_hours: Mapping[str, Decimal],
    invoiced_hours: Mapping[str, Decimal],
    *,
    price_of: Mapping[str, Decimal],
) -> list[Drift]:
    """Compare hours worked and hours invoiced per sale order line."""
    drifts = []
    for line in sorted(set(worked_hours) | set(invoiced_hours)):
        worked = worked_hours.get(line, Decimal(0))
        invoiced = invoiced_hours.get(line, Decimal(0))
        gap = invoiced - worked
        price = price_of.get(line, Decimal(0))
        if invoiced > 0 and gap > TOLERANCE_HOURS:
            drifts.append(
                Drift(DriftKind.OVER_INVOICED, line, worked, invoiced, gap * price)
            )
        elif invoiced > 0 and -gap > TOLERANCE_HOURS:
            drifts.append(
                Drift(DriftKind.UNDER_INVOICED, line, worked, invoiced, -gap * price)
            )
    return drifts


def compare_deals(
    crm_amounts: Mapping[str, Decimal], order_amounts: Mapping[str, Decimal]
) -> list[Drift]:
    """Compare won deal amounts with their sale orders, by client reference."""
    drifts = []
    for reference, amount in crm_amounts.items():
        order = order_amounts.get(reference)
        if order is None:
            drifts.append(
                Drift(DriftKind.NO_SALE_ORDER, reference, amount, None, amount)
            )
        elif abs(order - amount) > TOLERANCE_MONEY:
            drifts.append(
                Drift(
                    DriftKind.AMOUNT_DIFFERS,
                    reference,
                    amount,
                    order,
                    abs(order - amount),
                )
            )
    return drifts
