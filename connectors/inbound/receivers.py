"""The peer webhook receivers: for each `/webhooks/<name>`, verify, parse, answer.

A receiver is the transport side of one peer: `verify(request, secret, now)`
raises `SignatureRejected`; `parse(body, headers)` returns the body's
`SourceRecord`s or raises `PayloadRejected`; `acknowledge(records)`, when
set, builds the answer the peer requires (Salesforce's SOAP `Ack`).

    hubspot          HubSpot v3 (v1/v2) signature; JSON array of events
    salesforce       outbound message (SOAP); OrganizationId check; SOAP Ack
    salesforce-cdc   Change Data Capture relayed as JSON, Standard Webhooks signed
    bamboohr         X-BambooHR-Signature; event- or field-based employee events
    jira             X-Hub-Signature; issue, comment and worklog events
    zendesk          X-Zendesk-Webhook-Signature; event or trigger payloads
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from opsgate.connectors.bamboohr import events as bamboohr_events
from opsgate.connectors.bamboohr import signature as bamboohr_signature
from opsgate.connectors.hubspot import events as hubspot_events
from opsgate.connectors.hubspot import signature as hubspot_signature
from opsgate.connectors.inbound.errors import SignatureRejected
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.jira import events as jira_events
from opsgate.connectors.salesforce import change_events, organization, outbound_message
from opsgate.connectors.webhooks import standard
from opsgate.connectors.webhooks.errors import SignatureError
from opsgate.connectors.zendesk import events as zendesk_events

Verify = Callable[[InboundRequest, str, datetime | None], None]
Parse = Callable[[bytes, Mapping[str, str] | None], list[SourceRecord]]


@dataclass(frozen=True)
class Acknowledgement:
    """The body and content type a peer requires as its answer."""

    body: bytes
    content_type: str


@dataclass(frozen=True)
class PeerReceiver:
    """How one peer's webhooks are verified, parsed and answered."""

    name: str
    """The path segment (`/webhooks/<name>`) and the secret's key in settings."""
    verify: Verify
    parse: Parse
    acknowledge: Callable[[list[SourceRecord]], Acknowledgement] | None = None
    """The peer's required answer; None answers with JSON event ids."""


def _soap_ack(_records: list[SourceRecord]) -> Acknowledgement:
    return Acknowledgement(
        outbound_message.ack_body(), outbound_message.ACK_CONTENT_TYPE
    )


STANDARD_TOLERANCE_S = 300
"""Tolerance of Standard Webhooks timestamps from relays. Seconds."""


def _standard(request: InboundRequest, secret: str, now: datetime | None) -> None:
    try:
        standard.verify(
            secret,
            headers=request.headers,
            body=request.body,
            tolerance_s=STANDARD_TOLERANCE_S,
            now=now,
        )
    except SignatureError as exc:
        raise SignatureRejected(
            f"salesforce-cdc webhook rejected: {exc}", source="salesforce-cdc"
        ) from None


RECEIVERS: dict[str, PeerReceiver] = {
    receiver.name: receiver
    for receiver in (
        PeerReceiver("hubspot", hubspot_signature.verify, hubspot_events.parse),
        PeerReceiver(
            "salesforce", organization.verify, outbound_message.parse, _soap_ack
        ),
        PeerReceiver("salesforce-cdc", _standard, change_events.parse),
        PeerReceiver("bamboohr", bamboohr_signature.verify, bamboohr_events.parse),
        PeerReceiver("jira", jira_events.verify, jira_events.parse),
        PeerReceiver("zendesk", zendesk_events.verify, zendesk_events.parse),
    )
}
"""Every peer receiver by its path segment."""
