import json
from datetime import UTC, datetime

import pytest

from opsgate.connectors.bamboohr import events, signature
from opsgate.connectors.inbound.errors import PayloadRejected, SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest


def test_event_based_update_sample_is_a_thin_record_that_needs_a_pull(samples):
    body = (
        samples / "webhooks" / "bamboohr-employee-updated-event-based.json"
    ).read_bytes()

    (record,) = events.parse(body)

    assert record.event_type == "employee.updated"
    assert record.object_id == "67890"
    assert record.occurred_at == datetime(2026, 1, 31, 18, 42, tzinfo=UTC)
    assert record.meta["changed_fields"] == ["firstName"]
    assert record.meta["needs_pull"] is True
    assert (
        record.source_event_id
        == "employee.updated:12345:67890:2026-01-31T18:42:00+0000"
    )


def test_field_based_terminate_names_fields_by_api_alias():
    body = json.dumps(
        {
            "employees": [
                {
                    "id": "7",
                    "action": "Updated",
                    "changedFields": ["Status", "Termination Date"],
                    "fields": {
                        "First Name": "Ana",
                        "Last Name": "Lima",
                        "Work Email": "ana@firm.example",
                        "Status": "Inactive",
                        "Termination Date": "2026-02-28",
                    },
                }
            ]
        }
    ).encode()

    (record,) = events.parse(body)

    assert record.fields["status"] == "Inactive"
    assert record.fields["terminationDate"] == "2026-02-28"
    assert record.meta["changed_fields"] == ["status", "terminationDate"]


def test_unknown_field_based_action_is_refused_with_its_value():
    body = b'{"employees": [{"id": "7", "action": "Exploded", "fields": {}}]}'

    with pytest.raises(PayloadRejected, match="'Exploded'"):
        events.parse(body)


def test_signature_over_body_and_timestamp_verifies_within_the_window():
    body = b'{"type":"employee.created"}'
    headers = {
        "X-BambooHR-Timestamp": "1769884920",
        "X-BambooHR-Signature": signature.signature("k3y", body, "1769884920"),
    }
    request = InboundRequest(body=body, headers=headers)

    signature.verify(request, "k3y", now=datetime.fromtimestamp(1769884920 + 60, UTC))
    with pytest.raises(SignatureRejected, match="window"):
        signature.verify(
            request, "k3y", now=datetime.fromtimestamp(1769884920 + 900, UTC)
        )
    with pytest.raises(SignatureRejected, match="does not match"):
        signature.verify(request, "other", now=datetime.fromtimestamp(1769884920, UTC))
