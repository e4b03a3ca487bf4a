"""Gather one day's facts from the store: every number the summary may state."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlmodel import Session, col, func, select

from opsgate.agent.anomalies.pricing import row_currency, row_rates
from opsgate.rules.billing.facts import load_billing_facts
from opsgate.rules.canonical import BillingType
from opsgate.rules.store.anomaly_tables import AnomalyFlagRecord
from opsgate.rules.store.statuses import (
    AttemptOutcome,
    IncidentStatus,
    ProposalStatus,
)
from opsgate.rules.store.tables import Attempt, DeadLetter, Event, Incident, Proposal


@dataclass(frozen=True)
class TopIncident:
    """An open incident with money at risk."""

    id: int
    title: str
    amount_at_risk: float
    currency: str | None


@dataclass(frozen=True)
class DayFacts:
    """The facts of one UTC day."""

    day: str
    """ISO date."""
    events_by_workflow: dict[str, int] = field(default_factory=dict)
    failures_by_category: dict[str, int] = field(default_factory=dict)
    retries: int = 0
    dead_letter_ids: list[int] = field(default_factory=list)
    incidents_opened: list[int] = field(default_factory=list)
    incidents_closed: list[int] = field(default_factory=list)
    unbilled_hours: dict[str, float] = field(default_factory=dict)
    """Approved, billable, uninvoiced hours up to the day, per currency."""
    unbilled_value: dict[str, float] = field(default_factory=dict)
    """Their value at the line's rate, per currency (never added across currencies)."""
    anomalies_raised: int = 0
    approvals_waiting: list[int] = field(default_factory=list)
    sla_breaches: list[int] = field(default_factory=list)
    """Open incidents past their due date."""
    top_incidents: list[TopIncident] = field(default_factory=list)

    @property
    def events_total(self) -> int:
        """Events accepted during the day."""
        return sum(self.events_by_workflow.values())

    @property
    def failures_total(self) -> int:
        """Failed attempts during the day."""
        return sum(self.failures_by_category.values())

    def to_dict(self) -> dict[str, Any]:
        """Return the facts as plain data, with the totals."""
        return {
            **asdict(self),
            "events_total": self.events_total,
            "failures_total": self.failures_total,
        }


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=UTC)
    return start, start + timedelta(days=1)


def gather_day_facts(session: Session, day: date) -> DayFacts:
    """Return the facts of `day` (UTC) from the store."""
    start, end = _bounds(day)
    return DayFacts(
        day=day.isoformat(),
        events_by_workflow=_events_by_workflow(session, start, end),
        failures_by_category=_failures(session, start, end),
        retries=int(
            session.exec(
                select(func.count())
                .select_from(Attempt)
                .where(
                    Attempt.number > 1,
                    Attempt.started_at >= start,
                    Attempt.started_at < end,
                )
            ).one()
        ),
        dead_letter_ids=_ids(session, DeadLetter, DeadLetter.created_at, start, end),
        incidents_opened=_ids(session, Incident, Incident.opened_at, start, end),
        incidents_closed=_ids(session, Incident, Incident.resolved_at, start, end),
        **_unbilled(session, day),
        anomalies_raised=int(
            session.exec(
                select(func.count())
                .select_from(AnomalyFlagRecord)
                .where(
                    AnomalyFlagRecord.raised_at >= start,
                    AnomalyFlagRecord.raised_at < end,
                )
            ).one()
        ),
        approvals_waiting=[
            int(i or 0)
            for i in session.exec(
                select(Proposal.id)
                .where(
                    Proposal.status == ProposalStatus.PENDING, Proposal.created_at < end
                )
                .order_by(col(Proposal.id))
            ).all()
        ],
        sla_breaches=[
            int(i or 0)
            for i in session.exec(
                select(Incident.id)
                .where(Incident.status != IncidentStatus.RESOLVED)
                .where(
                    col(Incident.due_date).is_not(None), col(Incident.due_date) < day
                )
                .order_by(col(Incident.id))
            ).all()
        ],
        top_incidents=_top_incidents(session, end),
    )


def _events_by_workflow(
    session: Session, start: datetime, end: datetime
) -> dict[str, int]:
    rows = session.exec(
        select(Event.workflow, func.count())
        .where(Event.accepted_at >= start, Event.accepted_at < end)
        .group_by(Event.workflow)
    ).all()
    return {workflow or "unrouted": int(count) for workflow, count in rows}


def _failures(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    rows = session.exec(
        select(Attempt.error_category)
        .where(Attempt.outcome != AttemptOutcome.SUCCEEDED)
        .where(Attempt.started_at >= start, Attempt.started_at < end)
    ).all()
    return dict(Counter(str(category or "unknown") for category in rows))


def _ids(
    session: Session, table: Any, column: Any, start: datetime, end: datetime
) -> list[int]:
    rows = session.exec(
        select(table.id).where(column >= start, column < end).order_by(table.id)
    ).all()
    return [int(i) for i in rows]


def _unbilled(session: Session, day: date) -> dict[str, dict[str, float]]:
    """Sum approved, billable, uninvoiced time-and-materials hours up to `day`."""
    facts = load_billing_facts(session, as_of=day)
    lines = facts.lines
    rates = row_rates(facts)
    # A project whose contract is not known (or is held by a control) counts
    # as hourly: its approved time is still owed to someone, as chat says too.
    hourly = np.array(
        [
            p not in facts.terms
            or facts.terms[p].billing_type != BillingType.FIXED_PRICE
            for p in lines.projects
        ],
        dtype=np.bool_,
    )
    open_rows = np.flatnonzero(
        lines.approved
        & lines.billable
        & ~lines.invoiced
        & (lines.day <= day.toordinal())
        & (hourly[lines.project] if len(lines) else lines.approved)
    )
    hours: dict[str, float] = {}
    value: dict[str, float] = {}
    for row in open_rows:
        currency = row_currency(facts, int(row)) or "unknown"
        hours[currency] = round(hours.get(currency, 0.0) + float(lines.hours[row]), 2)
        worth = float(lines.hours[row] * rates[row])
        value[currency] = round(value.get(currency, 0.0) + worth, 2)
    return {"unbilled_hours": hours, "unbilled_value": value}


def _top_incidents(
    session: Session, end: datetime, limit: int = 3
) -> list[TopIncident]:
    rows = session.exec(
        select(Incident)
        .where(Incident.status != IncidentStatus.RESOLVED, Incident.opened_at < end)
        .where(col(Incident.amount_at_risk).is_not(None))
        .order_by(col(Incident.amount_at_risk).desc(), col(Incident.id))
        .limit(limit)
    ).all()
    return [
        TopIncident(int(i.id or 0), i.title, float(i.amount_at_risk or 0), i.currency)
        for i in rows
    ]
