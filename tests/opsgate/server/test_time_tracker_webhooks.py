"""POST /webhooks/toggl and /webhooks/clockify: validation, signatures, routing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from opsgate.connectors.toggl.webhook import signature
from opsgate.connectors.webhooks.peers import PEER_RECEIVERS
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.routing.ownership import SystemsOfRecord
from opsgate.rules.routing.stage import route_batch
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.tables import Delivery, Event, QuarantinedInput
from opsgate.server import create_app
from opsgate.settings import Settings

FIXTURES = Path(__file__).parents[2] / "fixtures" / "time_trackers"
TOGGL_SECRET = "toggl-subscription-secret"
CLOCKIFY_TOKEN = "clockify-webhook-token"


@pytest.fixture
def client(store):
    settings = Settings(
        database_url="sqlite:///unused.db",
        webhooks={"secrets": {"toggl": TOGGL_SECRET, "clockify": CLOCKIFY_TOKEN}},
    )
    with TestClient(create_app(settings, engine=store)) as client:
        yield client


def toggl_post(client, body: bytes, secret: str = TOGGL_SECRET):
    return client.post(
        "/webhooks/toggl",
        content=body,
        headers={
            "content-type": "application/json",
            "X-Webhook-Signature-256": signature(secret, body),
        },
    )


def test_toggl_ping_is_answered_with_its_validation_code(client, store):
    response = toggl_post(client, (FIXTURES / "toggl-ping.json").read_bytes())

    assert response.status_code == 200
    assert response.json() == {"validation_code": "89627dd73f2044f2f73815d665bbce33"}
    with Session(store) as session:
        [kept] = session.exec(select(Event)).all()
    assert kept.type == "ping"


def test_signed_toggl_entry_is_accepted_once_and_routed_to_be_read_back(client, store):
    body = (FIXTURES / "toggl-time-entry-created.json").read_bytes()

    first = toggl_post(client, body)
    again = toggl_post(client, body)
    with session_scope(store) as session:
        route_batch(session, load_catalog([]), SystemsOfRecord())

    assert first.status_code == 202, first.text
    assert again.json()["events"][0]["status"] == "duplicate"
    with Session(store) as session:
        [delivery] = session.exec(select(Delivery)).all()
    assert (delivery.target, delivery.operation) == ("toggl", "read:time_entry")


def test_toggl_body_signed_with_another_secret_is_refused(client):
    body = (FIXTURES / "toggl-time-entry-created.json").read_bytes()

    response = toggl_post(client, body, secret="stolen")

    assert response.status_code == 401
    assert "does not match" in response.json()["detail"]


def test_signed_but_malformed_clockify_body_is_kept_with_where_it_is_wrong(
    client, store
):
    response = client.post(
        "/webhooks/clockify",
        content=b'{"id": "x", "workspaceId": "w", "timeInterval": {}}',
        headers={
            "Clockify-Signature": CLOCKIFY_TOKEN,
            "clockify-webhook-event-type": "NEW_TIME_ENTRY",
        },
    )

    assert response.status_code == 400
    assert response.json()["location"] == "$.timeInterval.start"
    with Session(store) as session:
        [kept] = session.exec(select(QuarantinedInput)).all()
    assert kept.source == "clockify"


def test_clockify_entry_with_its_token_is_accepted(client, store):
    response = client.post(
        "/webhooks/clockify",
        content=(FIXTURES / "clockify-new-time-entry.json").read_bytes(),
        headers={
            "Clockify-Signature": CLOCKIFY_TOKEN,
            "clockify-webhook-event-type": "NEW_TIME_ENTRY",
        },
    )

    assert response.status_code == 202, response.text
    with Session(store) as session:
        [event] = session.exec(select(Event)).all()
    assert event.type == "time_entry.created"


def test_body_nested_past_the_parsers_limit_is_refused_and_kept(client, store):
    body = b"[" * 100_000 + b"]" * 100_000

    response = toggl_post(client, body)

    assert response.status_code == 400
    assert "deeper than the parser's limit" in response.json()["detail"]
    with Session(store) as session:
        [kept] = session.exec(select(QuarantinedInput)).all()
    assert kept.raw_body == body


def test_a_parser_that_fails_keeps_the_signed_body_and_answers_500(
    client, store, monkeypatch
):
    def broken(body, headers=None):
        raise KeyError("payload")

    toggl = PEER_RECEIVERS["toggl"]
    monkeypatch.setitem(PEER_RECEIVERS, "toggl", replace(toggl, parse=broken))
    body = (FIXTURES / "toggl-time-entry-created.json").read_bytes()

    response = toggl_post(client, body)

    assert response.status_code == 500
    assert response.json()["type"] == "/problems/parser-failed"
    with Session(store) as session:
        [kept] = session.exec(select(QuarantinedInput)).all()
    assert kept.raw_body == body
    assert response.json()["quarantine_id"] == kept.id
