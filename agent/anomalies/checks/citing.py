"""What a flag on timesheet rows cites: line ids, events, project, consultant."""

from __future__ import annotations

from datetime import date
from typing import Any

from opsgate.agent.anomalies.pricing import row_currency
from opsgate.rules.billing.facts import BillingFacts
from opsgate.rules.billing.lines import IntArray


def row_citation(facts: BillingFacts, rows: IntArray) -> dict[str, Any]:
    """Return the `Flag` fields that name the rows and who and what they concern."""
    lines = facts.lines
    first = int(rows[0])
    project = lines.projects[int(lines.project[first])]
    terms = facts.terms.get(project)
    return {
        "records": tuple(lines.keys[int(row)] for row in rows),
        "event_ids": tuple(
            event_id
            for event_id in (lines.event_ids[int(row)] for row in rows)
            if event_id is not None
        ),
        "project": project,
        "consultant": lines.consultants[int(lines.consultant[first])],
        "customer": terms.customer if terms is not None else None,
        "currency": row_currency(facts, first),
        "first_day": date.fromordinal(int(lines.day[rows].min())),
    }


def manager_of(facts: BillingFacts, project: str | None) -> str | None:
    """Return the project manager's key for `project`, when terms name one."""
    terms = facts.terms.get(project or "")
    return terms.manager_key if terms is not None else None
