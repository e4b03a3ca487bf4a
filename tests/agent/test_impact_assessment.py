from sqlmodel import Session

from opsgate.agent.impact import assess
from opsgate.rules.store.tables import Incident
from tests.rules.support.desk_events import (
    deliver,
    jira_issue,
    open_billing_incident,
)


def test_assessment_names_the_open_tickets_about_the_incident(engine):
    incident_id = open_billing_incident(engine)
    deliver(engine, "jira", jira_issue(organisation="Acme Corporation"))

    with Session(engine) as session:
        assessment = assess(session.get(Incident, incident_id))

    assert assessment["open_tickets"] == {"count": 1, "keys": ["jira:TES-41"]}
    assert assessment["summary"] == (
        "Blocks invoicing for Acme Corporation: 4,800.00 EUR at risk; "
        "1 open support ticket: jira:TES-41."
    )


def test_assessment_without_tickets_has_none(engine):
    incident_id = open_billing_incident(engine)

    with Session(engine) as session:
        assessment = assess(session.get(Incident, incident_id))

    assert assessment["open_tickets"] is None
    assert "ticket" not in assessment["summary"]
