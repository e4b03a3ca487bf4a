"""Check that an outbound message comes from the expected Salesforce org.

Outbound messages carry no signature. Salesforce's own guidance is to accept
them over TLS (optionally with its client certificate) and to check the
`OrganizationId` in the message; the configured secret for the `salesforce`
source is that organisation id (15 or 18 characters; the first 15, which
are case-sensitive, are compared).
"""

import hmac
import re
from datetime import datetime

from opsgate.connectors.inbound.errors import SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest

SOURCE = "salesforce"
_ORG_ID = re.compile(rb"<(?:\w+:)?OrganizationId>\s*([A-Za-z0-9]{15,18})\s*<")


def verify(request: InboundRequest, secret: str, now: datetime | None = None) -> None:
    """Raise `SignatureRejected` unless the message names the configured org."""
    found = _ORG_ID.search(request.body[:8192])
    if found is None:
        raise SignatureRejected(
            "salesforce outbound message rejected: no OrganizationId in the message.",
            source=SOURCE,
        )
    given = found.group(1).decode()[:15]
    if not hmac.compare_digest(given.encode(), secret.strip()[:15].encode()):
        raise SignatureRejected(
            f"salesforce outbound message rejected: OrganizationId {given!r} is not "
            "the configured organisation.",
            source=SOURCE,
        )
