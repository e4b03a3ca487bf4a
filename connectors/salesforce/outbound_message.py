"""Parse Salesforce outbound messages and build the SOAP acknowledgement.

An outbound message is a SOAP 1.1 `notifications` call holding the
organisation id, the workflow action id and up to 100 `Notification`
elements. Each notification's `Id` is what we dedupe on: Salesforce retries
unacknowledged messages for 24 hours, out of order and sometimes twice, and
each retry carries the latest record data under the same notification id.

The `SessionId` element is a live API credential; it is never copied into a
record.
"""

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from opsgate.connectors.inbound.errors import PayloadRejected
from opsgate.connectors.inbound.record import SourceRecord

SOURCE = "salesforce"
OUTBOUND_NS = "http://soap.sforce.com/2005/09/outbound"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ACK_CONTENT_TYPE = "text/xml; charset=utf-8"
"""Content type of the acknowledgement body."""

_ACK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
    "<soapenv:Body>"
    f'<notificationsResponse xmlns="{OUTBOUND_NS}"><Ack>{{ack}}</Ack>'
    "</notificationsResponse>"
    "</soapenv:Body>"
    "</soapenv:Envelope>"
)


def ack_body(ack: bool = True) -> bytes:
    """Return the SOAP `notificationsResponse`; `False` makes Salesforce retry."""
    return _ACK.format(ack="true" if ack else "false").encode()


def parse(body: bytes, headers: Mapping[str, str] | None = None) -> list[SourceRecord]:
    """Turn one outbound message into one record per notification.

    Raises:
        PayloadRejected: the body is not XML, carries a DTD, or is not a
            `notifications` message with notification and record ids.
    """
    notifications = _notifications_element(body)
    org_id = _text(notifications, "OrganizationId")
    action_id = _text(notifications, "ActionId")
    found = notifications.findall(f"{{{OUTBOUND_NS}}}Notification")
    return [
        _record(element, f"Notification[{index}]", org_id, action_id)
        for index, element in enumerate(found)
    ]


def _notifications_element(body: bytes) -> ET.Element:
    if b"<!DOCTYPE" in body[:2048].upper():
        raise PayloadRejected(
            "salesforce outbound message carries a DTD, which SOAP forbids.",
            source=SOURCE,
            location="prolog",
        )
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise PayloadRejected(
            f"salesforce outbound message is not well-formed XML: {exc}.",
            source=SOURCE,
            location=f"line {exc.position[0]} column {exc.position[1]}",
        ) from exc
    element = root.find(f".//{{{OUTBOUND_NS}}}notifications")
    if element is None:
        raise PayloadRejected(
            f"salesforce body has no {OUTBOUND_NS!r} notifications element; root is "
            f"{root.tag!r}.",
            source=SOURCE,
            location="Envelope.Body",
        )
    return element


def _record(
    element: ET.Element, location: str, org_id: str | None, action_id: str | None
) -> SourceRecord:
    notification_id = _text(element, "Id")
    sobject = element.find(f"{{{OUTBOUND_NS}}}sObject")
    if not notification_id or sobject is None:
        raise PayloadRejected(
            f"salesforce {location}: a notification needs an Id and an sObject.",
            source=SOURCE,
            location=location,
        )
    fields = {_local(child.tag): _value(child) for child in sobject}
    object_type = (sobject.get(f"{{{XSI_NS}}}type") or "sObject").split(":")[-1]
    record_id = fields.get("Id")
    if not record_id:
        raise PayloadRejected(
            f"salesforce {location}.sObject: the record Id is missing.",
            source=SOURCE,
            location=f"{location}.sObject",
        )
    return SourceRecord(
        source=SOURCE,
        source_event_id=notification_id,
        event_type="outbound_message",
        object_type=object_type,
        object_id=str(record_id),
        fields=fields,
        meta={"organization_id": org_id, "action_id": action_id},
        location=location,
        raw=ET.tostring(element, encoding="unicode"),
    )


def _text(parent: ET.Element, name: str) -> str | None:
    child = parent.find(f"{{{OUTBOUND_NS}}}{name}")
    return child.text.strip() if child is not None and child.text else None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _value(element: ET.Element) -> str | None:
    if element.get(f"{{{XSI_NS}}}nil") == "true":
        return None
    return element.text if element.text is not None else ""
