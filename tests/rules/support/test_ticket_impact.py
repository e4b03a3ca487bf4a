import json

import pytest
from sqlmodel import Session, select

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.incidents.impact import ticket_boost
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.mapping_tables import ValueMapping
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import Event, Incident
from opsgate.rules.store.ticket_tables import SupportTicket, SupportTicketReference
from opsgate.rules.workflows.references import remember_reference
from tests.rules.support.desk_events import (
    JIRA_RESOLVED,
    accept_body,
    deliver,
    incident,
    jira_issue,
    open_billing_incident,
    route,
    zendesk_ticket_event,
)


def test_open_jira_ticket_for_a_customer_raises_its_incident_and_is_listed(
    store_engine,
):
    incident_id = open_billing_incident(store_engine)
    before = incident(store_engine, incident_id).impact_score

    deliver(store_engine, "jira", jira_issue(organisation="ACME CORPORATION"))

    after = incident(store_engine, incident_id)
    assert after.impact_score == pytest.approx(before + ticket_boost(["high"]))
    assert after.context["open_tickets"] == {
        "count": 1,
        "keys": ["jira:TES-41"],
        "priorities": ["high"],
        "boost": 4.5,
    }


def test_resolving_the_ticket_lowers_the_incident_again(store_engine):
    incident_id = open_billing_incident(store_engine)
    before = incident(store_engine, incident_id).impact_score
    deliver(
        store_engine,
        "jira",
        jira_issue(organisation="Acme Corporation", minutes_earlier=10),
    )

    # The recorded delivery: TES-41 moves to Done with a resolution.
    deliver(store_engine, "jira", JIRA_RESOLVED)

    after = incident(store_engine, incident_id)
    assert after.impact_score == pytest.approx(before)
    assert "open_tickets" not in after.context
    with Session(store_engine) as session:
        ticket = session.exec(select(SupportTicket)).one()
    assert (ticket.ticket_key, ticket.status, ticket.is_open) == (
        "TES-41",
        "Done",
        False,
    )


def test_an_older_ticket_event_does_not_reopen_a_resolved_ticket(store_engine):
    incident_id = open_billing_incident(store_engine, project="TES")
    before = incident(store_engine, incident_id).impact_score
    deliver(store_engine, "jira", JIRA_RESOLVED)

    deliver(store_engine, "jira", jira_issue(minutes_earlier=10))

    assert incident(store_engine, incident_id).impact_score == pytest.approx(before)


def test_zendesk_ticket_that_arrived_first_counts_when_the_incident_opens(
    store_engine,
):
    with session_scope(store_engine) as session:
        session.add(
            ValueMapping(
                namespace="support.customer",
                source_value="zendesk:organization:6607619104125",
                target_value="Acme Corporation",
                created_by="ana",
            )
        )
    deliver(store_engine, "zendesk", zendesk_ticket_event())

    incident_id = open_billing_incident(store_engine, project=None)

    opened = incident(store_engine, incident_id)
    assert opened.context["open_tickets"]["keys"] == ["zendesk:35436"]
    without = open_billing_incident(store_engine, customer="Globex", project=None)
    assert opened.impact_score == pytest.approx(
        incident(store_engine, without).impact_score + ticket_boost(["urgent"])
    )


@pytest.mark.parametrize(
    ("event_type", "status", "change"),
    [
        ("ticket.status_changed", "OPEN", {"current": "SOLVED", "previous": "OPEN"}),
        ("ticket.soft_deleted", "OPEN", None),
        ("ticket.priority_changed", "CLOSED", None),
    ],
)
def test_solved_closed_or_deleted_zendesk_ticket_stops_counting(
    sqlite_engine, event_type, status, change
):
    incident_id = open_billing_incident(sqlite_engine, project="portal")
    deliver(sqlite_engine, "zendesk", zendesk_ticket_event())
    assert incident(sqlite_engine, incident_id).context["open_tickets"]["count"] == 1

    deliver(
        sqlite_engine,
        "zendesk",
        zendesk_ticket_event(
            event_type,
            status=status,
            change=change,
            event_id="e-2",
            time="2099-07-04T06:00:00Z",
        ),
    )

    assert "open_tickets" not in incident(sqlite_engine, incident_id).context


def test_summary_naming_a_known_project_code_ties_the_ticket_to_it(sqlite_engine):
    with session_scope(sqlite_engine) as session:
        remember_reference(session, "odoo", "project", "P-08", 29)
    deliver(
        sqlite_engine,
        "jira",
        jira_issue(summary="Invoices for p-08 are stuck", priority="Low"),
    )

    incident_id = open_billing_incident(sqlite_engine, customer=None)

    assert incident(sqlite_engine, incident_id).context["open_tickets"] == {
        "count": 1,
        "keys": ["jira:TES-41"],
        "priorities": ["low"],
        "boost": 1.5,
    }


def test_ticket_for_an_unknown_customer_changes_nothing_and_is_kept(store_engine):
    incident_id = open_billing_incident(store_engine)
    before = incident(store_engine, incident_id)

    event_id = deliver(store_engine, "jira", jira_issue(organisation="Initech"))

    after = incident(store_engine, incident_id)
    assert after.impact_score == before.impact_score
    assert after.context == before.context
    with Session(store_engine) as session:
        assert session.get(Event, event_id).status == EventStatus.IGNORED
        ticket = session.exec(select(SupportTicket)).one()
        values = session.exec(
            select(SupportTicketReference.value).where(
                SupportTicketReference.kind == "customer"
            )
        ).all()
    assert ticket.is_open and ticket.last_event_id == event_id
    assert "initech" in values


MALFORMED = [
    pytest.param(
        {
            "source": "jira",
            "source_event_id": "jira:issue_updated:1:1",
            "event_type": "jira:issue_updated",
            "object_type": "issue",
            "fields": {"issue_key": "TES-9"},
            "raw": {"issue": {"key": "TES-9", "fields": "oops"}},
        },
        "jira ticket at $.issue.fields: expected an object, got 'oops'.",
        id="issue-fields-not-an-object",
    ),
    pytest.param(
        {"source_event_id": "jira:issue_updated:2:2", "event_type": "jira:x"},
        "Ticket event from 'jira' is not a parsed jira record: Field required "
        "at source.",
        id="not-a-source-record",
    ),
]


@pytest.mark.parametrize(("body", "reason"), MALFORMED)
def test_malformed_ticket_body_is_kept_with_a_clear_error_and_no_crash(
    sqlite_engine, body, reason
):
    incident_id = open_billing_incident(sqlite_engine)
    event_id = accept_body(sqlite_engine, "jira", json.dumps(body).encode())

    report = route(sqlite_engine)

    assert report.ignored == 1
    with Session(sqlite_engine) as session:
        event = session.get(Event, event_id)
        problem = session.exec(
            select(Incident).where(Incident.event_id == event_id)
        ).one()
        assert session.exec(select(SupportTicket)).all() == []
    assert event.raw_body == json.dumps(body).encode()
    assert problem.category == ErrorCategory.VALIDATION
    assert problem.detail == reason
    assert "open_tickets" not in incident(sqlite_engine, incident_id).context


def test_ticket_boost_weighs_priority_and_is_capped():
    assert ticket_boost([]) == 0
    assert ticket_boost([None]) == 3.0
    assert ticket_boost(["Highest", "low"]) == 7.5
    assert ticket_boost(["urgent"] * 10) == 15.0


def test_a_comment_keeps_what_its_reduced_issue_leaves_out(sqlite_engine):
    incident_id = open_billing_incident(sqlite_engine)
    deliver(
        sqlite_engine,
        "jira",
        jira_issue(organisation="Acme Corporation", minutes_earlier=10),
    )
    comment = {
        "timestamp": JIRA_RESOLVED["timestamp"],
        "webhookEvent": "comment_created",
        "comment": {"id": "10100", "body": "Customer called again."},
        "issue": {
            "id": "10040",
            "key": "TES-41",
            "fields": {"summary": "Unit test summary 1", "priority": {"name": "Low"}},
        },
    }

    deliver(sqlite_engine, "jira", comment)

    counted = incident(sqlite_engine, incident_id).context["open_tickets"]
    assert (counted["keys"], counted["priorities"]) == (["jira:TES-41"], ["low"])
