"""Time refused for a project a held deal would create points at the hold."""

from opsgate.agent.classify.classifier import Classifier
from opsgate.agent.classify.model import TriageModel
from opsgate.agent.context import gather_facts
from opsgate.agent.remedy import choose_remedy
from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import ProposalKind


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
