import pytest

from opsgate.connectors.inbound.errors import PayloadRejected, SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.jira import events


def test_resolved_issue_sample_names_project_status_and_changes(samples):
    body = (
        samples / "webhooks" / "jira-cloud-issue-updated-resolved.json"
    ).read_bytes()

    (record,) = events.parse(body, {"X-Atlassian-Webhook-Identifier": "wh-1"})

    assert record.source_event_id == "wh-1"
    assert record.event_type == "jira:issue_updated"
    assert record.object_type == "issue"
    assert record.object_id == "10040"
    assert record.fields["issue_key"] == "TES-41"
    assert record.fields["project_key"] == "TES"
    assert record.fields["status"] == "Done"
    assert record.fields["resolution"] == "Done"
    assert {"field": "status", "from": "In Progress", "to": "Done"} in record.fields[
        "changes"
    ]


def test_without_identifier_header_the_key_is_event_object_and_timestamp(samples):
    body = (
        samples / "webhooks" / "jira-cloud-issue-updated-resolved.json"
    ).read_bytes()

    (record,) = events.parse(body)

    assert record.source_event_id == "jira:issue_updated:10040:1550286940507"


def test_hub_signature_verifies_and_a_wrong_one_is_refused(samples):
    body = (
        samples / "webhooks" / "jira-cloud-issue-updated-resolved.json"
    ).read_bytes()
    good = InboundRequest(
        body=body, headers={"X-Hub-Signature": events.signature("s", body)}
    )
    bad = InboundRequest(body=body, headers={"X-Hub-Signature": "sha256=00"})

    events.verify(good, "s")
    with pytest.raises(SignatureRejected):
        events.verify(bad, "s")


def test_body_without_webhook_event_is_refused():
    with pytest.raises(PayloadRejected, match="webhookEvent"):
        events.parse(b'{"timestamp": 1}')


def test_issue_fields_that_are_not_an_object_are_refused_naming_the_path():
    body = (
        b'{"timestamp": 1, "webhookEvent": "jira:issue_updated",'
        b' "issue": {"id": "1", "fields": "oops"}}'
    )

    with pytest.raises(PayloadRejected) as refused:
        events.parse(body)

    assert refused.value.location == "$.issue.fields"
    assert str(refused.value) == (
        "jira body at $.issue.fields: expected an object, got 'oops'."
    )


def test_issue_event_without_its_issue_is_refused_naming_it():
    body = b'{"webhookEvent": "jira:issue_updated", "timestamp": 1700000000000}'

    with pytest.raises(PayloadRejected) as refused:
        events.parse(body)

    assert refused.value.location == "$.issue"
