"""Inject anomalies of each kind at known places in a firm's clean year of time."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from opsgate.agent.anomalies.flag import AnomalyKind
from opsgate.evals.billing.firm import HOLIDAYS_2026, Firm, Line


@dataclass(frozen=True)
class Label:
    """One injected anomaly: its kind, the records it touches, and its month."""

    kind: AnomalyKind
    records: tuple[str, ...]
    month: date
    """The first day of the month it was injected in."""
    note: str


def _in_month(lines: list[Line], month: date) -> list[Line]:
    return [
        line
        for line in lines
        if (line.day.year, line.day.month) == (month.year, month.month)
    ]


def _day_lines(lines: list[Line]) -> dict[tuple[str, date], list[Line]]:
    days: dict[tuple[str, date], list[Line]] = defaultdict(list)
    for line in lines:
        days[(line.email, line.day)].append(line)
    return days


def _usable(line: Line, taken: set[str]) -> bool:
    return (
        line.key not in taken
        and line.day.weekday() < 5
        and line.day not in HOLIDAYS_2026
    )


def inject_day_over_ceiling(
    rng: random.Random, firm: Firm, month: date, taken: set[str]
) -> Label:
    """Add an overtime line so a full-timer's day passes the ceiling."""
    full = {p.email for p in firm.people if p.usual_day_h > 6}
    days = _day_lines(_in_month(firm.lines, month))
    key = rng.choice(
        sorted(
            k
            for k, v in days.items()
            if k[0] in full and all(_usable(x, taken) for x in v)
        )
    )
    first = days[key][0]
    extra = replace(
        first,
        key=f"{first.key}-overtime",
        hours=round(rng.uniform(8, 22) * 4) / 4,
        task="Overtime",
    )
    firm.lines.append(extra)
    records = tuple(x.key for x in days[key]) + (extra.key,)
    return Label(
        AnomalyKind.DAY_OVER_CEILING, records, month, f"{extra.hours} h overtime line"
    )


def inject_consultant_spike(
    rng: random.Random, firm: Firm, month: date, taken: set[str]
) -> Label:
    """Raise a part-timer's single-line day far above their usual four hours."""
    part = {p.email for p in firm.people if p.usual_day_h < 6}
    days = _day_lines(_in_month(firm.lines, month))
    key = rng.choice(
        sorted(
            k
            for k, v in days.items()
            if k[0] in part and len(v) == 1 and _usable(v[0], taken)
        )
    )
    line = days[key][0]
    line.hours = round(rng.uniform(10.5, 11.5) * 4) / 4
    return Label(
        AnomalyKind.HOURS_SPIKE_CONSULTANT,
        (line.key,),
        month,
        f"day raised to {line.hours} h",
    )


def inject_project_spike(
    rng: random.Random, firm: Firm, month: date, taken: set[str]
) -> Label:
    """Raise every line of one project for one week well above its median week."""
    days = _day_lines(firm.lines)
    weeks: dict[tuple[str, int], list[Line]] = defaultdict(list)
    for line in firm.lines:
        weeks[(line.project, line.day.toordinal() // 7)].append(line)
    medians = _median_weeks(weeks)
    whole = [
        k
        for k in sorted(weeks)
        if _week_in_month(k[1], month) and all(_usable(x, taken) for x in weeks[k])
    ]
    for key in rng.sample(whole, len(whole)):
        group = weeks[key]
        day_totals = {
            k: sum(y.hours for y in days[k]) for k in {(x.email, x.day) for x in group}
        }
        gains = []
        for line in group:
            gain = max(
                0.0, min(0.9 * line.hours, 11.5 - day_totals[(line.email, line.day)])
            )
            gain = int(gain * 4) / 4
            day_totals[(line.email, line.day)] += gain
            gains.append(gain)
        total = sum(x.hours for x in group) + sum(gains)
        if len(group) >= 5 and total >= 1.7 * medians[key[0]] and sum(gains) >= 16:
            for line, gain in zip(group, gains, strict=True):
                line.hours += gain
            return Label(
                AnomalyKind.HOURS_SPIKE_PROJECT,
                tuple(x.key for x in group),
                month,
                f"week of {key[0]} raised by {sum(gains):.1f} h",
            )
    raise ValueError(f"No project week in {month:%Y-%m} can take a spike.")


def _median_weeks(weeks: dict[tuple[str, int], list[Line]]) -> dict[str, float]:
    totals: dict[str, list[float]] = defaultdict(list)
    for (project, _), group in weeks.items():
        totals[project].append(sum(x.hours for x in group))
    return {project: sorted(v)[len(v) // 2] for project, v in totals.items()}


def _week_in_month(week: int, month: date) -> bool:
    monday = date.fromordinal(week * 7 + 1)
    return (
        monday.month == month.month
        and (monday + timedelta(days=4)).month == month.month
    )


def inject_weekend(
    rng: random.Random, firm: Firm, month: date, taken: set[str]
) -> Label:
    """Log time on a weekend or holiday to a project whose contract forbids it."""
    offs = [month + timedelta(days=d) for d in range(28)]
    offs = [d for d in offs if d.weekday() >= 5 or d in HOLIDAYS_2026]
    person = rng.choice(
        [
            p
            for p in firm.people
            if not firm.contract_of(p.projects[0]).weekend_work_allowed
        ]
    )
    day = rng.choice(offs)
    template = next(
        x
        for x in firm.lines
        if x.email == person.email and x.project == person.projects[0]
    )
    line = replace(
        template,
        key=f"ts-{firm.seed}-wk-{day.isoformat()}-{person.email[:12]}",
        day=day,
        hours=round(rng.uniform(3, 7) * 4) / 4,
        task="Build",
    )
    firm.lines.append(line)
    return Label(
        AnomalyKind.WEEKEND_OR_HOLIDAY,
        (line.key,),
        month,
        f"{line.hours} h on {day:%A}",
    )


def inject_rate(rng: random.Random, firm: Firm, month: date, taken: set[str]) -> Label:
    """Export one consultant's month on a project at a rate off the contract."""
    candidates = [
        x
        for x in _in_month(firm.lines, month)
        if x.rate is not None and _usable(x, taken)
    ]
    pick = rng.choice(candidates)
    factor = rng.choice((0.85, 1.1, 1.2))
    hit = [x for x in candidates if x.email == pick.email and x.project == pick.project]
    for line in hit:
        line.rate = round((line.rate or 0) * factor, 2)
    return Label(
        AnomalyKind.RATE_MISMATCH, tuple(x.key for x in hit), month, f"rate × {factor}"
    )


def inject_duplicate(
    rng: random.Random, firm: Firm, month: date, taken: set[str]
) -> Label:
    """Copy a line, exactly or off by a few minutes."""
    original = rng.choice(
        [x for x in _in_month(firm.lines, month) if _usable(x, taken)]
    )
    near = rng.random() < 0.5
    copy = replace(
        original,
        key=f"{original.key}-dup",
        hours=original.hours + (0.05 if near else 0),
    )
    firm.lines.append(copy)
    return Label(
        AnomalyKind.DUPLICATE_LINE,
        (original.key, copy.key),
        month,
        "near-duplicate" if near else "exact duplicate",
    )


def inject_unbilled(
    rng: random.Random, firm: Firm, month: date, taken: set[str]
) -> Label:
    """Leave one consultant's approved month on a project out of invoicing."""
    candidates = [
        x
        for x in _in_month(firm.lines, month)
        if x.rate is not None and _usable(x, taken)
    ]
    pick = rng.choice(candidates)
    hit = [
        x
        for x in _in_month(firm.lines, month)
        if x.email == pick.email and x.project == pick.project
    ]
    for line in hit:
        line.billable, line.approved = True, True
        line.invoiced = False
        taken.add(f"unbilled:{line.key}")
    return Label(
        AnomalyKind.UNBILLED_TIME,
        tuple(x.key for x in hit),
        month,
        "left out of invoicing",
    )


def inject_unusual(
    rng: random.Random, firm: Firm, month: date, taken: set[str]
) -> Label:
    """Replace a full-timer's day with many tiny lines across many projects."""
    full = {p.email for p in firm.people if p.usual_day_h > 6}
    days = _day_lines(_in_month(firm.lines, month))
    key = rng.choice(
        sorted(
            k
            for k, v in days.items()
            if k[0] in full and all(_usable(x, taken) for x in v)
        )
    )
    template = days[key][0]
    for line in days[key]:
        firm.lines.remove(line)
    codes = [p.code or p.name for p in firm.projects[:7]]
    added = []
    for number in range(rng.randint(10, 14)):
        project = rng.choice(codes)
        contract = firm.contract_of(project)
        added.append(
            replace(
                template,
                key=f"{template.key}-frag{number}",
                project=project,
                hours=rng.choice((0.5, 0.75)),
                task=f"Ticket {100 + number}",
                rate=float(contract.hourly_rate or 0),
                currency=contract.currency,
            )
        )
    firm.lines.extend(added)
    return Label(
        AnomalyKind.UNUSUAL_PATTERN,
        tuple(x.key for x in added),
        month,
        "fragmented day",
    )


LINE_INJECTORS = {
    AnomalyKind.DAY_OVER_CEILING: inject_day_over_ceiling,
    AnomalyKind.HOURS_SPIKE_CONSULTANT: inject_consultant_spike,
    AnomalyKind.HOURS_SPIKE_PROJECT: inject_project_spike,
    AnomalyKind.WEEKEND_OR_HOLIDAY: inject_weekend,
    AnomalyKind.RATE_MISMATCH: inject_rate,
    AnomalyKind.DUPLICATE_LINE: inject_duplicate,
    AnomalyKind.UNBILLED_TIME: inject_unbilled,
    AnomalyKind.UNUSUAL_PATTERN: inject_unusual,
}
"""Injections into timesheet lines, applied before invoices are drawn up."""
