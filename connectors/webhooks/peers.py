"""Peer systems' own webhook receivers: verify their signature, split their body.

A catalog entry whose `signature:` names one of these takes webhooks in that
system's format: the receiver checks the system's own signature scheme, then
splits the body into `SourceRecord`s, each accepted as its own event body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from opsgate.connectors.bamboohr import events as bamboohr_events
from opsgate.connectors.bamboohr import signature as bamboohr_signature
from opsgate.connectors.hubspot import events as hubspot_events
from opsgate.connectors.hubspot import signature as hubspot_signature
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.jira import events as jira_events
from opsgate.connectors.zendesk import events as zendesk_events

Verify = Callable[[InboundRequest, str, datetime | None], None]
"""Raise `SignatureRejected` unless the request's signature holds."""
Parse = Callable[[bytes, Mapping[str, str] | None], list[SourceRecord]]
"""Split a body into records; raise `PayloadRejected` naming where it is wrong."""


@dataclass(frozen=True)
class PeerReceiver:
    """How one peer system's webhooks are checked and split."""

    verify: Verify
    parse: Parse


PEER_RECEIVERS: dict[str, PeerReceiver] = {
    "hubspot": PeerReceiver(hubspot_signature.verify, hubspot_events.parse),
    "bamboohr": PeerReceiver(bamboohr_signature.verify, bamboohr_events.parse),
    "jira": PeerReceiver(jira_events.verify, jira_events.parse),
    "zendesk": PeerReceiver(zendesk_events.verify, zendesk_events.parse),
}
"""Receivers by the scheme name a catalog entry's `signature:` gives.

Known limitation: Salesforce outbound messages (SOAP, answered with an
`<Ack>`) are not received over `/webhooks/salesforce` yet; they are parsed by
`opsgate.connectors.salesforce.outbound_message` for imports.
"""
