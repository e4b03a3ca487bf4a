from pathlib import Path

import pytest
from sqlmodel import Session, select

from opsgate.rules.accept import AcceptOutcome, AcceptRequest, accept, accept_many
from opsgate.rules.audit.chain import verify
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import AuditEntry, Event, Incident, QuarantinedInput

FIXTURES = Path(__file__).parents[2] / "fixtures" / "webhooks"
STRIPE_BODY = (
    FIXTURES / "stripe-invoice-payment-succeeded-live-basil.json"
).read_bytes()


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([])


def test_accepted_body_is_stored_exactly_as_received(store_engine, catalog):
    with session_scope(store_engine) as session:
        result = accept(
            session, catalog, source="stripe", body=STRIPE_BODY, channel="import"
        )

    with Session(store_engine) as session:
        event = session.get(Event, result.event_id)
        audit = session.exec(select(AuditEntry)).all()
    assert result.outcome is AcceptOutcome.ACCEPTED
    assert event.raw_body == STRIPE_BODY
    assert event.status == EventStatus.ACCEPTED
    assert event.source_event_id == "evt_1SVC8JFAKEx1x2AB2WgGoBj8"
    assert event.type == "invoice.payment_succeeded"
    assert event.correlation_id == "cus_FAKE0000000001"
    assert [entry.action for entry in audit] == ["event.accepted"]


def test_same_source_event_id_twice_is_one_event(store_engine, catalog):
    with session_scope(store_engine) as session:
        first = accept(session, catalog, source="stripe", body=STRIPE_BODY)
    with session_scope(store_engine) as session:
        second = accept(session, catalog, source="stripe", body=STRIPE_BODY)

    with Session(store_engine) as session:
        events = session.exec(select(Event)).all()
    assert second.outcome is AcceptOutcome.DUPLICATE
    assert second.event_id == first.event_id
    assert len(events) == 1


def test_duplicates_inside_one_batch_are_one_event(store_engine, catalog):
    requests = [
        AcceptRequest("standard", b'{"n": 1}', message_id="m-1"),
        AcceptRequest("standard", b'{"n": 1}', message_id="m-1"),
        AcceptRequest("standard", b'{"n": 2}', message_id="m-2"),
    ]

    with session_scope(store_engine) as session:
        results = accept_many(session, catalog, requests)

    assert [r.outcome for r in results] == [
        AcceptOutcome.ACCEPTED,
        AcceptOutcome.DUPLICATE,
        AcceptOutcome.ACCEPTED,
    ]
    assert results[0].event_id == results[1].event_id != results[2].event_id
    with Session(store_engine) as session:
        assert verify(session).ok


def test_malformed_json_is_quarantined_with_an_incident(store_engine, catalog):
    body = b'{"type": "customer.upserted", "data": {'

    with session_scope(store_engine) as session:
        result = accept(
            session, catalog, source="standard", body=body, message_id="m-9"
        )

    with Session(store_engine) as session:
        kept = session.get(QuarantinedInput, result.quarantine_id)
        incident = session.get(Incident, result.incident_id)
        events = session.exec(select(Event)).all()
    assert result.outcome is AcceptOutcome.QUARANTINED
    assert kept.raw_body == body
    assert kept.location == "line 1, column 40"
    assert incident.category == "validation"
    assert "is not valid JSON" in incident.title
    assert events == []


def test_unreadable_event_id_is_quarantined_as_a_mapping_problem(store_engine, catalog):
    body = b'{"type": "invoice.paid", "id": {"nested": true}}'

    with session_scope(store_engine) as session:
        result = accept(session, catalog, source="stripe", body=body)

    assert result.outcome is AcceptOutcome.QUARANTINED
    assert result.category == "mapping"
    assert "at id: expected a text or number for the event id" in result.reason


def test_body_without_any_id_is_keyed_by_its_hash(store_engine, catalog):
    with session_scope(store_engine) as session:
        first = accept(session, catalog, source="standard", body=b'{"n": 1}')
        second = accept(session, catalog, source="standard", body=b'{"n": 1}')

    assert first.source_event_id.startswith("sha256:")
    assert second.outcome is AcceptOutcome.DUPLICATE
