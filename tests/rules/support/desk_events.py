"""Support-desk events built from the recorded samples, and how to route them."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from opsgate.connectors.errors import ErrorCategory
from opsgate.connectors.jira import events as jira
from opsgate.connectors.zendesk import events as zendesk
from opsgate.rules.accept import accept
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.routing.ownership import SystemsOfRecord
from opsgate.rules.routing.stage import RoutingReport, route_batch
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.tables import Incident

SAMPLES = Path(__file__).parents[2] / "fixtures" / "formats" / "webhooks"
JIRA_RESOLVED = json.loads(
    (SAMPLES / "jira-cloud-issue-updated-resolved.json").read_bytes()
)
ZENDESK_ENVELOPE = json.loads(
    (SAMPLES / "zendesk-user-active-changed.json").read_bytes()
)
CATALOG: Catalog = load_catalog([])


def jira_issue(
    *,
    open_: bool = True,
    organisation: str | None = None,
    summary: str | None = None,
    priority: str = "High",
    minutes_earlier: int = 0,
) -> dict[str, Any]:
    """The recorded resolved issue (TES-41), reopened or given a customer."""
    document = copy.deepcopy(JIRA_RESOLVED)
    document["timestamp"] -= minutes_earlier * 60_000
    fields = document["issue"]["fields"]
    fields["priority"]["name"] = priority
    if open_:
        fields["resolution"] = None
        fields["status"]["name"] = "In Progress"
        fields["status"]["statusCategory"]["key"] = "indeterminate"
    if organisation is not None:
        # Jira Service Management's Organizations field: a list of objects.
        fields["customfield_10030"] = [{"id": "7", "name": organisation}]
    if summary is not None:
        fields["summary"] = summary
    return document


def zendesk_ticket_event(
    event_type: str = "ticket.priority_changed",
    *,
    ticket_id: str = "35436",
    status: str = "OPEN",
    priority: str = "URGENT",
    organisation_id: str = "6607619104125",
    subject: str = "Portal login fails",
    event_id: str = "e-1",
    time: str = "2099-07-04T05:33:18Z",
    change: Any = None,
) -> dict[str, Any]:
    """A Zendesk ticket event in the recorded envelope, ids as strings."""
    document = copy.deepcopy(ZENDESK_ENVELOPE)
    document.update(
        type=f"zen:event-type:{event_type}",
        id=event_id,
        time=time,
        subject=f"zen:ticket:{ticket_id}",
        detail={
            "id": ticket_id,
            "organization_id": organisation_id,
            "priority": priority,
            "status": status,
            "subject": subject,
            "tags": ["portal"],
            "updated_at": time,
        },
        event=change or {"current": priority, "previous": "NORMAL"},
    )
    return document


def deliver(engine: Engine, source: str, document: dict[str, Any]) -> str:
    """Parse a desk's webhook as the server does, accept it and route it."""
    parser = {"jira": jira.parse, "zendesk": zendesk.parse}[source]
    (record,) = parser(json.dumps(document).encode())
    event_id = accept_body(engine, source, record.to_body())
    route(engine)
    return event_id


def accept_body(engine: Engine, source: str, body: bytes) -> str:
    with session_scope(engine) as session:
        result = accept(session, CATALOG, source=source, body=body)
    assert result.event_id is not None, result.reason
    return result.event_id


def route(engine: Engine) -> RoutingReport:
    with session_scope(engine) as session:
        return route_batch(session, CATALOG, SystemsOfRecord())


def open_billing_incident(
    engine: Engine,
    *,
    customer: str | None = "Acme Corporation",
    project: str | None = "P-08",
    amount: str = "4800",
) -> int:
    """An invoice held up for `customer`'s `project`, as a workflow opens it."""
    with session_scope(engine) as session:
        incident = open_incident(
            session,
            category=ErrorCategory.MISSING_REFERENCE,
            title=f"No Odoo project for {project}.",
            fingerprint=f"missing_reference:project:{project}:{customer}",
            blocks="invoice",
            customer=customer,
            project=project,
            amount_at_risk=Decimal(amount),
            currency="EUR",
        )
        assert incident.id is not None
        return incident.id


def incident(engine: Engine, incident_id: int) -> Incident:
    with Session(engine) as session:
        found = session.get(Incident, incident_id)
    assert found is not None
    return found
