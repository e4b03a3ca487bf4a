"""Seed a store with one dead-lettered delivery and its incident."""

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.gate import GateSettings, Role
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import AttemptOutcome, DeliveryStatus
from opsgate.rules.store.tables import Attempt, DeadLetter, Delivery, Event, Incident

GATE = GateSettings(
    people={"ana": Role.APPROVER, "ben": Role.APPROVER, "vic": Role.VIEWER}
)


def seed_incident(
    engine,
    *,
    message="HubSpot answered 429: You have reached your ten_secondly_rolling limit.",
    name="hubspot.pull",
    http_status=429,
    category=ErrorCategory.RATE_LIMIT,
    payload=None,
    customer="Northwind Traders",
    key="1",
):
    with session_scope(engine) as session:
        session.add(
            Event(
                id=f"evt-{key}",
                source="hubspot",
                source_event_id=f"deal-{key}",
                type="opsgate.contract.won",
                raw_body=b"{}",
                data={"name": customer},
            )
        )
        session.flush()
        delivery = Delivery(
            event_id=f"evt-{key}",
            target="odoo",
            operation="load:res.partner",
            idempotency_key=f"evt-{key}:odoo",
            payload=payload or {"name": customer},
            status=DeliveryStatus.DEAD,
            attempt_count=3,
        )
        session.add(delivery)
        session.flush()
        session.add(
            Attempt(
                delivery_id=delivery.id,
                number=3,
                outcome=AttemptOutcome.FAILED,
                error_category=category,
                error_message=message,
                fault={"name": name, "message": message, "http_status": http_status},
            )
        )
        dead = DeadLetter(
            delivery_id=delivery.id,
            event_id=f"evt-{key}",
            target="odoo",
            category=category,
            reason=message,
        )
        session.add(dead)
        session.flush()
        incident = Incident(
            category=category,
            title=f"Odoo refused load:res.partner for hubspot ({customer}): {message}",
            detail=message,
            source="hubspot",
            target="odoo",
            event_id=f"evt-{key}",
            delivery_id=delivery.id,
            dead_letter_id=dead.id,
            customer=customer,
            blocks="project_creation",
        )
        session.add(incident)
        session.flush()
        return incident.id, delivery.id
