import json
import threading
from pathlib import Path

import pytest
from sqlmodel import Session, select

from opsgate.logs import configure_logging
from opsgate.rules.accept import accept
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.routing import stage
from opsgate.rules.routing.ownership import SystemsOfRecord
from opsgate.rules.routing.stage import route_batch, run_routing
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import Delivery, Event, Incident
from opsgate.rules.workflows.controls import WorkflowControls
from opsgate.settings import LoggingSettings

FIXTURES = Path(__file__).parents[2] / "fixtures" / "webhooks"
STRIPE = json.loads(
    (FIXTURES / "stripe-invoice-payment-succeeded-live-basil.json").read_bytes()
)
NOBODY_OWNS = SystemsOfRecord()


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([])


def accept_json(engine, catalog, source, payload, message_id=None):
    with session_scope(engine) as session:
        return accept(
            session,
            catalog,
            source=source,
            body=json.dumps(payload).encode(),
            message_id=message_id,
        ).event_id


def route(engine, catalog, systems=NOBODY_OWNS):
    with session_scope(engine) as session:
        return route_batch(session, catalog, systems)


def stored(engine, event_id):
    with Session(engine) as session:
        event = session.get(Event, event_id)
        deliveries = session.exec(
            select(Delivery).where(Delivery.event_id == event_id)
        ).all()
        incidents = session.exec(
            select(Incident).where(Incident.event_id == event_id)
        ).all()
    return event, deliveries, incidents


def test_stripe_payment_is_mapped_and_kept_without_a_write(store_engine, catalog):
    event_id = accept_json(store_engine, catalog, "stripe", STRIPE)

    report = route(store_engine, catalog)

    event, deliveries, incidents = stored(store_engine, event_id)
    assert report.routed == 1
    assert event.status == EventStatus.ROUTED
    assert event.type == "opsgate.payment.received"
    assert event.workflow == "contract-to-cash"
    assert event.data["amount"] == "29.9"
    # Odoo owns payments: a Stripe payment is kept as an event, sent nowhere.
    assert [(d.target, d.operation) for d in deliveries] == [("null", "keep")]
    assert deliveries[0].idempotency_key == f"{event_id}:null:keep"
    assert (
        deliveries[0].payload["external_id"]
        == "opsgate.stripe_payment_in_1SVC87FAKEx1x2ABdHAlqDva"
    )
    assert incidents == []


FAN_OUT = """
source: fanout
signature: none
event:
  id: id
  type: type
mappings:
  - name: project
    canonical: project
    copy: data
    routes:
      - {target: odoo, operation: "upsert:project.project"}
      - {target: hubspot, operation: "update:project"}
"""


def test_one_event_fans_out_to_every_route(store_engine, tmp_path):
    (tmp_path / "fanout.yaml").write_text(FAN_OUT)
    catalog = load_catalog([tmp_path], include_shipped=False)
    project = {
        "id": "p-1",
        "type": "project.created",
        "data": {"source": "fanout", "source_key": "p-1", "name": "Acme"},
    }
    event_id = accept_json(store_engine, catalog, "fanout", project)

    route(store_engine, catalog)

    _, deliveries, _ = stored(store_engine, event_id)
    assert sorted((d.target, d.operation) for d in deliveries) == [
        ("hubspot", "update:project"),
        ("odoo", "upsert:project.project"),
    ]


def test_mapping_failure_rejects_the_event_with_a_mapping_incident(
    store_engine, catalog
):
    bad = json.loads(json.dumps(STRIPE))
    bad["data"]["object"]["amount_paid"] = "TBD"
    event_id = accept_json(store_engine, catalog, "stripe", bad)

    report = route(store_engine, catalog)

    event, deliveries, incidents = stored(store_engine, event_id)
    assert report.rejected == 1
    assert event.status == EventStatus.REJECTED
    assert event.raw_body == json.dumps(bad).encode()
    assert deliveries == []
    assert incidents[0].category == "mapping"
    assert incidents[0].title == (
        "Mapping stripe.invoice_paid→payment failed at data.object.amount_paid: "
        "expected a decimal, got 'TBD'."
    )
    assert incidents[0].context == {"path": "data.object.amount_paid", "value": "'TBD'"}


def test_invalid_canonical_object_rejects_with_a_validation_incident(
    store_engine, catalog
):
    customer = {
        "type": "customer.upserted",
        "data": {"source_key": "c-1", "name": "Acme", "email": "not-an-email"},
    }
    event_id = accept_json(store_engine, catalog, "standard", customer, "m-2")

    route(store_engine, catalog)

    event, _, incidents = stored(store_engine, event_id)
    assert event.status == EventStatus.REJECTED
    assert incidents[0].category == "validation"
    assert "failed at email (from data.email)" in incidents[0].title
    assert "got 'not-an-email'" in incidents[0].title


def test_update_to_a_field_another_system_owns_is_a_conflict(store_engine, catalog):
    customer = {
        "type": "customer.upserted",
        "data": {"source_key": "c-1", "name": "Acme", "account_status": "overdue"},
    }
    event_id = accept_json(store_engine, catalog, "standard", customer, "m-3")
    systems = SystemsOfRecord(owners={"customer.account_status": "odoo"})

    route(store_engine, catalog, systems)

    event, deliveries, incidents = stored(store_engine, event_id)
    assert event.status == EventStatus.REJECTED
    assert deliveries == []
    assert incidents[0].category == "conflict"
    assert "may not set customer.account_status (owned by 'odoo')" in incidents[0].title


def test_fields_the_source_owns_pass_the_ownership_check(store_engine, catalog):
    customer = {
        "type": "customer.upserted",
        "data": {"source_key": "c-1", "name": "Acme"},
    }
    event_id = accept_json(store_engine, catalog, "standard", customer, "m-4")
    systems = SystemsOfRecord(
        owners={"customer": "standard", "customer.account_status": "odoo"}
    )

    route(store_engine, catalog, systems)

    assert stored(store_engine, event_id)[0].status == EventStatus.ROUTED


def test_event_no_mapping_applies_to_is_ignored(store_engine, catalog):
    event_id = accept_json(
        store_engine, catalog, "standard", {"test": 2432232314}, "m-5"
    )

    report = route(store_engine, catalog)

    assert report.ignored == 1
    assert stored(store_engine, event_id)[0].status == EventStatus.IGNORED


def test_routing_loop_routes_then_stops_when_told(sqlite_engine, catalog):
    event_id = accept_json(sqlite_engine, catalog, "stripe", STRIPE)
    stop = threading.Event()
    loop = threading.Thread(
        target=run_routing,
        args=(sqlite_engine, catalog, NOBODY_OWNS, stop),
        kwargs={"poll_interval_s": 0.01},
    )

    loop.start()
    for _ in range(500):
        if stored(sqlite_engine, event_id)[0].status != EventStatus.ACCEPTED:
            break
        stop.wait(0.01)
    stop.set()
    loop.join(timeout=10)

    assert not loop.is_alive()
    assert stored(sqlite_engine, event_id)[0].status == EventStatus.ROUTED


def contract_controls(controls, canonical):
    return WorkflowControls({"Opsgate Demo GmbH": 1})(controls, canonical)


def test_event_failing_a_workflow_control_is_held_with_an_incident(
    store_engine, catalog
):
    contract = {
        "type": "contract.won",
        "data": {"source_key": "d-9", "name": "Acme SOW"},
    }
    event_id = accept_json(store_engine, catalog, "standard", contract, "m-9")

    with session_scope(store_engine) as session:
        report = route_batch(session, catalog, NOBODY_OWNS, controls=contract_controls)

    event, deliveries, incidents = stored(store_engine, event_id)
    assert report.held == 1
    assert event.status == EventStatus.HELD
    assert event.data["name"] == "Acme SOW"
    assert deliveries == []
    assert sorted(i.control for i in incidents) == [
        "contract_complete",
        "legal_entity_mapped",
    ]


def test_event_passing_its_controls_is_routed(store_engine, catalog):
    contract = {
        "type": "contract.won",
        "data": {
            "source_key": "d-10",
            "name": "Acme SOW",
            "amount": "12000",
            "billing_type": "fixed_price",
            "start_date": "2027-01-04",
            "sow_signed": True,
            "legal_entity": "Opsgate Demo GmbH",
        },
    }
    event_id = accept_json(store_engine, catalog, "standard", contract, "m-10")

    with session_scope(store_engine) as session:
        route_batch(session, catalog, NOBODY_OWNS, controls=contract_controls)

    assert stored(store_engine, event_id)[0].status == EventStatus.ROUTED


def test_a_defect_on_one_event_rejects_it_and_the_loop_routes_the_rest(
    sqlite_engine, catalog, monkeypatch
):
    good = accept_json(sqlite_engine, catalog, "stripe", STRIPE)
    bad = accept_json(sqlite_engine, catalog, "standard", {"type": "customer.x"}, "m-x")
    real_decide = stage.decide

    def flaky(*args, **kwargs):
        if kwargs["event_id"] == bad:
            raise RuntimeError("defect")
        return real_decide(*args, **kwargs)

    monkeypatch.setattr(stage, "decide", flaky)
    # Plain JSON tracebacks: the default console renderer prints every local.
    configure_logging(LoggingSettings(level="WARNING"))
    stop = threading.Event()
    loop = threading.Thread(
        target=run_routing,
        args=(sqlite_engine, catalog, NOBODY_OWNS, stop),
        kwargs={"poll_interval_s": 0.01},
    )

    loop.start()
    for _ in range(500):
        if stored(sqlite_engine, bad)[0].status != EventStatus.ACCEPTED:
            break
        stop.wait(0.01)
    stop.set()
    loop.join(timeout=10)

    assert stored(sqlite_engine, good)[0].status == EventStatus.ROUTED
    event, _, incidents = stored(sqlite_engine, bad)
    assert event.status == EventStatus.REJECTED
    assert incidents[0].category == "unknown"
    assert "RuntimeError('defect')" in incidents[0].title
