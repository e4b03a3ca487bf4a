from datetime import date
from decimal import Decimal

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.incidents.assessment import assess, kind_of_event_type
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.store.db import create_schema, create_store_engine, session_scope
from opsgate.rules.store.tables import Event

TIMESHEET = {
    "source": "harvest",
    "source_key": "row-1",
    "work_date": "2026-11-12",
    "hours": "7.5",
    "hourly_rate": "180",
    "currency": "USD",
    "project_name": "Acme - cloud migration",
    "project_code": "P-01",
    "customer_name": "Acme Corporation",
    "billable": True,
}


def test_billable_time_blocks_an_invoice_worth_hours_times_rate():
    impact = assess("timesheet", TIMESHEET)

    assert impact.blocks == "invoice"
    assert impact.amount_at_risk == Decimal("1350.00")
    assert impact.project == "P-01"
    assert impact.due_date == date(2026, 12, 5)


def test_won_contract_blocks_project_creation_for_its_amount():
    impact = assess(
        "contract",
        {
            "name": "Acme - migration",
            "amount": "48000",
            "customer_name": "Acme",
            "start_date": "2026-11-02",
        },
    )

    assert (impact.blocks, impact.amount_at_risk, impact.customer) == (
        "project_creation",
        Decimal("48000"),
        "Acme",
    )


def test_event_type_names_the_canonical_kind():
    assert kind_of_event_type("opsgate.timesheet.approved") == "timesheet"
    assert kind_of_event_type("deal.propertyChange") is None


def test_incident_about_an_event_is_priced_from_its_canonical_object(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path}/store.db")
    create_schema(engine)
    with session_scope(engine) as session:
        session.add(
            Event(
                id="evt-1",
                source="harvest",
                source_event_id="row-1",
                type="opsgate.timesheet.approved",
                workflow="time-to-billing",
                raw_body=b"{}",
                data=TIMESHEET,
            )
        )
        session.flush()
        incident = open_incident(
            session,
            category=ErrorCategory.MISSING_REFERENCE,
            title="no project",
            event_id="evt-1",
        )

    assert incident.workflow == "time-to-billing"
    assert incident.customer == "Acme Corporation"
    assert incident.amount_at_risk == Decimal("1350.00")
    assert incident.impact_score > 0
