"""Build a deterministic store for the TUI's tests, snapshots, demo and bench.

`build_fixture_store(engine)` writes a small firm's day: events across four
workflows, their deliveries and attempts, dead letters, incidents ranked by
impact, proposals with previews, approvals and a hash-chained audit log. The
same seed always writes the same rows, relative to `FIXTURE_NOW`.
`add_bulk_incidents` adds many plain incidents quickly, for the benchmark.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

from sqlalchemy import Engine, insert
from sqlmodel import Session

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.audit import chain
from opsgate.rules.audit.chain import record
from opsgate.rules.gate import GateSettings, Role, propose
from opsgate.rules.incidents.impact import impact_score
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import (
    AttemptOutcome,
    DeliveryStatus,
    EventStatus,
    IncidentStatus,
    ProposalKind,
)
from opsgate.rules.store.tables import (
    Attempt,
    DeadLetter,
    Delivery,
    Event,
    Incident,
)

FIXTURE_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
"""The instant the fixture's day ends; the TUI under test uses it as now."""

FIXTURE_GATE = GateSettings(
    people={
        "ana": Role.APPROVER,
        "ben": Role.APPROVER,
        "oli": Role.OPERATOR,
        "vic": Role.VIEWER,
    }
)
"""Who may decide in the fixture: two approvers, an operator and a viewer."""

WORKFLOWS = (
    "lead-to-project",
    "staffing-to-delivery",
    "time-to-billing",
    "contract-to-cash",
)
CUSTOMERS = (
    "Acme Consulting GmbH",
    "Globex Partners",
    "Initech Advisory",
    "Umbrella Health",
    "Stark Engineering",
    "Wayne Logistics",
    "Hooli Digital",
    "Vandelay Imports",
)
EVENT_TYPES = {
    "lead-to-project": ("hubspot", "opsgate.contract.won", "project"),
    "staffing-to-delivery": ("bamboohr", "opsgate.consultant.assigned", "consultant"),
    "time-to-billing": ("harvest", "opsgate.timesheet.approved", "timesheet"),
    "contract-to-cash": ("odoo", "opsgate.invoice.posted", "invoice"),
}
FAILURES = (
    (
        ErrorCategory.MISSING_REFERENCE,
        "invoice",
        "Odoo rejected account.move for {customer}: no partner with external id "
        "'opsgate.hubspot_company_{n}'.",
    ),
    (
        ErrorCategory.VALIDATION,
        "timesheet",
        "Odoo rejected account.analytic.line for {customer}: unit_amount must be "
        "positive, got -{n}.",
    ),
    (
        ErrorCategory.MAPPING,
        "project_creation",
        "Mapping hubspot.deal->project failed at data.properties.amount for "
        "{customer}: expected a decimal, got 'TBD'.",
    ),
    (
        ErrorCategory.PERMISSION,
        "payment_status",
        "Odoo denied write on account.payment for {customer}: user 'opsgate-sync' "
        "lacks group account.group_account_manager.",
    ),
    (
        ErrorCategory.TIMEOUT,
        "timesheet",
        "Harvest pull of time entries for {customer} timed out after 10.0 s.",
    ),
    (
        ErrorCategory.CONFLICT,
        "master_data",
        "CRM tried to update res.partner.vat for {customer}, which Odoo owns.",
    ),
    (
        ErrorCategory.DUPLICATE,
        "invoice",
        "Odoo refused a second invoice INV/2026/{n:04d} for {customer}.",
    ),
)


def build_fixture_store(
    engine: Engine, *, now: datetime = FIXTURE_NOW, seed: int = 7, events: int = 160
) -> None:
    """Write the fixture's rows into an empty store (schema already created)."""
    rng = random.Random(seed)
    with _audit_clock(now - timedelta(hours=2)), session_scope(engine) as session:
        record(session, actor="engine", action="store.initialised", subject=None)
        dead_letters: list[tuple[Event, Delivery, DeadLetter]] = []
        for index in range(events):
            made = _event_with_deliveries(session, rng, index, now)
            if made is not None:
                dead_letters.append(made)
        for number, (event, delivery, dead) in enumerate(dead_letters):
            _incident_for(session, rng, number, event, delivery, dead, now)
        _extra_incidents(session, rng, now)


@contextmanager
def _audit_clock(start: datetime) -> Iterator[None]:
    """Stamp audit entries one second apart from `start`, so hashes repeat."""
    ticks = count()
    original = chain.utcnow
    chain.utcnow = lambda: start + timedelta(seconds=next(ticks))  # type: ignore[assignment]
    try:
        yield
    finally:
        chain.utcnow = original  # type: ignore[assignment]


def _event_with_deliveries(
    session: Session, rng: random.Random, index: int, now: datetime
) -> tuple[Event, Delivery, DeadLetter] | None:
    workflow = WORKFLOWS[index % len(WORKFLOWS)]
    source, kind, obj = EVENT_TYPES[workflow]
    customer = CUSTOMERS[rng.randrange(len(CUSTOMERS))]
    accepted = now - timedelta(minutes=rng.randrange(0, 24 * 60))
    data = {"object": obj, "customer": customer, "amount": rng.randrange(500, 40000)}
    event = Event(
        id=f"evt-{index:05d}",
        source=source,
        source_event_id=f"{source}-{100000 + index}",
        type=kind,
        subject=customer,
        time=accepted - timedelta(seconds=30),
        accepted_at=accepted,
        correlation_id=f"corr-{index // 3:04d}",
        schema_version="1",
        workflow=workflow,
        status=EventStatus.ROUTED,
        content_type="application/json",
        raw_body=json.dumps({"id": f"{source}-{100000 + index}", **data}).encode(),
        raw_headers={"content-type": "application/json", "webhook-id": f"msg_{index}"},
        data=data,
    )
    session.add(event)
    session.flush()
    fate = rng.random()
    delivery = Delivery(
        event_id=event.id,
        target="odoo",
        operation=f"upsert:{_odoo_model(obj)}",
        idempotency_key=f"{event.id}:odoo",
        payload={"model": _odoo_model(obj), "values": data},
        created_at=accepted,
    )
    session.add(delivery)
    session.flush()
    if fate < 0.78:
        _attempt(session, delivery, 1, accepted, AttemptOutcome.SUCCEEDED)
        delivery.status = DeliveryStatus.DELIVERED
        delivery.attempt_count = 1
        delivery.delivered_at = accepted + timedelta(seconds=2)
        return None
    if fate < 0.88:
        delivery.status = (
            DeliveryStatus.PENDING if fate < 0.83 else DeliveryStatus.RETRYING
        )
        if delivery.status == DeliveryStatus.RETRYING:
            _attempt(session, delivery, 1, accepted, AttemptOutcome.TIMED_OUT)
            delivery.attempt_count = 1
            delivery.last_error_category = ErrorCategory.TIMEOUT
        return None
    return event, delivery, _dead_letter(session, rng, delivery, event, accepted)


def _odoo_model(obj: str) -> str:
    return {
        "project": "project.project",
        "consultant": "hr.employee",
        "timesheet": "account.analytic.line",
        "invoice": "account.move",
    }[obj]


def _attempt(
    session: Session,
    delivery: Delivery,
    number: int,
    at: datetime,
    outcome: AttemptOutcome,
    category: ErrorCategory | None = None,
    message: str | None = None,
) -> None:
    session.add(
        Attempt(
            delivery_id=delivery.id or 0,
            number=number,
            worker="worker-1",
            started_at=at + timedelta(seconds=number * 30),
            finished_at=at + timedelta(seconds=number * 30 + 1),
            outcome=outcome,
            error_category=category,
            error_message=message,
            retryable=category is not None and category == ErrorCategory.TIMEOUT,
            fault=(
                {"code": 200, "message": "Odoo Server Error", "data": {"name": message}}
                if message
                else None
            ),
        )
    )


def _dead_letter(
    session: Session,
    rng: random.Random,
    delivery: Delivery,
    event: Event,
    at: datetime,
) -> DeadLetter:
    category, _blocks, template = FAILURES[rng.randrange(len(FAILURES))]
    message = template.format(customer=event.subject, n=rng.randrange(1000, 9999))
    for number in (1, 2, 3):
        _attempt(
            session, delivery, number, at, AttemptOutcome.FAILED, category, message
        )
    delivery.status = DeliveryStatus.DEAD
    delivery.attempt_count = 3
    delivery.last_error_category = category
    dead = DeadLetter(
        delivery_id=delivery.id or 0,
        event_id=event.id,
        target=delivery.target,
        category=category,
        reason=message,
        created_at=at + timedelta(minutes=2),
    )
    session.add(dead)
    session.flush()
    record(
        session,
        actor="engine",
        action="delivery.dead_lettered",
        subject=f"delivery:{delivery.id}",
        detail={"category": category.value},
    )
    return dead


def _incident_for(
    session: Session,
    rng: random.Random,
    number: int,
    event: Event,
    delivery: Delivery,
    dead: DeadLetter,
    now: datetime,
) -> None:
    blocks = next(b for c, b, _ in FAILURES if c == dead.category)
    amount = Decimal(rng.randrange(800, 48000))
    due = (now + timedelta(days=rng.randrange(-3, 20))).date()
    incident = Incident(
        category=dead.category,
        status=IncidentStatus.OPEN if number % 5 else IncidentStatus.ACKNOWLEDGED,
        title=dead.reason[:200],
        detail=dead.reason,
        fingerprint=f"{dead.category.value}:{delivery.operation}",
        workflow=event.workflow,
        source=event.source,
        target=delivery.target,
        event_id=event.id,
        delivery_id=delivery.id,
        dead_letter_id=dead.id,
        opened_at=dead.created_at,
        blocks=blocks,
        customer=event.subject,
        project=f"{event.subject} rollout",
        amount_at_risk=amount,
        currency="EUR",
        due_date=due,
        impact_score=impact_score(
            blocks=blocks,
            amount_at_risk=amount,
            hours_at_risk=None,
            due_date=due,
            today=now.date(),
        ),
        context={
            "classification": {
                "category": dead.category.value,
                "confidence": round(0.7 + rng.random() * 0.29, 2),
                "method": "rules" if number % 2 else "model",
            },
            "related": {"odoo_partner": f"res.partner,{4000 + number}"},
        },
    )
    session.add(incident)
    session.flush()
    record(
        session,
        actor="engine",
        action="incident.opened",
        subject=f"incident:{incident.id}",
        detail={"category": dead.category.value},
    )
    if number % 4 != 3:
        _proposal(session, rng, number, incident, delivery, dead)


def _proposal(
    session: Session,
    rng: random.Random,
    number: int,
    incident: Incident,
    delivery: Delivery,
    dead: DeadLetter,
) -> None:
    kinds = (
        ProposalKind.RETRY,
        ProposalKind.REPLAY_WITH_PATCH,
        ProposalKind.CREATE_REFERENCE,
    )
    kind = kinds[number % len(kinds)]
    params: dict[str, object] = {"dead_letter_id": dead.id}
    if kind is ProposalKind.REPLAY_WITH_PATCH:
        params["patch"] = [
            {
                "op": "add",
                "path": "/values/partner_ref",
                "value": f"opsgate.hubspot_company_{1000 + number}",
            }
        ]
    elif kind is ProposalKind.CREATE_REFERENCE:
        params = {
            "event_id": delivery.event_id,
            "target": "odoo",
            "operation": "upsert:res.partner",
            "row": {"name": incident.customer, "is_company": True},
            "replay_delivery_ids": [delivery.id],
        }
    proposal = propose(
        session,
        kind=kind,
        summary=_summary(kind, incident),
        record_ref=f"dead_letter:{dead.id}",
        params=params,
        incident_id=incident.id,
        rationale=f"Classified {dead.category.value} from the Odoo fault; "
        f"{rng.randrange(2, 9)} similar incidents were fixed this way.",
        settings=FIXTURE_GATE,
    )
    proposal.created_at = dead.created_at + timedelta(minutes=1)


def _summary(kind: ProposalKind, incident: Incident) -> str:
    if kind is ProposalKind.RETRY:
        return f"Retry the delivery for {incident.customer} now that Odoo answers."
    if kind is ProposalKind.REPLAY_WITH_PATCH:
        return f"Replay with the partner reference set for {incident.customer}."
    return f"Create the missing partner {incident.customer!r} in Odoo, then replay."


def _extra_incidents(session: Session, rng: random.Random, now: datetime) -> None:
    held = Incident(
        category=ErrorCategory.DATA_QUALITY,
        title="Contract for Hooli Digital held: legal entity not mapped to an Odoo company.",
        workflow="contract-to-cash",
        control="legal_entity_mapped",
        blocks="invoice",
        customer="Hooli Digital",
        amount_at_risk=Decimal("125000"),
        currency="EUR",
        opened_at=now - timedelta(hours=30),
        due_date=(now - timedelta(days=1)).date(),
        fingerprint="data_quality:legal_entity_mapped",
        impact_score=impact_score(
            blocks="invoice",
            amount_at_risk=Decimal("125000"),
            hours_at_risk=None,
            due_date=(now - timedelta(days=1)).date(),
            today=now.date(),
        ),
    )
    resolved = Incident(
        category=ErrorCategory.DATA_QUALITY,
        status=IncidentStatus.RESOLVED,
        title="Contract for Hooli Digital held last month: legal entity missing.",
        workflow="contract-to-cash",
        fingerprint="data_quality:legal_entity_mapped",
        opened_at=now - timedelta(days=33),
        resolved_at=now - timedelta(days=32),
        resolution="Mapped Hooli Digital Inc. to company 3.",
        impact_score=20.0 + rng.random(),
    )
    session.add(held)
    session.add(resolved)
    session.flush()
    propose(
        session,
        kind=ProposalKind.ADD_MAPPING,
        summary="Map legal entity 'Hooli Digital Inc.' to Odoo company 3, then "
        "release the held contract.",
        record_ref=f"incident:{held.id}",
        params={
            "namespace": "legal_entity",
            "source_value": "Hooli Digital Inc.",
            "target_value": "res.company,3",
        },
        incident_id=held.id,
        rationale="Last month's incident with the same signature was resolved by "
        "mapping Hooli Digital Inc. to company 3.",
        settings=FIXTURE_GATE,
    )


def add_bulk_incidents(
    engine: Engine, count: int, *, now: datetime = FIXTURE_NOW, seed: int = 11
) -> None:
    """Insert `count` plain incidents in batches (for the benchmark)."""
    rng = random.Random(seed)
    statuses = (IncidentStatus.OPEN,) * 6 + (
        IncidentStatus.ACKNOWLEDGED,
        IncidentStatus.RESOLVED,
        IncidentStatus.RESOLVED,
    )
    batch: list[dict[str, object]] = []
    with engine.begin() as conn:
        for index in range(count):
            category, blocks, template = FAILURES[index % len(FAILURES)]
            customer = CUSTOMERS[rng.randrange(len(CUSTOMERS))]
            amount = Decimal(rng.randrange(100, 90000))
            batch.append(
                {
                    "category": category,
                    "status": statuses[rng.randrange(len(statuses))],
                    "title": template.format(customer=customer, n=index % 10000),
                    "workflow": WORKFLOWS[index % len(WORKFLOWS)],
                    "fingerprint": f"{category.value}:bulk{index % 50}",
                    "customer": customer,
                    "blocks": blocks,
                    "amount_at_risk": amount,
                    "currency": "EUR",
                    "opened_at": now
                    - timedelta(minutes=rng.randrange(0, 60 * 24 * 90)),
                    "impact_score": round(rng.random() * 80, 3),
                }
            )
            if len(batch) == 5000:
                conn.execute(insert(Incident), batch)
                batch = []
        if batch:
            conn.execute(insert(Incident), batch)


def main() -> None:
    """Write a fixture store ending now: `python tests/tui/fixture_store.py PATH`."""
    import sys

    from opsgate.rules.store.db import create_schema, create_store_engine

    engine = create_store_engine(f"sqlite:///{sys.argv[1]}")
    create_schema(engine)
    build_fixture_store(engine, now=datetime.now(UTC))


if __name__ == "__main__":
    main()
