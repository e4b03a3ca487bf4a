import json
import xml.etree.ElementTree as ET

import pytest

from opsgate.connectors.inbound.errors import PayloadRejected
from opsgate.connectors.salesforce import change_events, outbound_message


def test_outbound_message_sample_becomes_one_account_record(samples):
    body = (
        samples / "webhooks" / "salesforce-outbound-message-account.xml"
    ).read_bytes()

    (record,) = outbound_message.parse(body)

    assert record.source_event_id == "04l000000000001AAA"
    assert record.object_type == "Account"
    assert record.object_id == "001000000000002AAA"
    assert record.fields["Name"] == "Fictional Outfitters Inc."
    assert record.fields["BillingStreet"] == "100 Example Street, Suite 300"
    assert record.meta["organization_id"] == "ABC90000000gNcmEAE"
    assert record.meta["action_id"] == "00190000000PGrlAAG"


def test_outbound_message_session_id_is_never_copied_into_the_record(samples):
    body = (
        samples / "webhooks" / "salesforce-outbound-message-account.xml"
    ).read_bytes()

    (record,) = outbound_message.parse(body)

    assert "FAKEsession" not in json.dumps(record.model_dump(mode="json"))


def test_a_message_with_many_notifications_yields_one_record_each(samples):
    text = (
        samples / "webhooks" / "salesforce-outbound-message-account.xml"
    ).read_text()
    start = text.index("<Notification>")
    end = text.index("</Notification>") + len("</Notification>")
    block = text[start:end]
    many = "".join(
        block.replace("04l000000000001AAA", f"04l0000000000{n:02d}AAA")
        for n in range(100)
    )

    records = outbound_message.parse((text[:start] + many + text[end:]).encode())

    assert len(records) == 100
    assert records[42].source_event_id == "04l000000000042AAA"


def test_ack_body_is_a_soap_notifications_response_with_ack_true():
    root = ET.fromstring(outbound_message.ack_body())

    ack = root.find(".//{http://soap.sforce.com/2005/09/outbound}Ack")
    assert root.tag == "{http://schemas.xmlsoap.org/soap/envelope/}Envelope"
    assert ack is not None and ack.text == "true"


def test_malformed_xml_is_refused_with_its_position():
    with pytest.raises(PayloadRejected, match="not well-formed XML") as caught:
        outbound_message.parse(b"<soapenv:Envelope><broken")

    assert caught.value.location.startswith("line 1")


def test_a_dtd_is_refused_before_parsing():
    body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'

    with pytest.raises(PayloadRejected, match="DTD"):
        outbound_message.parse(body)


def test_cdc_account_update_keeps_only_the_changed_values(samples):
    body = (
        samples / "webhooks" / "salesforce-cdc-account-update-pubsub.json"
    ).read_bytes()

    (record,) = change_events.parse(body)

    assert record.object_type == "Account"
    assert record.event_type == "UPDATE"
    assert record.object_id == "001000000000001AAA"
    assert record.fields == {
        "LastModifiedDate": 1696444513000,
        "BillingAddress": {"City": "San Francisco", "State": "CA"},
    }
    assert record.meta["replay_id"] == 18098167
    assert (
        record.source_event_id
        == "000046c7-a642-11e2-c29b-229c6786473e:1:001000000000001AAA"
    )


def _opportunity_event(samples, **header):
    event = json.loads(
        (samples / "webhooks" / "salesforce-cdc-account-update-pubsub.json").read_text()
    )
    payload = {
        "ChangeEventHeader": {
            **event["payload"]["ChangeEventHeader"],
            "entityName": "Opportunity",
            "recordIds": ["006000000000001AAA"],
            "changedFields": ["StageName", "IsWon", "IsClosed"],
            **header,
        },
        "Name": None,
        "StageName": "Closed Won",
        "IsWon": True,
        "IsClosed": True,
        "Amount": None,
    }
    return json.dumps({"replayId": 1, "payload": payload}).encode()


def test_opportunity_change_to_closed_won_carries_stage_and_iswon(samples):
    (record,) = change_events.parse(_opportunity_event(samples))

    assert record.object_type == "Opportunity"
    assert record.fields == {"StageName": "Closed Won", "IsWon": True, "IsClosed": True}


def test_one_event_naming_several_records_yields_one_record_each(samples):
    body = _opportunity_event(samples, recordIds=["006A", "006B"])

    records = change_events.parse(body)

    assert [r.object_id for r in records] == ["006A", "006B"]
    assert records[0].source_event_id != records[1].source_event_id


def test_gap_event_asks_for_a_pull_and_carries_no_values(samples):
    (record,) = change_events.parse(
        _opportunity_event(samples, changeType="GAP_UPDATE")
    )

    assert record.meta["needs_pull"] is True
    assert record.fields == {}


def test_cdc_body_without_header_is_refused():
    with pytest.raises(PayloadRejected, match="ChangeEventHeader"):
        change_events.parse(b'{"payload": {"Name": "x"}}')
