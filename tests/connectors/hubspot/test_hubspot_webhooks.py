import json
from datetime import UTC, datetime

import pytest

from opsgate.connectors.hubspot import events, signature
from opsgate.connectors.inbound.errors import PayloadRejected, SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest

SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"


def _v3_vector(samples):
    return json.loads(
        (samples / "webhooks" / "hubspot-signature-v3-vector.json").read_text()
    )


def test_v3_vector_verifies_with_the_clock_pinned_to_its_timestamp(samples):
    vector = _v3_vector(samples)
    request = InboundRequest(
        method=vector["http_method"],
        url=vector["uri"],
        body=vector["request_body"].encode(),
        headers={
            "X-HubSpot-Signature-v3": vector["expected_x_hubspot_signature_v3"],
            "X-HubSpot-Request-Timestamp": vector["x_hubspot_request_timestamp"],
        },
    )
    pinned = datetime.fromtimestamp(15000000 / 1000, UTC)

    signature.verify(request, vector["client_secret"], now=pinned)


def test_v3_vector_is_refused_outside_the_five_minute_window(samples):
    vector = _v3_vector(samples)
    request = InboundRequest(
        method="POST",
        url=vector["uri"],
        body=vector["request_body"].encode(),
        headers={
            "x-hubspot-signature-v3": vector["expected_x_hubspot_signature_v3"],
            "x-hubspot-request-timestamp": vector["x_hubspot_request_timestamp"],
        },
    )
    six_minutes_later = datetime.fromtimestamp(15000 + 360, UTC)

    with pytest.raises(SignatureRejected, match="outside the 300 s window"):
        signature.verify(request, SECRET, now=six_minutes_later)


def test_v3_signature_over_a_tampered_body_is_refused(samples):
    vector = _v3_vector(samples)
    request = InboundRequest(
        url=vector["uri"],
        body=b"{'example_field':'other_value'}",
        headers={
            "X-HubSpot-Signature-v3": vector["expected_x_hubspot_signature_v3"],
            "X-HubSpot-Request-Timestamp": "15000000",
        },
    )

    with pytest.raises(SignatureRejected, match="does not match"):
        signature.verify(request, SECRET, now=datetime.fromtimestamp(15000, UTC))


def test_v3_decodes_escaped_uri_characters_before_signing():
    encoded = signature.v3_signature(
        SECRET, "POST", "https://x.test/h?a=b%3Ac", b"[]", "1"
    )
    plain = signature.v3_signature(SECRET, "POST", "https://x.test/h?a=b:c", b"[]", "1")

    assert encoded == plain


def test_v1_published_example_verifies(samples, sample_headers):
    body = (
        samples / "webhooks" / "hubspot-contact-creation-v1-signed.json"
    ).read_bytes()
    request = InboundRequest(
        body=body,
        headers=sample_headers("hubspot-contact-creation-v1-signed.headers.txt"),
    )

    signature.verify(request, SECRET)


def test_v1_with_a_wrong_secret_is_refused(samples, sample_headers):
    body = (
        samples / "webhooks" / "hubspot-contact-creation-v1-signed.json"
    ).read_bytes()
    request = InboundRequest(
        body=body,
        headers=sample_headers("hubspot-contact-creation-v1-signed.headers.txt"),
    )

    with pytest.raises(SignatureRejected, match="v1 signature"):
        signature.verify(request, "not-the-secret")


def test_v2_published_get_example_verifies():
    request = InboundRequest(
        method="GET",
        url="https://www.example.com/webhook_uri",
        body=b"",
        headers={
            "X-HubSpot-Signature-Version": "v2",
            "X-HubSpot-Signature": (
                "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e"
            ),
        },
    )

    signature.verify(request, SECRET)


def test_missing_signature_header_names_the_header():
    with pytest.raises(SignatureRejected, match="'X-HubSpot-Signature' is missing"):
        signature.verify(InboundRequest(body=b"[]"), SECRET)


def test_contact_creation_body_becomes_one_record(samples):
    body = (
        samples / "webhooks" / "hubspot-contact-creation-v1-signed.json"
    ).read_bytes()

    (record,) = events.parse(body)

    assert record.source == "hubspot"
    assert record.event_type == "contact.creation"
    assert record.object_type == "contact"
    assert record.object_id == "123"
    assert record.source_event_id == "62515:12345:1:123"
    assert record.occurred_at == datetime(2019, 7, 26, 4, 0, tzinfo=UTC)
    assert record.fields["changeFlag"] == "NEW"


def test_closedwon_redelivery_carries_the_stage_and_keeps_its_dedupe_key(samples):
    body = (
        samples / "webhooks" / "hubspot-deal-propertychange-closedwon-retry.json"
    ).read_bytes()

    (record,) = events.parse(body)
    first_attempt = json.loads(body)
    first_attempt[0]["attemptNumber"] = 0
    (original,) = events.parse(json.dumps(first_attempt).encode())

    assert record.event_type == "deal.propertyChange"
    assert record.object_type == "deal"
    assert record.object_id == "900000003"
    assert record.fields["properties"] == {"dealstage": "closedwon"}
    assert record.fields["attemptNumber"] == 3
    assert record.fields["changeSource"] == "AUTOMATION_PLATFORM"
    assert original.source_event_id == record.source_event_id


def test_an_array_of_events_becomes_one_record_each(samples):
    one = json.loads(
        (
            samples / "webhooks" / "hubspot-deal-propertychange-closedwon-retry.json"
        ).read_text()
    )[0]
    batch = [dict(one, eventId=n, objectId=n) for n in range(1, 101)]

    records = events.parse(json.dumps(batch).encode())

    assert len(records) == 100
    assert len({r.source_event_id for r in records}) == 100
    assert records[99].location == "[99]"


def test_an_object_body_is_refused_because_hubspot_sends_arrays():
    with pytest.raises(PayloadRejected, match="must be a JSON array"):
        events.parse(b'{"eventId": 1}')


def test_an_event_without_object_id_names_where():
    body = b'[{"eventId":1,"subscriptionType":"deal.creation","occurredAt":1}]'

    with pytest.raises(PayloadRejected, match=r"\[0\]\.objectId") as caught:
        events.parse(body)

    assert caught.value.location == "[0].objectId"


def test_empty_array_is_refused_as_carrying_no_event():
    with pytest.raises(PayloadRejected, match="empty array"):
        events.parse(b"[]")
