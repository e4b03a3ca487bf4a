from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlmodel import Session, select

from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.routing.ownership import SystemsOfRecord
from opsgate.rules.routing.stage import route_batch
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.tables import Event, Incident, QuarantinedInput
from opsgate.server import create_app
from tests.opsgate.server.webhook_signing import (
    PINNED,
    STRIPE_BODY,
    VECTOR,
    VECTOR_BODY,
    published_headers,
    signed,
    stripe_signed,
)


def rows(store, table):
    with Session(store) as session:
        return session.exec(select(table)).all()


def test_published_vector_is_accepted_and_stored_before_the_answer(client, store):
    response = client.post(
        "/webhooks/standard", content=VECTOR_BODY, headers=published_headers()
    )

    assert response.status_code == 202
    assert response.headers["location"] == f"/events/{response.json()['event_id']}"
    [event] = rows(store, Event)
    assert event.id == response.json()["event_id"]
    assert event.raw_body == VECTOR_BODY
    assert event.source_event_id == VECTOR["msg_id"]
    assert "webhook-signature" in event.raw_headers


def test_same_event_twice_answers_200_with_the_first_id(client, store):
    first = client.post(
        "/webhooks/standard", content=VECTOR_BODY, headers=published_headers()
    )
    second = client.post(
        "/webhooks/standard", content=VECTOR_BODY, headers=published_headers()
    )

    assert (first.status_code, second.status_code) == (202, 200)
    assert second.json()["event_id"] == first.json()["event_id"]
    assert second.json()["status"] == "duplicate"
    assert len(rows(store, Event)) == 1


def test_catalog_event_id_dedupes_a_stripe_retry_signed_anew(client, store):
    first = client.post(
        "/webhooks/stripe", content=STRIPE_BODY, headers=stripe_signed(STRIPE_BODY, 60)
    )
    retry = client.post(
        "/webhooks/stripe", content=STRIPE_BODY, headers=stripe_signed(STRIPE_BODY)
    )

    assert (first.status_code, retry.status_code) == (202, 200)
    assert retry.json()["source_event_id"] == "evt_1SVC8JFAKEx1x2AB2WgGoBj8"


def assert_problem(response, status, slug, *words):
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == f"/problems/{slug}"
    assert problem["status"] == status
    for word in words:
        assert word in problem["detail"]
    return problem


def test_bad_signature_is_refused_and_the_body_kept(client, store):
    headers = published_headers() | {
        "webhook-signature": VECTOR["known_bad_signature_from_same_tests"]
    }

    response = client.post("/webhooks/standard", content=VECTOR_BODY, headers=headers)

    assert_problem(response, 401, "signature-invalid", VECTOR["msg_id"])
    assert rows(store, Event) == []
    [kept] = rows(store, QuarantinedInput)
    assert kept.raw_body == VECTOR_BODY
    assert kept.incident_id is None


def test_missing_signature_is_refused(client):
    headers = published_headers()
    del headers["webhook-signature"]

    response = client.post("/webhooks/standard", content=VECTOR_BODY, headers=headers)

    assert_problem(response, 401, "signature-missing", "'webhook-signature' is missing")


def test_stale_timestamp_is_refused(client):
    headers = signed(VECTOR_BODY) | {
        "webhook-timestamp": str(VECTOR["timestamp"] - 3600)
    }

    response = client.post("/webhooks/standard", content=VECTOR_BODY, headers=headers)

    assert_problem(response, 401, "timestamp-stale", "3600 s old", "tolerance is 300 s")


def test_unknown_source_is_refused_naming_the_known_ones(client, store):
    response = client.post(
        "/webhooks/acme", content=VECTOR_BODY, headers=published_headers()
    )

    assert_problem(response, 404, "unknown-source", "'acme'", "standard, stripe")
    assert rows(store, QuarantinedInput)[0].source == "acme"


def test_body_over_the_limit_gets_413(client, store):
    body = b'{"pad": "' + b"x" * 9000 + b'"}'

    response = client.post("/webhooks/standard", content=body, headers=signed(body))

    problem = assert_problem(response, 413, "body-too-large", "8192 bytes")
    assert problem["limit_bytes"] == 8192
    assert rows(store, Event) == []


def test_signed_malformed_json_is_quarantined_with_an_incident(client, store):
    body = b'{"type": "customer.upserted", '

    response = client.post("/webhooks/standard", content=body, headers=signed(body))

    problem = assert_problem(
        response, 400, "malformed-json", "not valid JSON", "line 1, column 31"
    )
    [kept] = rows(store, QuarantinedInput)
    [incident] = rows(store, Incident)
    assert kept.raw_body == body
    assert problem["quarantine_id"] == kept.id
    assert problem["incident_id"] == incident.id == kept.incident_id
    assert incident.category == "validation"


def test_signed_json_without_a_readable_event_id_is_quarantined(client, store):
    body = b'{"type": "invoice.paid", "id": ["evt_1"]}'

    response = client.post(
        "/webhooks/stripe", content=body, headers=stripe_signed(body)
    )

    assert_problem(response, 422, "unreadable-event", "at id")
    assert rows(store, QuarantinedInput)[0].raw_body == body


def test_source_without_a_secret_is_a_server_problem_naming_the_setting(
    client, settings, store
):
    settings.webhooks.secrets.pop("stripe")

    response = client.post(
        "/webhooks/stripe", content=STRIPE_BODY, headers=stripe_signed(STRIPE_BODY)
    )

    assert_problem(
        response, 500, "source-not-configured", "OPSGATE_WEBHOOKS__SECRETS__STRIPE"
    )
    [kept] = rows(store, QuarantinedInput)
    assert kept.raw_body == STRIPE_BODY[:4096]
    assert "No webhook secret" in kept.reason


def test_event_endpoint_returns_the_cloudevent_and_its_deliveries(client, store):
    event_id = client.post(
        "/webhooks/stripe", content=STRIPE_BODY, headers=stripe_signed(STRIPE_BODY)
    ).json()["event_id"]
    with session_scope(store) as session:
        route_batch(session, load_catalog([]), SystemsOfRecord())

    found = client.get(f"/events/{event_id}").json()

    assert found["event"]["id"] == event_id
    assert found["event"]["type"] == "opsgate.payment.received"
    assert found["event"]["specversion"] == "1.0"
    assert found["status"] == "routed"
    assert [(d["target"], d["status"]) for d in found["deliveries"]] == [
        ("null", "pending")
    ]


def test_unknown_event_is_a_404_problem(client):
    assert_problem(client.get("/events/nope"), 404, "event-not-found", "'nope'")


def test_health_checks_the_store(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_metrics_count_accepts_rejects_and_latency(client):
    client.post("/webhooks/standard", content=VECTOR_BODY, headers=published_headers())
    client.post("/webhooks/acme", content=VECTOR_BODY, headers=published_headers())

    text = client.get("/metrics").text

    assert 'opsgate_events_accepted_total{source="standard"} 1.0' in text
    assert 'opsgate_webhook_rejects_total{reason="unknown-source"} 1.0' in text
    assert "opsgate_webhook_latency_seconds_count 2.0" in text
    assert "# TYPE opsgate_deliveries gauge" in text


def test_openapi_document_lists_the_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]

    assert {"/webhooks/{source}", "/events/{event_id}", "/healthz", "/metrics"} <= set(
        paths
    )
    assert "413" in paths["/webhooks/{source}"]["post"]["responses"]


def test_chunked_body_over_the_limit_gets_413(client):
    def chunks():
        for _ in range(10):
            yield b"x" * 1000

    response = client.post("/webhooks/standard", content=chunks(), headers=signed(b""))

    assert_problem(response, 413, "body-too-large", "8192 bytes")


def test_store_failure_answers_503_and_the_next_request_succeeds(
    client, store, monkeypatch
):
    def broken(*_args, **_kwargs):
        raise OSError("disk gone")

    with monkeypatch.context() as patch:
        patch.setattr("opsgate.server.group_commit.accept_many", broken)
        failed = client.post(
            "/webhooks/standard", content=VECTOR_BODY, headers=published_headers()
        )
    retried = client.post(
        "/webhooks/standard", content=VECTOR_BODY, headers=published_headers()
    )

    assert_problem(failed, 503, "store-unavailable", "OSError", "send it again")
    assert retried.status_code == 202
    assert len(rows(store, Event)) == 1


def test_signed_body_nested_past_the_parsers_limit_is_quarantined(client, store):
    body = b"[" * 4_000 + b"]" * 4_000  # inside the 8 KiB test body limit

    response = client.post("/webhooks/standard", content=body, headers=signed(body))

    assert response.status_code == 400
    assert "deeper than the JSON parser's limit" in response.json()["detail"]
    assert rows(store, QuarantinedInput)[0].raw_body == body


def test_events_and_ask_need_the_api_token_once_one_is_set(settings, store):
    guarded = settings.model_copy(
        update={
            "server": settings.server.model_copy(
                update={"api_token": SecretStr("s3cret-token")}
            )
        }
    )
    with TestClient(create_app(guarded, engine=store, clock=lambda: PINNED)) as client:
        event_id = client.post(
            "/webhooks/stripe", content=STRIPE_BODY, headers=stripe_signed(STRIPE_BODY)
        ).json()["event_id"]
        bare = client.get(f"/events/{event_id}")
        wrong = client.get(
            f"/events/{event_id}", headers={"authorization": "Bearer nope"}
        )
        right = client.get(
            f"/events/{event_id}", headers={"authorization": "Bearer s3cret-token"}
        )
        ask = client.post("/ask", json={"question": "what failed today?"})
        health = client.get("/healthz")

    assert (bare.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert bare.json()["type"] == "/problems/api-token-required"
    assert ask.status_code == 401
    assert health.status_code == 200
