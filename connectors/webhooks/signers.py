"""Sign a body the way each sender does, for `opsgate push`, smoke runs and the demo.

The receivers in `peers.py` and `schemes.py` check signatures; these make
them, by the same scheme names a catalog entry's `signature:` gives. Each
takes the secret, the URL the body goes to (HubSpot v3 signs it), the body
and the moment of sending, and returns the headers to send.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from opsgate.connectors.bamboohr.signature import signature as bamboohr_signature
from opsgate.connectors.hubspot.signature import v3_signature
from opsgate.connectors.jira.events import signature as jira_signature
from opsgate.connectors.stripe.events import signature as stripe_signature
from opsgate.connectors.toggl.webhook import signature as toggl_signature
from opsgate.connectors.webhooks.standard import signed_headers
from opsgate.connectors.zendesk.events import signature as zendesk_signature

Signer = Callable[[str, str, bytes, datetime], dict[str, str]]
"""(secret, url, body, now) → the headers that sign the body."""


def _standard(secret: str, url: str, body: bytes, now: datetime) -> dict[str, str]:
    msg_id = "push_" + hashlib.sha256(body).hexdigest()[:24]
    return signed_headers(
        secret, msg_id=msg_id, timestamp=int(now.timestamp()), body=body
    )


def _stripe(secret: str, url: str, body: bytes, now: datetime) -> dict[str, str]:
    stamp = int(now.timestamp())
    return {"Stripe-Signature": f"t={stamp},v1={stripe_signature(secret, body, stamp)}"}


def _hubspot(secret: str, url: str, body: bytes, now: datetime) -> dict[str, str]:
    stamp = str(int(now.timestamp() * 1000))
    return {
        "X-HubSpot-Request-Timestamp": stamp,
        "X-HubSpot-Signature-Version": "v3",
        "X-HubSpot-Signature-v3": v3_signature(secret, "POST", url, body, stamp),
    }


def _bamboohr(secret: str, url: str, body: bytes, now: datetime) -> dict[str, str]:
    stamp = str(int(now.timestamp()))
    return {
        "X-BambooHR-Timestamp": stamp,
        "X-BambooHR-Signature": bamboohr_signature(secret, body, stamp),
    }


def _jira(secret: str, url: str, body: bytes, now: datetime) -> dict[str, str]:
    return {"X-Hub-Signature": jira_signature(secret, body)}


def _zendesk(secret: str, url: str, body: bytes, now: datetime) -> dict[str, str]:
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "X-Zendesk-Webhook-Signature": zendesk_signature(secret, body, stamp),
        "X-Zendesk-Webhook-Signature-Timestamp": stamp,
    }


def _toggl(secret: str, url: str, body: bytes, now: datetime) -> dict[str, str]:
    return {"X-Webhook-Signature-256": toggl_signature(secret, body)}


def _clockify(secret: str, url: str, body: bytes, now: datetime) -> dict[str, str]:
    return {"Clockify-Signature": secret}


def _salesforce(secret: str, url: str, body: bytes, now: datetime) -> dict[str, str]:
    # Outbound messages carry no signature: the organisation id is in the body.
    return {"content-type": "text/xml; charset=utf-8"}


SIGNERS: dict[str, Signer] = {
    "standard-webhooks": _standard,
    "stripe": _stripe,
    "hubspot": _hubspot,
    "bamboohr": _bamboohr,
    "jira": _jira,
    "zendesk": _zendesk,
    "toggl": _toggl,
    "clockify": _clockify,
    "salesforce": _salesforce,
}
"""Signers by scheme name; every scheme a receiver checks has one."""


def signed_for(
    scheme: str, secret: str, url: str, body: bytes, now: datetime
) -> dict[str, str]:
    """Return the headers `scheme` sends with `body`, content type included.

    Raises:
        KeyError: no signer for `scheme` (the message names the known ones).
    """
    signer = SIGNERS.get(scheme)
    if signer is None:
        known = ", ".join(sorted(SIGNERS))
        raise KeyError(f"No signer for scheme {scheme!r}; known: {known}.")
    return {"content-type": "application/json", **signer(secret, url, body, now)}
