import pytest
from sqlmodel import Session

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.gate import GateSettings, Role
from opsgate.rules.store.db import create_schema, create_store_engine
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import DeadLetter, Delivery, Event, Incident


@pytest.fixture
def engine(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'gate.db'}")
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def settings():
    return GateSettings(
        people={
            "ana": Role.APPROVER,
            "ben": Role.APPROVER,
            "olga": Role.OPERATOR,
            "vic": Role.VIEWER,
            "root": Role.ADMIN,
        },
        service_accounts={"engine": Role.OPERATOR, "ci-bot": Role.ADMIN},
    )


@pytest.fixture
def dead_letter(session):
    event = Event(
        id="evt-1",
        source="hubspot",
        source_event_id="deal-3001",
        type="opsgate.contract.won",
        raw_body=b"{}",
        data={"name": "Acme"},
    )
    session.add(event)
    session.flush()
    delivery = Delivery(
        event_id="evt-1",
        target="odoo",
        operation="upsert:res.partner",
        idempotency_key="evt-1:odoo",
        payload={"name": "Acme", "country_id": "XX"},
        status=DeliveryStatus.DEAD,
        attempt_count=3,
    )
    session.add(delivery)
    session.flush()
    dead = DeadLetter(
        delivery_id=delivery.id,
        event_id="evt-1",
        target="odoo",
        category=ErrorCategory.MISSING_REFERENCE,
        reason="no country XX",
    )
    session.add(dead)
    session.flush()
    incident = Incident(
        category=ErrorCategory.MISSING_REFERENCE,
        title="Odoo has no country 'XX'.",
        event_id="evt-1",
        delivery_id=delivery.id,
        dead_letter_id=dead.id,
    )
    session.add(incident)
    session.commit()
    return dead
