"""Duplicate checks: the same person, project, day and task with the same hours."""

from __future__ import annotations

import numpy as np

from opsgate.agent.anomalies.checks.citing import row_citation
from opsgate.agent.anomalies.flag import (
    AnomalyKind,
    Correction,
    CorrectionAction,
    Flag,
    hours_text,
)
from opsgate.agent.anomalies.grouping import group_by_columns
from opsgate.agent.anomalies.pricing import row_rates
from opsgate.agent.anomalies.settings import AnomalySettings
from opsgate.rules.billing.facts import BillingFacts


def check_duplicates(facts: BillingFacts, settings: AnomalySettings) -> list[Flag]:
    """Flag lines equal in consultant, project, day, task and rounded hours."""
    lines = facts.lines
    if len(lines) < 2:
        return []
    rounded = np.round(lines.hours / settings.rounding_h).astype(np.int64)
    groups = group_by_columns(
        lines.consultant, lines.project, lines.day, lines.task, rounded
    )
    sizes = groups.size()
    rates = row_rates(facts)
    flags = []
    for group in np.flatnonzero(sizes >= 2):
        rows = groups.rows_of(int(group))
        flags.append(_duplicate_flag(facts, rows, rates, settings))
    return flags


def _duplicate_flag(
    facts: BillingFacts, rows: np.ndarray, rates: np.ndarray, settings: AnomalySettings
) -> Flag:
    lines = facts.lines
    cited = row_citation(facts, rows)
    hours = [float(h) for h in lines.hours[rows]]
    exact = len(set(hours)) == 1
    when = lines.date_of(int(rows[0]))
    task = lines.tasks[int(lines.task[rows[0]])] or "(no task)"
    extra = rows[1:]
    at_risk = float((lines.hours[extra] * rates[extra]).sum())
    shown = ", ".join(hours_text(h) for h in hours)
    how = "identical" if exact else f"equal after rounding to {settings.rounding_h:g} h"
    return Flag(
        kind=AnomalyKind.DUPLICATE_LINE,
        title=(
            f"{cited['consultant']} has {len(rows)} lines of {shown} on {cited['project']}, "
            f"task {task!r}, on {when.isoformat()}: {how}."
        ),
        reasons=(
            f"{len(rows)} lines on {when.isoformat()} for task {task!r}",
            f"hours {shown}, {how}",
        ),
        amount_at_risk=round(at_risk, 2),
        hours_at_risk=round(float(lines.hours[extra].sum()), 2),
        features={"lines": float(len(rows)), "hours": hours[0]},
        correction=Correction(
            action=CorrectionAction.ADJUST_LINE,
            summary=f"Set the {len(extra)} later duplicate line(s) to 0 h.",
            params={
                "lines": [lines.keys[int(r)] for r in extra],
                "event_ids": [e for e in (lines.event_ids[int(r)] for r in extra) if e],
                "patch": {"hours": "0"},
            },
        ),
        **cited,
    )
