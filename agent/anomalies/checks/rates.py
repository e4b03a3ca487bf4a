"""Rate checks: a line's rate that disagrees with the contract or the order line."""

from __future__ import annotations

import numpy as np

from opsgate.agent.anomalies.checks.citing import row_citation
from opsgate.agent.anomalies.flag import (
    AnomalyKind,
    Correction,
    CorrectionAction,
    Flag,
    hours_text,
    money_text,
)
from opsgate.agent.anomalies.grouping import group_by_columns, month_of
from opsgate.agent.anomalies.pricing import contract_rates
from opsgate.agent.anomalies.settings import AnomalySettings
from opsgate.rules.billing.facts import BillingFacts
from opsgate.rules.canonical import BillingType


def check_rates(facts: BillingFacts, settings: AnomalySettings) -> list[Flag]:
    """Flag time-and-materials lines whose exported rate is off the contracted one.

    Lines in another currency than the contract's are not compared: Opsgate
    holds no exchange rates, so such a line is neither flagged nor passed.
    """
    lines = facts.lines
    if len(lines) == 0:
        return []
    expected = contract_rates(facts)[lines.project]
    same_currency = _same_currency(facts)
    time_based = _time_based(facts)[lines.project]
    off = (
        np.isfinite(lines.rate)
        & np.isfinite(expected)
        & same_currency
        & time_based
        & (np.abs(lines.rate - expected) > settings.rate_tolerance * np.abs(expected))
    )
    if not off.any():
        return []
    rows_all = np.flatnonzero(off)
    month = month_of(lines.day[rows_all])
    groups = group_by_columns(
        lines.project[rows_all],
        lines.consultant[rows_all],
        month,
        np.round(lines.rate[rows_all] * 100).astype(np.int64),
    )
    return [
        _rate_flag(facts, rows_all[groups.rows_of(g)], expected)
        for g in range(groups.count)
    ]


def _rate_flag(facts: BillingFacts, rows: np.ndarray, expected: np.ndarray) -> Flag:
    lines = facts.lines
    cited = row_citation(facts, rows)
    rate, contract = float(lines.rate[rows[0]]), float(expected[rows[0]])
    hours = float(lines.hours[rows].sum())
    currency = cited["currency"]
    first = lines.date_of(int(rows[0]))
    gap = (rate - contract) * hours
    return Flag(
        kind=AnomalyKind.RATE_MISMATCH,
        title=(
            f"{cited['consultant']} billed {hours_text(hours)} on {cited['project']} in "
            f"{first:%Y-%m} at {money_text(rate, currency)}/h; the contract says "
            f"{money_text(contract, currency)}/h."
        ),
        reasons=(
            f"rate {money_text(rate, currency)}/h on {len(rows)} line(s)",
            f"contracted rate {money_text(contract, currency)}/h",
            f"difference {money_text(gap, currency)} over {hours_text(hours)}",
        ),
        amount_at_risk=round(abs(gap), 2),
        hours_at_risk=round(hours, 2),
        features={"rate": rate, "contract_rate": contract, "hours": hours},
        correction=Correction(
            action=CorrectionAction.ADJUST_LINE,
            summary=(
                f"Set the rate of {len(rows)} line(s) to the contracted "
                f"{money_text(contract, currency)}/h."
            ),
            params={
                "event_ids": list(cited["event_ids"]),
                "lines": list(cited["records"]),
                "patch": {"hourly_rate": f"{contract:.2f}"},
            },
        ),
        **cited,
    )


def _same_currency(facts: BillingFacts) -> np.ndarray:
    lines = facts.lines
    contract_currency = [
        (facts.terms[p].currency if p in facts.terms else None) or ""
        for p in lines.projects
    ]
    same = np.ones(len(lines), dtype=np.bool_)
    for code, name in enumerate(lines.currencies):
        if not name:
            continue
        mismatched = np.array(
            [c not in ("", name) for c in contract_currency], dtype=np.bool_
        )
        same &= ~((lines.currency == code) & mismatched[lines.project])
    return same


def _time_based(facts: BillingFacts) -> np.ndarray:
    return np.array(
        [
            p in facts.terms and facts.terms[p].billing_type != BillingType.FIXED_PRICE
            for p in facts.lines.projects
        ],
        dtype=np.bool_,
    )
