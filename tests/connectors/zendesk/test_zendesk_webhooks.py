from datetime import UTC, datetime

import pytest

from opsgate.connectors.inbound.errors import PayloadRejected, SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.zendesk import events


def test_user_active_changed_sample_becomes_one_user_record(samples):
    body = (samples / "webhooks" / "zendesk-user-active-changed.json").read_bytes()

    (record,) = events.parse(body)

    assert record.source_event_id == "2b24ef10-19d4-4740-93cf-8f98ec4776c0"
    assert record.event_type == "zen:event-type:user.active_changed"
    assert record.object_type == "user"
    assert record.object_id == "6596848315901"
    assert record.fields["organization_id"] == "0"
    assert record.fields["change"] == {"current": False, "previous": True}
    assert record.meta["account_id"] == 12514403


def test_trigger_ticket_payload_becomes_a_ticket_record():
    body = b'{"ticket": {"id": 35436, "updated_at": "2026-01-02T10:00:00Z", "status": "open"}}'

    (record,) = events.parse(body)

    assert record.object_type == "ticket"
    assert record.source_event_id == "ticket:35436:2026-01-02T10:00:00Z"


def test_signature_over_timestamp_and_body_verifies_within_the_window(samples):
    body = (samples / "webhooks" / "zendesk-user-active-changed.json").read_bytes()
    stamp = "2099-07-04T05:33:18Z"
    request = InboundRequest(
        body=body,
        headers={
            "X-Zendesk-Webhook-Signature": events.signature("zs", body, stamp),
            "X-Zendesk-Webhook-Signature-Timestamp": stamp,
        },
    )
    pinned = datetime(2099, 7, 4, 5, 34, tzinfo=UTC)

    events.verify(request, "zs", now=pinned)
    with pytest.raises(SignatureRejected):
        events.verify(request, "other", now=pinned)


def test_unrecognised_body_is_refused():
    with pytest.raises(PayloadRejected, match="neither"):
        events.parse(b'{"hello": 1}')
