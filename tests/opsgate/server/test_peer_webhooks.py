import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from opsgate.rules.store.tables import Event, Incident, QuarantinedInput
from opsgate.server import create_app
from opsgate.settings import Settings

FORMATS = Path(__file__).parents[2] / "fixtures" / "formats" / "webhooks"
HUBSPOT_BODY = (FORMATS / "hubspot-contact-creation-v1-signed.json").read_bytes()
HUBSPOT_SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
HUBSPOT_SIGNATURE = "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"


def v1_headers(signature: str) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "x-hubspot-signature-version": "v1",
        "x-hubspot-signature": signature,
    }


@pytest.fixture
def hubspot_client(store):
    settings = Settings(webhooks={"secrets": {"hubspot": HUBSPOT_SECRET}})
    with TestClient(create_app(settings, engine=store)) as client:
        yield client


def rows(store, table):
    with Session(store) as session:
        return session.exec(select(table)).all()


def test_published_hubspot_delivery_becomes_one_event_per_array_element(
    hubspot_client, store
):
    first = hubspot_client.post(
        "/webhooks/hubspot", content=HUBSPOT_BODY, headers=v1_headers(HUBSPOT_SIGNATURE)
    )
    again = hubspot_client.post(
        "/webhooks/hubspot", content=HUBSPOT_BODY, headers=v1_headers(HUBSPOT_SIGNATURE)
    )

    assert first.status_code == 202, first.text
    [accepted] = first.json()["events"]
    assert accepted["status"] == "accepted"
    assert again.status_code == 200
    assert again.json()["events"][0]["event_id"] == accepted["event_id"]
    [event] = rows(store, Event)
    assert event.source == "hubspot"
    assert event.type == "contact.creation"


def test_wrong_hubspot_signature_is_refused(hubspot_client, store):
    response = hubspot_client.post(
        "/webhooks/hubspot", content=HUBSPOT_BODY, headers=v1_headers("0" * 64)
    )

    assert response.status_code == 401
    assert response.json()["type"] == "/problems/signature-invalid"
    assert rows(store, Event) == []
    assert rows(store, QuarantinedInput)[0].raw_body == HUBSPOT_BODY


def test_signed_hubspot_body_that_is_not_an_array_is_quarantined(hubspot_client, store):
    body = b'{"eventId": 1}'
    signature = hashlib.sha256(HUBSPOT_SECRET.encode() + body).hexdigest()

    response = hubspot_client.post(
        "/webhooks/hubspot", content=body, headers=v1_headers(signature)
    )

    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "/problems/malformed-payload"
    assert "JSON array" in problem["detail"]
    [kept] = rows(store, QuarantinedInput)
    assert kept.raw_body == body
    assert problem["incident_id"] == rows(store, Incident)[0].id


def test_source_without_a_webhook_receiver_is_refused(hubspot_client):
    response = hubspot_client.post("/webhooks/harvest", content=b"{}")

    assert response.status_code == 404
    assert response.json()["type"] == "/problems/no-webhook-receiver"
    assert "opsgate import" in response.json()["detail"]
