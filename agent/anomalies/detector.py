"""Run every check and the model over the billing facts, one flag per finding."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import structlog

from opsgate.agent.anomalies.checks.duplicates import check_duplicates
from opsgate.agent.anomalies.checks.hours import (
    check_consultant_days,
    check_project_weeks,
    check_weekend_time,
)
from opsgate.agent.anomalies.checks.invoices import check_invoices, check_unbilled
from opsgate.agent.anomalies.checks.payments import check_payments
from opsgate.agent.anomalies.checks.rates import check_rates
from opsgate.agent.anomalies.flag import Flag
from opsgate.agent.anomalies.model import check_unusual_days
from opsgate.agent.anomalies.settings import AnomalySettings
from opsgate.rules.billing.facts import BillingFacts
from opsgate.rules.billing.lines import BoolArray

log = structlog.get_logger(__name__)

Check = Callable[[BillingFacts, AnomalySettings], list[Flag]]

CHECKS: tuple[Check, ...] = (
    check_weekend_time,
    check_rates,
    check_invoices,
    check_unbilled,
    check_payments,
)
"""The plain checks, in the order their flags are listed."""


def detect(
    facts: BillingFacts,
    settings: AnomalySettings | None = None,
    *,
    dismissed: Iterable[str] = (),
) -> list[Flag]:
    """Return the flags over `facts`, without those whose fingerprint was dismissed."""
    settings = settings or AnomalySettings()
    row_of = {key: row for row, key in enumerate(facts.lines.keys)}
    duplicates = check_duplicates(facts, settings)
    exclude = _rows_mask(facts, row_of, _later_duplicates(duplicates))
    day_flags = check_consultant_days(facts, settings, exclude=exclude)
    exclude |= _rows_mask(facts, row_of, [r for f in day_flags for r in f.records])
    flags = [*day_flags, *check_project_weeks(facts, settings, exclude=exclude)]
    flags.extend(duplicates)
    for check in CHECKS:
        flags.extend(check(facts, settings))
    covered = {row_of[r] for flag in flags for r in flag.records if r in row_of}
    flags.extend(check_unusual_days(facts, settings, skip_rows=covered))
    skip = set(dismissed)
    kept = [flag for flag in flags if flag.fingerprint not in skip]
    log.info(
        "anomalies.detected",
        lines=len(facts.lines),
        flags=len(kept),
        dismissed=len(flags) - len(kept),
    )
    return kept


def _later_duplicates(flags: list[Flag]) -> list[str]:
    return [r for flag in flags for r in flag.records[1:]]


def _rows_mask(
    facts: BillingFacts, row_of: dict[str, int], records: list[str]
) -> BoolArray:
    mask = np.zeros(len(facts.lines), dtype=np.bool_)
    rows = [row_of[r] for r in records if r in row_of]
    mask[rows] = True
    return mask
