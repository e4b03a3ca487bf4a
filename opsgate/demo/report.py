"""The demo's closing report, read from the store the month left behind."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, func
from sqlmodel import col, select

from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import DeadLetter, Delivery, Event, Incident


@dataclass(frozen=True)
class TopIncident:
    """One of the incidents with the most money at risk."""

    id: int
    category: str
    title: str
    amount_at_risk: Decimal
    currency: str | None


@dataclass(frozen=True)
class DemoReport:
    """What the month did to the store."""

    events_accepted: int
    events_by_status: dict[str, int]
    events_by_workflow: dict[str, int]
    deliveries_delivered: int
    deliveries_retried: int
    dead_letters: int
    incidents_by_category: dict[str, int]
    top_incidents: list[TopIncident]
    time_entries_by_source: dict[str, int] = field(default_factory=dict)
    """Distinct time entries (entry keys) each time tool gave, however often."""
    tracker_webhooks: dict[str, int] = field(default_factory=dict)
    """Entry webhooks each time tracker sent."""
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds each phase took."""


def build_report(engine: Engine, *, phases: dict[str, float]) -> DemoReport:
    """Count what happened, from the store."""
    with session_scope(engine) as session:
        by_status = dict(
            session.exec(
                select(Event.status, func.count()).group_by(Event.status)
            ).all()
        )
        by_workflow = dict(
            session.exec(
                select(Event.workflow, func.count())
                .where(col(Event.workflow).is_not(None))
                .group_by(Event.workflow)
            ).all()
        )
        delivered = session.exec(
            select(func.count()).where(Delivery.status == DeliveryStatus.DELIVERED)
        ).one()
        retried = session.exec(
            select(func.count()).where(Delivery.attempt_count > 1)
        ).one()
        dead = session.exec(select(func.count()).select_from(DeadLetter)).one()
        by_category = dict(
            session.exec(
                select(Incident.category, func.count()).group_by(Incident.category)
            ).all()
        )
        entries = dict(
            session.exec(
                select(
                    Event.source,
                    func.count(
                        func.distinct(col(Event.data)["source_key"].as_string())
                    ),
                )
                .where(col(Event.type).startswith("opsgate.timesheet."))
                .group_by(Event.source)
            ).all()
        )
        webhooks = dict(
            session.exec(
                select(Event.source, func.count())
                .where(col(Event.type).startswith("opsgate.tracked_entry."))
                .group_by(Event.source)
            ).all()
        )
        top = session.exec(
            select(Incident)
            .where(col(Incident.amount_at_risk).is_not(None))
            .order_by(col(Incident.amount_at_risk).desc(), col(Incident.title))
            .limit(5)
        ).all()
    return DemoReport(
        events_accepted=sum(by_status.values()),
        events_by_status={str(k): v for k, v in by_status.items()},
        events_by_workflow={str(k): v for k, v in by_workflow.items()},
        deliveries_delivered=delivered,
        deliveries_retried=retried,
        dead_letters=dead,
        incidents_by_category={str(k): v for k, v in sorted(by_category.items())},
        top_incidents=[
            TopIncident(
                i.id or 0,
                str(i.category),
                i.title,
                i.amount_at_risk or Decimal(0),
                i.currency,
            )
            for i in top
        ],
        time_entries_by_source={str(k): v for k, v in sorted(entries.items())},
        tracker_webhooks={str(k): v for k, v in sorted(webhooks.items())},
        phases=phases,
    )


def print_report(report: DemoReport, console: Console) -> None:
    """Render the report as a few small tables."""
    flow = Table(title="The month through Opsgate", show_header=False)
    flow.add_row("events accepted", str(report.events_accepted))
    for status, count in sorted(report.events_by_status.items()):
        flow.add_row(f"  {status}", str(count))
    flow.add_row("deliveries delivered", str(report.deliveries_delivered))
    flow.add_row("deliveries retried", str(report.deliveries_retried))
    flow.add_row("dead letters", str(report.dead_letters))
    console.print(flow)
    workflows = Table(title="Events by workflow")
    workflows.add_column("workflow")
    workflows.add_column("events", justify="right")
    for name, count in sorted(report.events_by_workflow.items()):
        workflows.add_row(name, str(count))
    console.print(workflows)
    time = Table(title="Time entries by tool")
    time.add_column("tool")
    time.add_column("approved entries", justify="right")
    time.add_column("entry webhooks", justify="right")
    for tool, count in report.time_entries_by_source.items():
        time.add_row(tool, str(count), str(report.tracker_webhooks.get(tool, "–")))
    console.print(time)
    categories = Table(title="Incidents by category")
    categories.add_column("category")
    categories.add_column("incidents", justify="right")
    for name, count in report.incidents_by_category.items():
        categories.add_row(name, str(count))
    console.print(categories)
    top = Table(title="The five incidents with the most money at risk")
    top.add_column("id", justify="right")
    top.add_column("category")
    top.add_column("at risk", justify="right")
    top.add_column("what")
    for incident in report.top_incidents:
        money = f"{incident.amount_at_risk:,.2f} {incident.currency or ''}".strip()
        top.add_row(str(incident.id), incident.category, money, incident.title)
    console.print(top)
