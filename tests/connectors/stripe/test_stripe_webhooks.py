from datetime import UTC, datetime

import pytest

from opsgate.connectors.inbound.errors import PayloadRejected, SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.stripe import events


def test_basil_invoice_payment_sample_finds_the_moved_subscription(samples):
    body = (
        samples / "webhooks" / "stripe-invoice-payment-succeeded-live-basil.json"
    ).read_bytes()

    (record,) = events.parse(body)

    assert record.source_event_id == "evt_1SVC8JFAKEx1x2AB2WgGoBj8"
    assert record.event_type == "invoice.payment_succeeded"
    assert record.object_type == "invoice"
    assert record.fields["subscription"] == "sub_1SVC89FAKEx1x2ABoa93kOB2"
    assert record.fields["amount_paid"] == 2990
    assert record.fields["currency"] == "BRL"
    assert record.occurred_at == datetime.fromtimestamp(1763561590, UTC)
    assert record.meta["request_id"] is None
    assert record.meta["idempotency_key"] == "e6ba3e40-a96e-49f4-944c-f79e40cc0bac"


def test_signature_header_verifies_any_v1_and_refuses_stale_or_wrong(samples):
    body = (
        samples / "webhooks" / "stripe-invoice-payment-succeeded-live-basil.json"
    ).read_bytes()
    good = events.signature("whsec_test", body, 1763561590)
    header = f"t=1763561590,v1=deadbeef,v1={good},v0=abc"
    request = InboundRequest(body=body, headers={"Stripe-Signature": header})
    pinned = datetime.fromtimestamp(1763561600, UTC)

    events.verify(request, "whsec_test", now=pinned)
    with pytest.raises(SignatureRejected, match="window"):
        events.verify(
            request, "whsec_test", now=datetime.fromtimestamp(1763569999, UTC)
        )
    with pytest.raises(SignatureRejected, match="does not match"):
        events.verify(request, "whsec_other", now=pinned)


def test_non_event_body_is_refused():
    with pytest.raises(PayloadRejected, match="not an event"):
        events.parse(b'{"object": "invoice"}')


def test_stripe_scheme_is_registered_for_catalog_entries(samples):
    from opsgate.connectors.webhooks.errors import SignatureInvalid
    from opsgate.connectors.webhooks.schemes import SCHEMES

    body = (
        samples / "webhooks" / "stripe-invoice-payment-succeeded-live-basil.json"
    ).read_bytes()
    header = f"t=1763561590,v1={events.signature('whsec_x', body, 1763561590)}"
    pinned = datetime.fromtimestamp(1763561590, UTC)

    verify = SCHEMES["stripe"]
    assert (
        verify(
            "whsec_x",
            headers={"stripe-signature": header},
            body=body,
            tolerance_s=300,
            now=pinned,
        )
        is None
    )
    with pytest.raises(SignatureInvalid):
        verify(
            "whsec_y",
            headers={"stripe-signature": header},
            body=body,
            tolerance_s=300,
            now=pinned,
        )


def test_a_timestamp_that_is_not_whole_seconds_is_refused_not_a_crash():
    request = InboundRequest(
        body=b"{}", headers={"Stripe-Signature": "t=1796354404.5,v1=abc"}
    )

    with pytest.raises(SignatureRejected, match="not whole seconds"):
        events.verify(request, "whsec_x")
