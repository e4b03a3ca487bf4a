"""What each timesheet row is worth: its rate and currency, from the line or the contract."""

from __future__ import annotations

import numpy as np

from opsgate.rules.billing.facts import BillingFacts
from opsgate.rules.billing.lines import FloatArray


def contract_rates(facts: BillingFacts) -> FloatArray:
    """Return the contracted hourly rate per project code (NaN when unknown)."""
    rates = np.full(len(facts.lines.projects), np.nan)
    for code, key in enumerate(facts.lines.projects):
        terms = facts.terms.get(key)
        if terms is not None:
            expected = terms.order_line_rate or terms.hourly_rate
            rates[code] = expected if expected is not None else np.nan
    return rates


def row_rates(facts: BillingFacts) -> FloatArray:
    """Return each row's rate: the exported one, else the contract's, else 0."""
    lines = facts.lines
    rates = np.where(
        np.isfinite(lines.rate), lines.rate, contract_rates(facts)[lines.project]
    )
    return np.nan_to_num(rates, nan=0.0)


def row_currency(facts: BillingFacts, row: int) -> str | None:
    """Return the currency of `row`: the line's own, else the contract's."""
    lines = facts.lines
    own = lines.currencies[int(lines.currency[row])] if len(lines.currencies) else ""
    if own:
        return own
    terms = facts.terms.get(lines.projects[int(lines.project[row])])
    return terms.currency if terms is not None else None
