"""Send the month's notifications to the engine as HubSpot and BambooHR would.

Each body is signed with the sender's own scheme (HubSpot v3, BambooHR's
HMAC), with the clock of the moment it is sent: the engine checks freshness.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import httpx

from opsgate.connectors.bamboohr.signature import signature as bamboohr_signature
from opsgate.connectors.hubspot.signature import v3_signature
from opsgate.demo.inputs import Notification


def send_notifications(
    client: httpx.Client,
    base_url: str,
    notifications: Iterable[Notification],
    *,
    secrets: dict[str, str],
) -> list[httpx.Response]:
    """POST each notification to `/webhooks/<source>`; return the answers."""
    answers = []
    for notification in notifications:
        url = f"{base_url}/webhooks/{notification.source}"
        headers = _signed_headers(
            notification.source, url, notification.body, secrets[notification.source]
        )
        answers.append(client.post(url, content=notification.body, headers=headers))
    return answers


def _signed_headers(source: str, url: str, body: bytes, secret: str) -> dict[str, str]:
    headers = {"content-type": "application/json"}
    if source == "hubspot":
        stamp = str(int(time.time() * 1000))
        headers["X-HubSpot-Request-Timestamp"] = stamp
        headers["X-HubSpot-Signature-Version"] = "v3"
        headers["X-HubSpot-Signature-v3"] = v3_signature(
            secret, "POST", url, body, stamp
        )
    elif source == "bamboohr":
        stamp = str(int(time.time()))
        headers["X-BambooHR-Timestamp"] = stamp
        headers["X-BambooHR-Signature"] = bamboohr_signature(secret, body, stamp)
    return headers
