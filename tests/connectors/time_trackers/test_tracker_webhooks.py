"""Toggl Track and Clockify webhooks: signatures, records, and what is refused."""

import json
from pathlib import Path

import pytest

from opsgate.connectors.clockify import webhook as clockify
from opsgate.connectors.inbound.errors import PayloadRejected, SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.toggl import webhook as toggl

FIXTURES = Path(__file__).parents[2] / "fixtures" / "time_trackers"


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_toggl_signature_is_an_hmac_of_the_body_under_the_subscription_secret():
    raw = body("toggl-time-entry-created.json")
    signed = InboundRequest(
        body=raw,
        headers={"X-Webhook-Signature-256": toggl.signature("s3cret", raw)},
    )

    toggl.verify(signed, "s3cret")
    with pytest.raises(SignatureRejected, match="does not match"):
        toggl.verify(signed, "other")
    with pytest.raises(SignatureRejected, match="X-Webhook-Signature-256"):
        toggl.verify(InboundRequest(body=raw, headers={}), "s3cret")


def test_toggl_entry_becomes_one_record_with_the_tools_ids_and_hours():
    [record] = toggl.parse(body("toggl-time-entry-created.json"))

    assert record.source_event_id == "10710:881234"
    assert record.event_type == "time_entry.created"
    assert record.object_id == "3301992211"
    assert record.fields["action"] == "created"
    assert record.fields["user_id"] == "9547721"
    assert record.fields["workspace_id"] == "7435584"
    assert record.fields["project_id"] == "201887"
    assert record.fields["task_id"] == "5501"
    assert record.fields["hours"] == "2.5000"
    assert record.fields["started_at"] == "2026-11-03T14:00:00+00:00"
    assert record.fields["tags"] == ["onsite"]


def test_toggl_running_timer_is_marked_running_with_no_hours():
    [record] = toggl.parse(body("toggl-time-entry-running.json"))

    assert record.fields["action"] == "running"
    assert record.fields["hours"] is None
    assert record.fields["ended_at"] is None


def test_toggl_ping_carries_the_code_to_echo():
    [record] = toggl.parse(body("toggl-ping.json"))

    assert record.event_type == "ping"
    assert toggl.validation_code(record) == "89627dd73f2044f2f73815d665bbce33"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.pop("metadata"), "$.metadata"),
        (lambda d: d["payload"].pop("start"), "$.payload.start"),
        (lambda d: d["payload"].update(start="yesterday"), "$.payload.start"),
        (lambda d: d["payload"].update(user_id=None, uid=None), "$.payload.user_id"),
    ],
)
def test_toggl_body_missing_what_an_entry_needs_is_refused_naming_where(change, where):
    document = json.loads(body("toggl-time-entry-created.json"))
    document["metadata"].pop("event_user_id")  # else it stands in for the user
    change(document)

    with pytest.raises(PayloadRejected) as refused:
        toggl.parse(json.dumps(document).encode())

    assert refused.value.location == where


def test_clockify_signature_is_the_webhooks_own_token():
    raw = body("clockify-new-time-entry.json")

    clockify.verify(
        InboundRequest(body=raw, headers={"Clockify-Signature": "tok-1"}), "tok-1"
    )
    with pytest.raises(SignatureRejected, match="token") as refused:
        clockify.verify(
            InboundRequest(body=raw, headers={"Clockify-Signature": "tok-2"}), "tok-1"
        )

    assert "tok-2" not in refused.value.message


def test_clockify_entry_reads_names_rate_in_cents_and_iso_duration():
    [record] = clockify.parse(
        body("clockify-new-time-entry.json"),
        {"clockify-webhook-event-type": "NEW_TIME_ENTRY"},
    )

    assert record.event_type == "time_entry.created"
    assert record.object_id == "6727a1c0f1e2d3c4b5a69788"
    assert record.fields["project_name"] == "Northwind ERP rollout"
    assert record.fields["customer_name"] == "Northwind Traders"
    assert record.fields["task_name"] == "Delivery"
    assert record.fields["user_name"] == "Mara Okafor"
    assert record.fields["user_email"] is None
    assert record.fields["hours"] == "1.5000"
    assert record.fields["hourly_rate"] == "145.00"
    assert record.fields["currency"] == "EUR"
    assert record.fields["approved"] is None
    assert record.fields["tags"] == ["remote"]


def test_clockify_retry_of_one_delivery_has_the_same_id_a_new_state_another():
    raw = body("clockify-new-time-entry.json")
    headers = {"clockify-webhook-event-type": "TIME_ENTRY_UPDATED"}
    edited = json.loads(raw)
    edited["description"] = "Sprint review and planning"

    [first] = clockify.parse(raw, headers)
    [again] = clockify.parse(raw, headers)
    [changed] = clockify.parse(json.dumps(edited).encode(), headers)

    assert first.source_event_id == again.source_event_id
    assert changed.source_event_id != first.source_event_id


def test_clockify_approval_status_maps_to_approved():
    document = json.loads(body("clockify-new-time-entry.json"))
    document["approvalStatus"] = "APPROVED"
    pending = dict(document, approvalStatus="PENDING")

    [approved] = clockify.parse(json.dumps(document).encode())
    [waiting] = clockify.parse(json.dumps(pending).encode())

    assert approved.fields["approved"] is True
    assert waiting.fields["approved"] is False


def test_clockify_approval_request_names_the_person_and_period():
    [record] = clockify.parse(
        body("clockify-approval-approved.json"),
        {"clockify-webhook-event-type": "APPROVAL_REQUEST_STATUS_UPDATED"},
    )

    assert record.event_type == "approval_request.updated"
    assert record.fields == {
        "approval_id": "6731b2c3d4e5f60718293a4b",
        "workspace_id": "5f1e2d3c4b5a697887766554",
        "user_id": "5e8f1a2b3c4d5e6f7a8b9c0d",
        "user_name": "Mara Okafor",
        "state": "APPROVED",
        "period_start": "2026-11-02",
        "period_end": "2026-11-08",
    }


def test_clockify_bad_duration_and_unknown_shape_are_refused_naming_where():
    document = json.loads(body("clockify-new-time-entry.json"))
    document["timeInterval"]["duration"] = "90 minutes"

    with pytest.raises(PayloadRejected) as bad_duration:
        clockify.parse(json.dumps(document).encode())
    with pytest.raises(PayloadRejected, match="names no event"):
        clockify.parse(b'{"hello": "world"}')
    with pytest.raises(PayloadRejected, match="not JSON"):
        clockify.parse(b"{not json")

    assert bad_duration.value.location == "$.timeInterval.duration"


def test_toggl_ping_without_a_code_is_refused():
    with pytest.raises(PayloadRejected) as refused:
        toggl.parse(b'{"payload": "ping", "subscription_id": 1}')

    assert refused.value.location == "$.validation_code"
