"""Peer systems' own webhook receivers: verify their signature, split their body.

A catalog entry whose `signature:` names one of these takes webhooks in that
system's format: the receiver checks the system's own signature scheme, then
splits the body into `SourceRecord`s, each accepted as its own event body.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from opsgate.connectors.bamboohr import events as bamboohr_events
from opsgate.connectors.bamboohr import signature as bamboohr_signature
from opsgate.connectors.clockify import webhook as clockify_webhook
from opsgate.connectors.hubspot import events as hubspot_events
from opsgate.connectors.hubspot import signature as hubspot_signature
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.jira import events as jira_events
from opsgate.connectors.salesforce import organization, outbound_message
from opsgate.connectors.toggl import webhook as toggl_webhook
from opsgate.connectors.zendesk import events as zendesk_events

Verify = Callable[[InboundRequest, str, datetime | None], None]
"""Raise `SignatureRejected` unless the request's signature holds."""
Parse = Callable[[bytes, Mapping[str, str] | None], list[SourceRecord]]
"""Split a body into records; raise `PayloadRejected` naming where it is wrong."""


@dataclass(frozen=True)
class Acknowledgement:
    """The body and content type a peer requires as its answer."""

    body: bytes
    content_type: str


@dataclass(frozen=True)
class PeerReceiver:
    """How one peer system's webhooks are checked, split and answered."""

    verify: Verify
    parse: Parse
    acknowledge: Acknowledgement | None = None
    """The answer the peer requires (Salesforce's SOAP `Ack`); None: JSON event ids.

    A peer with an acknowledgement also gets it for a signed body that does
    not parse, once that body is kept in quarantine: Salesforce would
    otherwise resend it for 24 hours.
    """
    reply: Callable[[list[SourceRecord]], Acknowledgement | None] | None = None
    """An answer that depends on what was received (Toggl's validation ping),
    given once the records are committed; None from it: the usual answer."""


def toggl_validation(records: list[SourceRecord]) -> Acknowledgement | None:
    """Echo a Toggl ping's `validation_code`, which validates the subscription."""
    for record in records:
        code = toggl_webhook.validation_code(record)
        if code is not None:
            body = json.dumps({"validation_code": code}).encode()
            return Acknowledgement(body, "application/json")
    return None


SALESFORCE_ACK = Acknowledgement(
    outbound_message.ack_body(), outbound_message.ACK_CONTENT_TYPE
)
"""The SOAP `notificationsResponse` with `<Ack>true</Ack>`."""


PEER_RECEIVERS: dict[str, PeerReceiver] = {
    "hubspot": PeerReceiver(hubspot_signature.verify, hubspot_events.parse),
    "bamboohr": PeerReceiver(bamboohr_signature.verify, bamboohr_events.parse),
    "jira": PeerReceiver(jira_events.verify, jira_events.parse),
    "zendesk": PeerReceiver(zendesk_events.verify, zendesk_events.parse),
    "toggl": PeerReceiver(
        toggl_webhook.verify, toggl_webhook.parse, reply=toggl_validation
    ),
    "clockify": PeerReceiver(clockify_webhook.verify, clockify_webhook.parse),
    "salesforce": PeerReceiver(
        organization.verify, outbound_message.parse, SALESFORCE_ACK
    ),
}
"""Receivers by the scheme name a catalog entry's `signature:` gives.

Salesforce outbound messages carry no signature: `organization.verify`
checks the message's OrganizationId against the configured secret (the org
id). Known limitation: Change Data Capture arrives over the Pub/Sub API
(gRPC), which no connector subscribes to yet; a decoded event is parsed by
`opsgate.connectors.salesforce.change_events.parse`.
"""
