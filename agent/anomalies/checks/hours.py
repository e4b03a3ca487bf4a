"""Hours checks: a day over the ceiling, spikes against history, weekend time."""

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
)
from opsgate.agent.anomalies.grouping import (
    Groups,
    consultant_days,
    count_by,
    day_of_key,
    group_by,
    group_by_columns,
    median_by,
    owner_of_key,
)
from opsgate.agent.anomalies.pricing import row_rates
from opsgate.agent.anomalies.settings import AnomalySettings
from opsgate.rules.billing.facts import BillingFacts
from opsgate.rules.billing.lines import BoolArray, FloatArray


def check_consultant_days(
    facts: BillingFacts, settings: AnomalySettings, *, exclude: BoolArray | None = None
) -> list[Flag]:
    """Flag days over the ceiling, and days far above the consultant's median.

    Rows in `exclude` (lines already flagged as duplicates) do not count
    towards a day's hours, so one duplicated line is one finding.
    """
    lines = facts.lines
    if len(lines) == 0:
        return []
    days = consultant_days(lines)
    totals = days.sum(_counted(lines.hours, exclude))
    owners = owner_of_key(days.keys)
    medians = median_by(owners, totals, len(lines.consultants))
    history = count_by(owners, len(lines.consultants))
    median_of_day = medians[owners]
    over = totals > settings.day_ceiling_h
    spike = (
        (history[owners] >= settings.min_history_days)
        & (totals >= settings.spike_factor * median_of_day)
        & (totals - median_of_day >= settings.spike_min_excess_h)
    )
    rates = row_rates(facts)
    flags = []
    for group in np.flatnonzero(over | spike):
        flags.append(
            _day_flag(
                facts,
                days,
                int(group),
                float(totals[group]),
                float(median_of_day[group]),
                bool(over[group]),
                rates,
                settings,
            )
        )
    return flags


def _day_flag(
    facts: BillingFacts,
    days: Groups,
    group: int,
    total: float,
    median: float,
    over_ceiling: bool,
    rates: np.ndarray,
    settings: AnomalySettings,
) -> Flag:
    rows = days.rows_of(group)
    when = date.fromordinal(int(day_of_key(days.keys[group : group + 1])[0]))
    cited = row_citation(facts, rows)
    ratio = total / median if median > 0 else float("inf")
    reasons = [f"{hours_text(total)} on {when.isoformat()} in {len(rows)} line(s)"]
    if np.isfinite(ratio):
        reasons.append(
            f"{ratio:.1f}× this consultant's median day of {hours_text(median)}"
        )
    if over_ceiling:
        reasons.append(
            f"above the ceiling of {hours_text(settings.day_ceiling_h)} a day"
        )
    excess = total - (settings.day_ceiling_h if over_ceiling else median)
    rate = float(np.max(rates[rows]))
    kind = (
        AnomalyKind.DAY_OVER_CEILING
        if over_ceiling
        else AnomalyKind.HOURS_SPIKE_CONSULTANT
    )
    return Flag(
        kind=kind,
        title=f"{cited['consultant']} logged {reasons[0]}; {', '.join(reasons[1:])}.",
        reasons=tuple(reasons),
        amount_at_risk=round(max(excess, 0.0) * rate, 2),
        hours_at_risk=round(max(excess, 0.0), 2),
        features={"day_hours": total, "median_day_hours": median, "ratio": ratio},
        correction=Correction(
            action=CorrectionAction.ASK_PROJECT_MANAGER,
            summary=(
                f"Ask the project manager to confirm {hours_text(total)} "
                f"on {when.isoformat()}."
            ),
            params={
                "manager": manager_of(facts, cited["project"]),
                "lines": list(cited["records"]),
            },
        ),
        **cited,
    )


def check_project_weeks(
    facts: BillingFacts, settings: AnomalySettings, *, exclude: BoolArray | None = None
) -> list[Flag]:
    """Flag project weeks far above the project's median week.

    Rows in `exclude` (lines of days or duplicates already flagged) do not
    count towards a week, so one overlong day does not also make a spike.
    """
    lines = facts.lines
    if len(lines) == 0:
        return []
    week = (lines.day - 1) // 7
    weeks = group_by(lines.project * 10_000_000 + week)
    totals = weeks.sum(_counted(lines.hours, exclude))
    owners = owner_of_key(weeks.keys)
    medians = median_by(owners, totals, len(lines.projects))[owners]
    history = count_by(owners, len(lines.projects))[owners]
    spike = (
        (history >= settings.min_history_weeks)
        & (totals >= settings.project_spike_factor * medians)
        & (totals - medians >= settings.project_spike_min_excess_h)
    )
    rates = row_rates(facts)
    flags = []
    for group in np.flatnonzero(spike):
        rows = weeks.rows_of(int(group))
        monday = date.fromordinal(int(weeks.keys[group] % 10_000_000) * 7 + 1)
        cited = row_citation(facts, rows)
        total, median = float(totals[group]), float(medians[group])
        excess = total - median
        mean_rate = float(np.mean(rates[rows]))
        flags.append(
            Flag(
                kind=AnomalyKind.HOURS_SPIKE_PROJECT,
                title=(
                    f"Project {cited['project']} logged {hours_text(total)} in the week of "
                    f"{monday.isoformat()}, {total / median:.1f}× its median week of "
                    f"{hours_text(median)}."
                ),
                reasons=(
                    f"{hours_text(total)} in the week of {monday.isoformat()}",
                    f"{total / median:.1f}× the project's median week of {hours_text(median)}",
                ),
                amount_at_risk=round(excess * mean_rate, 2),
                hours_at_risk=round(excess, 2),
                features={"week_hours": total, "median_week_hours": median},
                correction=Correction(
                    action=CorrectionAction.ASK_PROJECT_MANAGER,
                    summary=(
                        f"Ask the manager of {cited['project']} to confirm "
                        f"the week of {monday.isoformat()}."
                    ),
                    params={"manager": manager_of(facts, cited["project"])},
                ),
                **{**cited, "consultant": None},
            )
        )
    return flags


def _counted(hours: FloatArray, exclude: BoolArray | None) -> FloatArray:
    return hours if exclude is None else np.where(exclude, 0.0, hours)


def check_weekend_time(facts: BillingFacts, settings: AnomalySettings) -> list[Flag]:
    """Flag weekend and holiday time on projects whose contract forbids it."""
    lines = facts.lines
    if len(lines) == 0:
        return []
    allowed = np.array(
        [
            facts.terms[p].weekend_work_allowed if p in facts.terms else True
            for p in lines.projects
        ],
        dtype=np.bool_,
    )
    weekday = (lines.day - 1) % 7
    holidays = np.array([d.toordinal() for d in settings.holidays], dtype=np.int64)
    off_day = (weekday >= 5) | np.isin(lines.day, holidays)
    suspect = off_day & ~allowed[lines.project] & lines.billable
    if not suspect.any():
        return []
    rows_all = np.flatnonzero(suspect)
    groups = group_by_columns(
        lines.consultant[rows_all], lines.project[rows_all], lines.day[rows_all]
    )
    rates = row_rates(facts)
    flags = []
    for group in range(groups.count):
        rows = rows_all[groups.rows_of(group)]
        when = facts.lines.date_of(int(rows[0]))
        label = (
            "holiday"
            if when.toordinal() in set(holidays.tolist())
            else when.strftime("%A")
        )
        cited = row_citation(facts, rows)
        hours = float(lines.hours[rows].sum())
        flags.append(
            Flag(
                kind=AnomalyKind.WEEKEND_OR_HOLIDAY,
                title=(
                    f"{cited['consultant']} logged {hours_text(hours)} on {label} "
                    f"{when.isoformat()} to {cited['project']}, whose contract does not "
                    "allow weekend or holiday time."
                ),
                reasons=(
                    f"{hours_text(hours)} on {label} {when.isoformat()}",
                    "the contract does not allow weekend or holiday work",
                ),
                amount_at_risk=round(float((lines.hours[rows] * rates[rows]).sum()), 2),
                hours_at_risk=round(hours, 2),
                features={"hours": hours, "weekday": float(when.weekday())},
                correction=Correction(
                    action=CorrectionAction.ASK_PROJECT_MANAGER,
                    summary=(
                        f"Ask the manager of {cited['project']} whether "
                        f"{when.isoformat()} may be billed."
                    ),
                    params={
                        "manager": manager_of(facts, cited["project"]),
                        "lines": list(cited["records"]),
                    },
                ),
                **cited,
            )
        )
    return flags
