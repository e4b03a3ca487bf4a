from datetime import UTC, datetime

from cloudevents.http import CloudEvent

from opsgate.rules.envelope.cloudevent import (
    from_cloudevent,
    to_cloudevent,
    to_structured,
)
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import Event


def stored_event(**overrides) -> Event:
    values = {
        "id": "5b0c6a4e-0000-4000-8000-000000000001",
        "source": "hubspot",
        "source_event_id": "1228532628",
        "type": "opsgate.contract.won",
        "subject": "deal-900000003",
        "time": datetime(2019, 4, 24, 11, 36, 55, tzinfo=UTC),
        "correlation_id": "deal-900000003",
        "causation_id": "5b0c6a4e-0000-4000-8000-000000000000",
        "schema_version": "1.0",
        "status": EventStatus.ROUTED,
        "raw_body": b"[]",
        "data": {"source": "hubspot", "source_key": "900000003", "name": "Acme"},
    }
    values.update(overrides)
    return Event(**values)


def test_envelope_carries_the_attributes_and_extensions():
    envelope = to_structured(stored_event())

    assert envelope["specversion"] == "1.0"
    assert envelope["id"] == "5b0c6a4e-0000-4000-8000-000000000001"
    assert envelope["source"] == "hubspot"
    assert envelope["type"] == "opsgate.contract.won"
    assert envelope["time"] == "2019-04-24T11:36:55+00:00"
    assert envelope["subject"] == "deal-900000003"
    assert envelope["correlationid"] == "deal-900000003"
    assert envelope["causationid"] == "5b0c6a4e-0000-4000-8000-000000000000"
    assert envelope["schemaversion"] == "1.0"
    assert envelope["data"]["name"] == "Acme"


def test_absent_attributes_are_left_out():
    envelope = to_structured(stored_event(causation_id=None, subject=None, data=None))

    assert "causationid" not in envelope
    assert "subject" not in envelope
    assert "datacontenttype" not in envelope


def test_envelope_converts_back_to_the_same_row():
    original = stored_event()

    back = from_cloudevent(
        to_cloudevent(original), raw_body=b"[]", status=EventStatus.ROUTED
    )

    for column in (
        "id",
        "source",
        "source_event_id",
        "type",
        "subject",
        "time",
        "correlation_id",
        "causation_id",
        "schema_version",
        "data",
        "raw_body",
    ):
        assert getattr(back, column) == getattr(original, column), column


def test_foreign_envelope_without_extensions_uses_its_id_as_source_event_id():
    envelope = CloudEvent(
        {
            "id": "a-1",
            "source": "/crm",
            "type": "com.example.deal.won",
            "time": "2026-01-01T00:00:00Z",
        },
        {"name": "Acme"},
    )

    event = from_cloudevent(envelope)

    assert event.source_event_id == "a-1"
    assert event.time == datetime(2026, 1, 1, tzinfo=UTC)
    assert event.raw_body == b'{"name": "Acme"}'
