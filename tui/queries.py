"""The read model behind the TUI: what each view shows, asked of the store.

Every query is bounded (a `LIMIT`, a time window or an aggregate computed in
SQL) and leans on the store's indexes, so a view stays quick with 100,000
incidents. The functions take an open session and return frozen rows; they
never write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, case, cast, func, or_
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, select

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.store.statuses import (
    DeliveryStatus,
    IncidentStatus,
    ProposalStatus,
)
from opsgate.rules.store.tables import (
    Approval,
    Attempt,
    AuditEntry,
    DeadLetter,
    Delivery,
    Event,
    Incident,
    Proposal,
)

UNDELIVERED = (
    DeliveryStatus.PENDING,
    DeliveryStatus.IN_FLIGHT,
    DeliveryStatus.RETRYING,
)
"""Delivery states that still count towards a queue."""

ACTIVE_INCIDENT = (IncidentStatus.OPEN, IncidentStatus.ACKNOWLEDGED)
"""Incident states that still need a person."""

WAITING_PROPOSAL = (ProposalStatus.PENDING, ProposalStatus.APPROVED)
"""Proposal states that still wait at the gate."""

WINDOW_HOURS = 24
"""Width of the overview's sparklines and rates. Hours."""


def as_utc(value: datetime | None) -> datetime | None:
    """Return `value` as an aware UTC datetime (SQLite hands back naive ones)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


# --- overview -------------------------------------------------------------


@dataclass(frozen=True)
class FlowHealth:
    """How one workflow is doing over the last `WINDOW_HOURS` hours."""

    workflow: str
    events_last_hour: int
    events_per_hour: float
    """Mean over the window."""
    failure_rate: float
    """Share of the window's deliveries that failed at least once (0..1)."""
    queue_depth: int
    """Deliveries not yet delivered nor dead."""
    oldest_undelivered_at: datetime | None
    throughput: list[int]
    """Events accepted per hour, oldest hour first."""
    failures: list[int]
    """Incidents opened per hour, oldest hour first."""
    money_at_risk: dict[str, Decimal]
    """Unresolved incidents' amounts, per currency (never added across them)."""


@dataclass(frozen=True)
class Overview:
    """The figures of the overview screen."""

    flows: list[FlowHealth]
    money_at_risk: dict[str, Decimal]
    """Unresolved incidents' amounts, per currency."""
    approvals_waiting: int
    sla_breaches: int
    active_incidents: int
    dead_letters: int


def _hour_index(session: Session, column: Any, start: datetime) -> ColumnElement[Any]:
    """Return a SQL expression: whole hours between `start` and `column`."""
    if session.get_bind().dialect.name == "sqlite":
        start_text = start.strftime("%Y-%m-%d %H:%M:%S")
        days = func.julianday(column) - func.julianday(start_text)
        return cast(days * 24, Integer)
    seconds = func.extract("epoch", column - start)
    return cast(func.floor(seconds / 3600), Integer)


def _hourly(
    session: Session, column: Any, start: datetime, group: Any, *filters: Any
) -> dict[str, list[int]]:
    bucket = _hour_index(session, column, start).label("bucket")
    stmt = (
        select(group, bucket, func.count())
        .where(column >= start, *filters)
        .group_by(group, bucket)
    )
    series: dict[str, list[int]] = {}
    for name, hour, count in session.exec(stmt):
        line = series.setdefault(name or "(none)", [0] * WINDOW_HOURS)
        if hour is not None and 0 <= int(hour) < WINDOW_HOURS:
            line[int(hour)] += int(count)
    return series


def load_overview(
    session: Session, *, now: datetime, sla_ack_h: float = 4.0
) -> Overview:
    """Return the overview's figures as of `now`.

    An SLA breach is an active incident past its due date, or one still open
    (not acknowledged) longer than `sla_ack_h` hours.
    """
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(
        hours=WINDOW_HOURS - 1
    )
    throughput = _hourly(session, Event.accepted_at, start, Event.workflow)
    failures = _hourly(session, Incident.opened_at, start, Incident.workflow)
    queue = _queues(session)
    rates = _failure_rates(session, start)
    totals = _incident_totals(session, now, sla_ack_h)
    money_by_flow = totals.money_by_workflow
    names = sorted(set(throughput) | set(failures) | set(queue) | set(money_by_flow))
    flows = [
        _flow(name, throughput, failures, queue, rates, money_by_flow) for name in names
    ]
    return Overview(
        flows=flows,
        money_at_risk=totals.money_by_currency,
        approvals_waiting=_count(
            session, Proposal.id, col(Proposal.status).in_(WAITING_PROPOSAL)
        ),
        sla_breaches=totals.sla_breaches,
        active_incidents=totals.active,
        dead_letters=_count(
            session, DeadLetter.id, col(DeadLetter.replayed_at).is_(None)
        ),
    )


def _flow(
    name: str,
    throughput: dict[str, list[int]],
    failures: dict[str, list[int]],
    queue: dict[str, tuple[int, datetime | None]],
    rates: dict[str, float],
    money: dict[str, dict[str, Decimal]],
) -> FlowHealth:
    line = throughput.get(name, [0] * WINDOW_HOURS)
    depth, oldest = queue.get(name, (0, None))
    return FlowHealth(
        workflow=name,
        events_last_hour=line[-1],
        events_per_hour=sum(line) / WINDOW_HOURS,
        failure_rate=rates.get(name, 0.0),
        queue_depth=depth,
        oldest_undelivered_at=oldest,
        throughput=line,
        failures=failures.get(name, [0] * WINDOW_HOURS),
        money_at_risk=money.get(name, {}),
    )


def _count(session: Session, column: Any, *filters: Any) -> int:
    return int(session.exec(select(func.count(column)).where(*filters)).one())


def _queues(session: Session) -> dict[str, tuple[int, datetime | None]]:
    stmt = (
        select(
            Event.workflow, func.count(col(Delivery.id)), func.min(Event.accepted_at)
        )
        .join(Event, col(Event.id) == col(Delivery.event_id))
        .where(col(Delivery.status).in_(UNDELIVERED))
        .group_by(Event.workflow)
    )
    return {
        name or "(none)": (int(depth), as_utc(oldest))
        for name, depth, oldest in session.exec(stmt)
    }


def _failure_rates(session: Session, start: datetime) -> dict[str, float]:
    failed = func.sum(cast(col(Delivery.last_error_category).is_not(None), Integer))
    stmt = (
        select(Event.workflow, func.count(col(Delivery.id)), failed)
        .join(Event, col(Event.id) == col(Delivery.event_id))
        .where(col(Delivery.created_at) >= start)
        .group_by(Event.workflow)
    )
    return {
        name or "(none)": (int(bad or 0) / int(total)) if total else 0.0
        for name, total, bad in session.exec(stmt)
    }


@dataclass(frozen=True)
class _IncidentTotals:
    money_by_workflow: dict[str, dict[str, Decimal]]
    money_by_currency: dict[str, Decimal]
    active: int
    sla_breaches: int


def _incident_totals(
    session: Session, now: datetime, sla_ack_h: float
) -> _IncidentTotals:
    """Sum money, active incidents and SLA breaches in one pass over incidents.

    One scan with `CASE` sums is cheaper than an index walk here: most rows of
    a busy store are active, and the index would then be read row by row.
    """
    active = col(Incident.status).in_(ACTIVE_INCIDENT)
    overdue = col(Incident.due_date) < now.date()
    unacknowledged = (col(Incident.status) == IncidentStatus.OPEN) & (
        col(Incident.opened_at) < now - timedelta(hours=sla_ack_h)
    )
    # SQLModel's `select` overloads stop at four columns; the statement is fine.
    stmt = select(  # type: ignore[call-overload]
        Incident.workflow,
        Incident.currency,
        func.sum(case((active, col(Incident.amount_at_risk)), else_=0)),
        func.sum(case((active, 1), else_=0)),
        func.sum(case((active & or_(overdue, unacknowledged), 1), else_=0)),
    ).group_by(Incident.workflow, Incident.currency)
    by_flow: dict[str, dict[str, Decimal]] = {}
    by_currency: dict[str, Decimal] = {}
    active_count = breaches = 0
    for workflow, currency, money, count, breached in session.exec(stmt):
        amount = Decimal(money or 0)
        name = workflow or "(none)"
        flow = by_flow.setdefault(name, {})
        if amount:
            key = currency or "?"
            flow[key] = flow.get(key, Decimal(0)) + amount
            by_currency[key] = by_currency.get(key, Decimal(0)) + amount
        active_count += int(count or 0)
        breaches += int(breached or 0)
    return _IncidentTotals(by_flow, by_currency, active_count, breaches)


# --- incidents ------------------------------------------------------------


@dataclass(frozen=True)
class IncidentFilter:
    """What the incidents table is narrowed to; `None` means any."""

    text: str = ""
    """Matched against title, customer and project (case-insensitive)."""
    category: str | None = None
    workflow: str | None = None
    status: str | None = IncidentStatus.OPEN.value


@dataclass(frozen=True)
class IncidentRow:
    """One line of the incidents table."""

    id: int
    impact_score: float
    category: str
    status: str
    workflow: str | None
    title: str
    customer: str | None
    amount_at_risk: Decimal | None
    currency: str | None
    opened_at: datetime


def _incident_filters(flt: IncidentFilter) -> list[Any]:
    filters: list[Any] = []
    if flt.status:
        filters.append(col(Incident.status) == IncidentStatus(flt.status))
    if flt.category:
        filters.append(col(Incident.category) == ErrorCategory(flt.category))
    if flt.workflow:
        filters.append(col(Incident.workflow) == flt.workflow)
    text = flt.text.strip()
    if text:
        pattern = f"%{text}%"
        filters.append(
            or_(
                col(Incident.title).ilike(pattern),
                col(Incident.customer).ilike(pattern),
                col(Incident.project).ilike(pattern),
            )
        )
    return filters


def list_incidents(
    session: Session, flt: IncidentFilter, *, limit: int = 200, offset: int = 0
) -> list[IncidentRow]:
    """Return one page of incidents, worst impact first."""
    stmt = (
        select(  # type: ignore[call-overload, misc]
            Incident.id,
            Incident.impact_score,
            Incident.category,
            Incident.status,
            Incident.workflow,
            Incident.title,
            Incident.customer,
            Incident.amount_at_risk,
            Incident.currency,
            Incident.opened_at,
        )
        .where(*_incident_filters(flt))
        .order_by(col(Incident.impact_score).desc(), col(Incident.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return [
        IncidentRow(
            id=row[0],
            impact_score=row[1],
            category=str(row[2]),
            status=str(row[3]),
            workflow=row[4],
            title=row[5],
            customer=row[6],
            amount_at_risk=row[7],
            currency=row[8],
            opened_at=as_utc(row[9]) or row[9],
        )
        for row in session.exec(stmt)
    ]


COUNT_CAP = 1_000
"""Counting stops here; the table says `1,000+` rather than scan further."""


def count_incidents(
    session: Session, flt: IncidentFilter, *, cap: int = COUNT_CAP
) -> int:
    """Return how many incidents match `flt`, counting no further than `cap` + 1."""
    matches = (
        select(Incident.id).where(*_incident_filters(flt)).limit(cap + 1).subquery()
    )
    return int(session.exec(select(func.count()).select_from(matches)).one())


def incident_facets(session: Session) -> tuple[list[str], list[str]]:
    """Return the categories and workflows that occur, for the filter menus."""
    categories = session.exec(select(Incident.category).distinct()).all()
    workflows = session.exec(
        select(Incident.workflow).where(col(Incident.workflow).is_not(None)).distinct()
    ).all()
    return sorted(str(c) for c in categories), sorted(str(w) for w in workflows)


@dataclass(frozen=True)
class IncidentDetail:
    """Everything the drill-down of one incident shows."""

    incident: Incident
    event: Event | None
    delivery: Delivery | None
    attempts: list[Attempt]
    dead_letter: DeadLetter | None
    proposals: list[Proposal]
    approvals: dict[int, list[Approval]]
    similar: list[IncidentRow]
    related_events: list[Event] = field(default_factory=list)
    """Other events of the same correlation id (newest 10)."""


def load_incident(session: Session, incident_id: int) -> IncidentDetail | None:
    """Return the drill-down of one incident, or `None` if it does not exist."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        return None
    event = session.get(Event, incident.event_id) if incident.event_id else None
    delivery = (
        session.get(Delivery, incident.delivery_id) if incident.delivery_id else None
    )
    attempts = _attempts(session, delivery.id) if delivery and delivery.id else []
    dead = (
        session.get(DeadLetter, incident.dead_letter_id)
        if incident.dead_letter_id
        else None
    )
    proposals = list(
        session.exec(
            select(Proposal)
            .where(Proposal.incident_id == incident_id)
            .order_by(col(Proposal.id))
        )
    )
    return IncidentDetail(
        incident=incident,
        event=event,
        delivery=delivery,
        attempts=attempts,
        dead_letter=dead,
        proposals=proposals,
        approvals=_approvals(session, [p.id for p in proposals if p.id]),
        similar=similar_incidents(session, incident),
        related_events=_related_events(session, event),
    )


def _attempts(session: Session, delivery_id: int) -> list[Attempt]:
    stmt = select(Attempt).where(Attempt.delivery_id == delivery_id)
    return list(session.exec(stmt.order_by(col(Attempt.number))))


def _approvals(session: Session, proposal_ids: list[int]) -> dict[int, list[Approval]]:
    result: dict[int, list[Approval]] = {pid: [] for pid in proposal_ids}
    if not proposal_ids:
        return result
    stmt = select(Approval).where(col(Approval.proposal_id).in_(proposal_ids))
    for approval in session.exec(stmt.order_by(col(Approval.id))):
        result[approval.proposal_id].append(approval)
    return result


def _related_events(session: Session, event: Event | None) -> list[Event]:
    if event is None or not event.correlation_id:
        return []
    stmt = (
        select(Event)
        .where(Event.correlation_id == event.correlation_id, Event.id != event.id)
        .order_by(col(Event.accepted_at).desc())
        .limit(10)
    )
    return list(session.exec(stmt))


def similar_incidents(
    session: Session, incident: Incident, *, limit: int = 5
) -> list[IncidentRow]:
    """Return past incidents with the same failure signature, newest first.

    This is the store's own answer; the agent's incident memory can stand in
    for it through `TuiContext.similar`.
    """
    if not incident.fingerprint:
        return []
    ids = session.exec(
        select(Incident.id)
        .where(Incident.fingerprint == incident.fingerprint, Incident.id != incident.id)
        .order_by(col(Incident.opened_at).desc())
        .limit(limit)
    ).all()
    return _rows_by_id(session, [i for i in ids if i is not None])


def _rows_by_id(session: Session, ids: list[int]) -> list[IncidentRow]:
    stmt = select(Incident).where(col(Incident.id).in_(ids))
    by_id = {i.id: i for i in session.exec(stmt)}
    return [_row(by_id[i]) for i in ids if i in by_id]


def _row(incident: Incident) -> IncidentRow:
    return IncidentRow(
        id=incident.id or 0,
        impact_score=incident.impact_score,
        category=str(incident.category),
        status=str(incident.status),
        workflow=incident.workflow,
        title=incident.title,
        customer=incident.customer,
        amount_at_risk=incident.amount_at_risk,
        currency=incident.currency,
        opened_at=as_utc(incident.opened_at) or incident.opened_at,
    )


# --- approvals ------------------------------------------------------------


@dataclass(frozen=True)
class WaitingProposal:
    """A proposal waiting at the gate, with the incident it would fix."""

    proposal: Proposal
    incident: Incident | None
    approvals: list[Approval]


def list_waiting_proposals(
    session: Session, *, limit: int = 200
) -> list[WaitingProposal]:
    """Return proposals waiting at the gate, worst incident first."""
    stmt = (
        select(Proposal, Incident)
        .join(Incident, col(Incident.id) == col(Proposal.incident_id), isouter=True)
        .where(col(Proposal.status).in_(WAITING_PROPOSAL))
        .order_by(func.coalesce(col(Incident.impact_score), 0).desc(), col(Proposal.id))
        .limit(limit)
    )
    pairs = list(session.exec(stmt))
    approvals = _approvals(session, [p.id for p, _ in pairs if p.id])
    return [
        WaitingProposal(proposal=p, incident=i, approvals=approvals.get(p.id or 0, []))
        for p, i in pairs
    ]


def load_proposal(session: Session, proposal_id: int) -> WaitingProposal | None:
    """Return one proposal with its incident and approvals so far."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        return None
    incident = (
        session.get(Incident, proposal.incident_id) if proposal.incident_id else None
    )
    approvals = _approvals(session, [proposal_id]).get(proposal_id, [])
    return WaitingProposal(proposal=proposal, incident=incident, approvals=approvals)


# --- events ---------------------------------------------------------------


def find_events(session: Session, term: str, *, limit: int = 100) -> list[Event]:
    """Return the events `term` names, newest first.

    `term` is matched exactly against the event id, the correlation id, the
    subject, and the customer or project of the event's incidents.
    """
    term = term.strip()
    if not term:
        stmt = select(Event).order_by(col(Event.accepted_at).desc()).limit(limit)
        return list(session.exec(stmt))
    by_incident = select(Incident.event_id).where(
        or_(col(Incident.customer) == term, col(Incident.project) == term),
        col(Incident.event_id).is_not(None),
    )
    stmt = (
        select(Event)
        .where(
            or_(
                col(Event.id) == term,
                col(Event.correlation_id) == term,
                col(Event.subject) == term,
                col(Event.id).in_(by_incident),
            )
        )
        .order_by(col(Event.accepted_at).desc())
        .limit(limit)
    )
    return list(session.exec(stmt))


@dataclass(frozen=True)
class DeliveryTrace:
    """One delivery of an event with its attempts."""

    delivery: Delivery
    attempts: list[Attempt]
    dead_letter: DeadLetter | None


@dataclass(frozen=True)
class EventTimeline:
    """One event's path: its deliveries, their attempts, its incidents."""

    event: Event
    deliveries: list[DeliveryTrace]
    incidents: list[IncidentRow]


def load_event_timeline(session: Session, event_id: str) -> EventTimeline | None:
    """Return the timeline of one event, or `None` if it does not exist."""
    event = session.get(Event, event_id)
    if event is None:
        return None
    deliveries = list(
        session.exec(
            select(Delivery)
            .where(Delivery.event_id == event_id)
            .order_by(col(Delivery.id))
        )
    )
    dead = {
        d.delivery_id: d
        for d in session.exec(select(DeadLetter).where(DeadLetter.event_id == event_id))
    }
    traces = [
        DeliveryTrace(d, _attempts(session, d.id or 0), dead.get(d.id or 0))
        for d in deliveries
    ]
    incidents = session.exec(
        select(Incident).where(Incident.event_id == event_id).order_by(col(Incident.id))
    )
    return EventTimeline(
        event=event, deliveries=traces, incidents=[_row(i) for i in incidents]
    )


# --- dead letters and audit ------------------------------------------------


def list_dead_letters(
    session: Session, *, include_replayed: bool = False, limit: int = 500
) -> list[DeadLetter]:
    """Return dead letters, newest first; replayed ones only when asked."""
    stmt = select(DeadLetter)
    if not include_replayed:
        stmt = stmt.where(col(DeadLetter.replayed_at).is_(None))
    stmt = stmt.order_by(col(DeadLetter.created_at).desc(), col(DeadLetter.id).desc())
    return list(session.exec(stmt.limit(limit)))


def list_audit_entries(
    session: Session, *, limit: int = 500, before_id: int | None = None
) -> list[AuditEntry]:
    """Return audit entries newest first, optionally older than `before_id`."""
    stmt = select(AuditEntry)
    if before_id is not None:
        stmt = stmt.where(col(AuditEntry.id) < before_id)
    return list(session.exec(stmt.order_by(col(AuditEntry.id).desc()).limit(limit)))
