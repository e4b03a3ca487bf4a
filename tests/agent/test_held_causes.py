"""Time refused for a project a held deal would create points at the hold."""

from sqlmodel import select

from opsgate.agent.classify.classifier import Classifier
from opsgate.agent.classify.model import TriageModel
from opsgate.agent.context import gather_facts
from opsgate.agent.remedy import choose_remedy
from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.delivery.outbox import enqueue
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import DeliveryStatus, ProposalKind
from opsgate.rules.store.tables import DeadLetter, Delivery, Event


def classify(facts):
    return Classifier(TriageModel.load()).classify(facts)


def open_two(engine, *, hold_status_resolved: bool = False):
    with session_scope(engine) as session:
        hold = open_incident(
            session,
            category=ErrorCategory.VALIDATION,
            title="Contract hubspot:3008 ('Wayne Foods - pricing analytics') is not "
            "complete: missing a signed statement of work.",
            fingerprint="control:contract_complete",
            workflow="lead-to-project",
            control="contract_complete",
            source="hubspot",
            blocks="project_creation",
            customer="Wayne Foods",
            project="P-08",
        )
        time = open_incident(
            session,
            category=ErrorCategory.MISSING_REFERENCE,
            title="Time-to-billing refuses time entries: no Odoo project is mapped "
            "to project 'P-08'.",
            fingerprint="time-to-billing:no_project:P-08",
            workflow="time-to-billing",
            source="harvest",
            target="odoo",
            blocks="invoice",
            customer="Wayne Foods",
            project="P-08",
            context={
                "fault": {
                    "message": "Timesheet harvest:k-1 of 2026-11-03 refused: no Odoo "
                    "project is mapped to project 'P-08'."
                }
            },
        )
        if hold_status_resolved:
            hold.status = "resolved"
            session.add(hold)
        return hold.id, time.id


def test_refused_time_on_a_held_deals_project_escalates_to_the_hold(engine):
    hold_id, time_id = open_two(engine)
    with session_scope(engine) as session:
        facts = gather_facts(session, time_id)

    classification = classify(facts)
    remedy = choose_remedy(classification, facts)

    assert facts.held_by == [
        {
            "incident_id": hold_id,
            "control": "contract_complete",
            "title": facts.held_by[0]["title"],
        }
    ]
    assert classification.category == "missing_reference"
    assert remedy.kind is ProposalKind.ESCALATE
    assert remedy.params["held_by"] == [hold_id]
    assert f"incident {hold_id} (contract_complete)" in remedy.summary
    assert "opsgate release" in remedy.summary


def test_a_resolved_hold_no_longer_redirects_the_remedy(engine):
    _, time_id = open_two(engine, hold_status_resolved=True)
    with session_scope(engine) as session:
        facts = gather_facts(session, time_id)

    remedy = choose_remedy(classify(facts), facts)

    assert facts.held_by == []
    assert "held deal" not in remedy.summary


def test_a_controls_finding_is_worded_as_the_control_not_as_bad_data(engine):
    with session_scope(engine) as session:
        overdue = open_incident(
            session,
            category=ErrorCategory.DATA_QUALITY,
            title="Invoice INV/2026/00004 of 'Northwind Traders' is 3 days overdue: "
            "125580.0 USD unpaid.",
            fingerprint="control:invoice_overdue:INV/2026/00004",
            workflow="contract-to-cash",
            control="invoice_overdue",
            source="odoo",
            blocks="payment_status",
        )
        facts = gather_facts(session, overdue.id)

    remedy = choose_remedy(classify(facts), facts)

    assert "Workflow control invoice_overdue needs a person" in remedy.summary
    assert "implausible" not in remedy.summary


def test_time_refused_for_an_employee_whose_upsert_died_proposes_retrying_it(engine):
    with session_scope(engine) as session:
        session.add(
            Event(
                id="ev-greta",
                source="bamboohr",
                source_event_id="employee.read:5003:x",
                type="opsgate.consultant.upserted",
                raw_body=b"{}",
                data={
                    "source": "bamboohr",
                    "source_key": "5003",
                    "name": "Greta Rossi",
                },
            )
        )
        session.flush()
        enqueue(
            session,
            [
                {
                    "event_id": "ev-greta",
                    "target": "odoo",
                    "operation": "upsert:hr.employee",
                    "idempotency_key": "ev-greta:odoo",
                    "payload": {"object": {"name": "Greta Rossi"}},
                }
            ],
        )
        delivery = session.exec(select(Delivery)).one()
        delivery.status = DeliveryStatus.DEAD
        dead = DeadLetter(
            delivery_id=delivery.id,
            event_id="ev-greta",
            target="odoo",
            category=ErrorCategory.SCHEMA_DRIFT,
            reason="Invalid field 'hourly_cost' on model 'hr.employee'",
        )
        session.add_all([delivery, dead])
        session.flush()
        time = open_incident(
            session,
            category=ErrorCategory.MISSING_REFERENCE,
            title="Time-to-billing refuses time entries: no Odoo employee for "
            "'Greta Rossi'.",
            fingerprint="time-to-billing:no_employee:Greta Rossi",
            workflow="time-to-billing",
            source="harvest",
            target="odoo",
            context={
                "fault": {
                    "message": "Timesheet harvest:k-2 of 2026-11-12 refused: no Odoo "
                    "employee for 'Greta Rossi'."
                }
            },
        )
        dead_id, delivery_id = dead.id, delivery.id
        facts = gather_facts(session, time.id)

    remedy = choose_remedy(classify(facts), facts)

    assert remedy.kind is ProposalKind.RETRY
    assert remedy.params == {"dead_letter_id": dead_id, "delivery_id": delivery_id}
    assert remedy.record_ref == f"dead_letter:{dead_id}"
    assert "'Greta Rossi' never reached Odoo" in remedy.summary
