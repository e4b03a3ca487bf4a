"""POST /webhooks/<peer> with the peers' real samples, signatures and answers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from opsgate.connectors.bamboohr import signature as bamboohr_signature
from opsgate.connectors.hubspot.signature import v3_signature
from opsgate.connectors.jira import events as jira_events
from opsgate.connectors.zendesk import events as zendesk_events
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.routing.ownership import SystemsOfRecord
from opsgate.rules.routing.stage import route_batch
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import Delivery, Event, Incident, QuarantinedInput
from opsgate.server import create_app
from opsgate.settings import Settings

SAMPLES = Path(__file__).parents[2] / "fixtures" / "formats" / "webhooks"
NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
HUBSPOT_SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
ORG_ID = "ABC90000000gNcmEAE"


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url="sqlite:///unused.db",
        webhooks={
            "secrets": {
                "hubspot": HUBSPOT_SECRET,
                "salesforce": ORG_ID,
                "bamboohr": "bamboo-key",
                "jira": "jira-secret",
                "zendesk": "zendesk-secret",
            }
        },
    )


@pytest.fixture
def client(settings, store):
    app = create_app(settings, engine=store, clock=lambda: NOW)
    with TestClient(app) as client:
        yield client


def rows(store, table):
    with Session(store) as session:
        return session.exec(select(table)).all()


def _v3_headers(body: bytes) -> dict[str, str]:
    stamp = str(int(NOW.timestamp() * 1000))
    url = "http://testserver/webhooks/hubspot"
    return {
        "content-type": "application/json",
        "X-HubSpot-Signature-v3": v3_signature(
            HUBSPOT_SECRET, "POST", url, body, stamp
        ),
        "X-HubSpot-Request-Timestamp": stamp,
    }


def test_hubspot_v1_sample_is_accepted_once_per_event(client, store):
    body = (SAMPLES / "hubspot-contact-creation-v1-signed.json").read_bytes()
    headers = {
        "X-HubSpot-Signature-Version": "v1",
        "X-HubSpot-Signature": (
            "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"
        ),
    }

    first = client.post("/webhooks/hubspot", content=body, headers=headers)
    again = client.post("/webhooks/hubspot", content=body, headers=headers)

    assert first.status_code == 202, first.text
    assert again.status_code == 200
    assert again.json()["events"][0]["status"] == "duplicate"
    [event] = rows(store, Event)
    assert event.source == "hubspot"
    assert event.source_event_id == "62515:12345:1:123"
    assert json.loads(event.raw_body)["raw"]["changeFlag"] == "NEW"


def test_hubspot_v3_closedwon_is_routed_to_lead_to_project(client, store):
    body = (SAMPLES / "hubspot-deal-propertychange-closedwon-retry.json").read_bytes()

    response = client.post("/webhooks/hubspot", content=body, headers=_v3_headers(body))
    with session_scope(store) as session:
        report = route_batch(session, load_catalog([]), SystemsOfRecord())

    assert response.status_code == 202, response.text
    assert report.routed == 1
    [event] = rows(store, Event)
    assert event.status == EventStatus.ROUTED
    assert event.workflow == "lead-to-project"
    assert [d.operation for d in rows(store, Delivery)] == ["enrich:deal"]


def test_hubspot_array_of_three_events_stores_three(client, store):
    one = json.loads(
        (SAMPLES / "hubspot-deal-propertychange-closedwon-retry.json").read_text()
    )
    body = json.dumps([dict(one[0], eventId=n) for n in range(3)]).encode()

    response = client.post("/webhooks/hubspot", content=body, headers=_v3_headers(body))

    assert response.status_code == 202
    assert len(response.json()["events"]) == 3
    assert len(rows(store, Event)) == 3


def test_hubspot_bad_signature_is_401_and_kept_without_incident(client, store):
    body = (SAMPLES / "hubspot-contact-creation-v1-signed.json").read_bytes()
    headers = {"X-HubSpot-Signature": "00" * 32}

    response = client.post("/webhooks/hubspot", content=body, headers=headers)

    assert response.status_code == 401
    assert "does not match" in response.json()["detail"]
    assert len(rows(store, QuarantinedInput)) == 1
    assert rows(store, Incident) == []
    assert rows(store, Event) == []


def test_hubspot_signed_but_malformed_body_is_400_kept_with_incident(client, store):
    body = b'{"eventId": 1}'

    response = client.post("/webhooks/hubspot", content=body, headers=_v3_headers(body))

    assert response.status_code == 400
    assert "JSON array" in response.json()["detail"]
    [kept] = rows(store, QuarantinedInput)
    assert kept.raw_body == body and kept.incident_id is not None


def test_salesforce_outbound_message_gets_the_soap_ack_and_one_event(client, store):
    body = (SAMPLES / "salesforce-outbound-message-account.xml").read_bytes()
    headers = {"content-type": "text/xml; charset=utf-8", "SOAPAction": '""'}

    response = client.post("/webhooks/salesforce", content=body, headers=headers)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    ack = ET.fromstring(response.content).find(
        ".//{http://soap.sforce.com/2005/09/outbound}Ack"
    )
    assert ack is not None and ack.text == "true"
    [event] = rows(store, Event)
    assert event.source_event_id == "04l000000000001AAA"
    assert "FAKEsession" not in event.raw_body.decode()


def test_salesforce_message_from_another_org_is_refused(client, store):
    body = (SAMPLES / "salesforce-outbound-message-account.xml").read_bytes()
    body = body.replace(ORG_ID.encode(), b"00D000000000OTHER")

    response = client.post("/webhooks/salesforce", content=body)

    assert response.status_code == 401
    assert rows(store, Event) == []


@pytest.mark.parametrize(
    ("peer", "sample", "sign"),
    [
        (
            "bamboohr",
            "bamboohr-employee-updated-event-based.json",
            lambda body: {
                "X-BambooHR-Timestamp": str(int(NOW.timestamp())),
                "X-BambooHR-Signature": bamboohr_signature.signature(
                    "bamboo-key", body, str(int(NOW.timestamp()))
                ),
            },
        ),
        (
            "jira",
            "jira-cloud-issue-updated-resolved.json",
            lambda body: {
                "X-Hub-Signature": jira_events.signature("jira-secret", body)
            },
        ),
        (
            "zendesk",
            "zendesk-user-active-changed.json",
            lambda body: {
                "X-Zendesk-Webhook-Signature": zendesk_events.signature(
                    "zendesk-secret", body, NOW.isoformat()
                ),
                "X-Zendesk-Webhook-Signature-Timestamp": NOW.isoformat(),
            },
        ),
    ],
)
def test_hr_and_support_desk_samples_are_accepted(client, store, peer, sample, sign):
    body = (SAMPLES / sample).read_bytes()

    response = client.post(f"/webhooks/{peer}", content=body, headers=sign(body))

    assert response.status_code == 202, response.text
    [event] = rows(store, Event)
    assert event.source == peer


def test_salesforce_malformed_message_is_kept_and_still_acknowledged(client, store):
    body = (SAMPLES / "salesforce-outbound-message-account.xml").read_bytes()
    broken = body.replace(b"</notifications>", b"")

    response = client.post("/webhooks/salesforce", content=broken)

    assert response.status_code == 200
    assert b"<Ack>true</Ack>" in response.content
    [kept] = rows(store, QuarantinedInput)
    assert kept.incident_id is not None
    assert rows(store, Event) == []
