"""Benchmark: anomaly scoring (every check and the model) over 1,000,000 timesheet lines.

Prints seconds and peak RSS. Run: `.venv/bin/python bench/anomaly_scoring.py [LINES]`.
"""

from __future__ import annotations

import resource
import sys
import time
from datetime import date

import numpy as np

from opsgate.agent.anomalies.detector import detect
from opsgate.agent.anomalies.settings import AnomalySettings
from opsgate.rules.billing.facts import BillingFacts
from opsgate.rules.billing.lines import TimesheetLines
from opsgate.rules.billing.terms import ProjectTerms
from opsgate.rules.canonical import BillingType


def synthetic_lines(count: int, seed: int = 3) -> BillingFacts:
    """Return `count` lines shaped like a big firm: one line per consultant-day.

    Consultants work weekdays on one project each, 4 to 9 hours a day, with
    about one anomaly in ten thousand lines (overlong days, wrong rates).
    """
    rng = np.random.default_rng(seed)
    weekdays = [
        d
        for d in range(date(2026, 1, 1).toordinal(), date(2026, 12, 31).toordinal())
        if (d - 1) % 7 < 5
    ]
    consultants = -(-count // len(weekdays))
    projects = max(consultants // 10, 1)
    consultant = np.repeat(np.arange(consultants), len(weekdays))[:count]
    day = np.tile(np.asarray(weekdays, dtype=np.int64), consultants)[:count]
    project = (consultant // 10) % projects
    usual = rng.choice([4.0, 7.5, 8.0], consultants)[consultant]
    hours = np.round(rng.normal(usual, 0.35).clip(1, 10) * 4) / 4
    odd = rng.random(count) < 1e-4
    hours[odd] = 14.0
    rates = rng.choice([95.0, 110.0, 125.0, 140.0], projects)
    rate = rates[project].copy()
    rate[rng.random(count) < 1e-4] *= 1.2
    lines = TimesheetLines(
        keys=[f"bench:{i}" for i in range(count)],
        event_ids=[None] * count,
        consultants=[f"c{i}" for i in range(consultants)],
        projects=[f"P-{i}" for i in range(projects)],
        tasks=["Build", "Design", "Review", "Meetings"],
        currencies=["EUR"],
        consultant=consultant.astype(np.int64),
        project=project.astype(np.int64),
        task=(day % 4).astype(np.int64),
        currency=np.zeros(count, dtype=np.int64),
        day=day,
        hours=hours,
        rate=rate,
        billable=np.ones(count, dtype=np.bool_),
        approved=np.ones(count, dtype=np.bool_),
        invoiced=np.ones(count, dtype=np.bool_),
    )
    terms = {
        f"P-{i}": ProjectTerms(
            f"P-{i}",
            f"P-{i}",
            BillingType.TIME_AND_MATERIALS,
            hourly_rate=float(rates[i]),
            currency="EUR",
        )
        for i in range(projects)
    }
    return BillingFacts(as_of=date(2027, 1, 20), lines=lines, terms=terms)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    built = time.perf_counter()
    facts = synthetic_lines(count)
    started = time.perf_counter()
    flags = detect(facts, AnomalySettings())
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"lines: {count:,}")
    print(f"building the arrays: {started - built:.2f} s")
    print(f"scoring (all checks + IsolationForest): {elapsed:.2f} s")
    print(f"flags: {len(flags):,}")
    print(f"peak RSS: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
