"""The labelled billing data set: firms with anomalies injected, split by seed.

Each firm is one generated year. Anomalies go into seven of its months; the
other five stay clean. The training firms tune thresholds and pick the model;
the held-out firms are only ever scored.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from opsgate.agent.anomalies.settings import AnomalySettings
from opsgate.evals.billing.firm import (
    AS_OF,
    HOLIDAYS_2026,
    YEAR,
    Firm,
    Line,
    generate_firm,
)
from opsgate.evals.billing.injection import LINE_INJECTORS, Label
from opsgate.evals.billing.ledger import (
    LEDGER_INJECTORS,
    Ledger,
    draw_invoices,
    draw_payments,
)
from opsgate.rules.billing.facts import BillingFacts, build_billing_facts
from opsgate.rules.canonical import Timesheet

Split = Literal["train", "held_out"]

SPLITS: dict[Split, tuple[int, ...]] = {"train": (11, 12), "held_out": (21, 22, 23)}
"""Firm seeds per split."""

INJECTIONS_PER_KIND = 2
"""How many anomalies of each kind go into each firm."""

PAYMENT_INJECTORS_FROM = 2
"""Index in `LEDGER_INJECTORS` of the first payment injection: payments are
drawn up after the invoice injections, so they pay what the invoices say."""


@dataclass(frozen=True)
class LabelledFirm:
    """One firm's facts and the anomalies injected into them."""

    seed: int
    split: Split
    facts: BillingFacts
    labels: tuple[Label, ...]
    clean_months: tuple[date, ...]
    firm: Firm
    ledger: Ledger
    timesheets: tuple[Timesheet, ...]

    @property
    def settings(self) -> AnomalySettings:
        """The settings the firm is checked with: defaults plus its holidays."""
        return AnomalySettings(holidays=HOLIDAYS_2026)


def build_labelled_firm(seed: int, split: Split) -> LabelledFirm:
    """Generate firm `seed`, inject its anomalies, and return it with its labels."""
    rng = random.Random(seed * 7919)
    firm = generate_firm(seed)
    months = [date(YEAR, m, 1) for m in range(1, 12)]
    dirty = sorted(rng.sample(months, 7))
    taken: set[str] = set()
    labels: list[Label] = []
    for inject in LINE_INJECTORS.values():
        for month in rng.sample(dirty, INJECTIONS_PER_KIND):
            label = inject(rng, firm, month, taken)
            taken.update(label.records)
            labels.append(
                replace(label, records=tuple(f"harvest:{r}" for r in label.records))
            )
    unbilled = {
        key.removeprefix("unbilled:") for key in taken if key.startswith("unbilled:")
    }
    ledger = draw_invoices(firm, unbilled)
    for index, inject_ledger in enumerate(LEDGER_INJECTORS.values()):
        if index == PAYMENT_INJECTORS_FROM:
            draw_payments(rng, firm, ledger)
        for month in rng.sample(dirty, INJECTIONS_PER_KIND):
            labels.append(inject_ledger(rng, firm, ledger, month))
    timesheets = tuple(_timesheet(line) for line in firm.lines)
    facts = build_billing_facts(
        as_of=AS_OF,
        timesheets=[(sheet, None) for sheet in timesheets],
        projects=firm.projects,
        contracts=firm.contracts,
        invoices=[(inv, None) for inv in ledger.invoices],
        payments=[(pay, None) for pay in ledger.payments],
    )
    clean = tuple(m for m in months if m not in dirty)
    return LabelledFirm(
        seed, split, facts, tuple(labels), clean, firm, ledger, timesheets
    )


def _timesheet(line: Line) -> Timesheet:
    return Timesheet(
        source="harvest",
        source_key=line.key,
        work_date=line.day,
        hours=Decimal(f"{line.hours:.2f}"),
        consultant_email=line.email,
        consultant_name=line.name,
        project_name=line.project,
        project_code=line.project,
        task_name=line.task,
        billable=line.billable,
        approved=line.approved,
        invoiced=line.invoiced,
        hourly_rate=Decimal(f"{line.rate:.2f}") if line.rate is not None else None,
        currency=line.currency,
    )


def labelled_split(split: Split) -> list[LabelledFirm]:
    """Return every firm of `split`."""
    return [build_labelled_firm(seed, split) for seed in SPLITS[split]]
