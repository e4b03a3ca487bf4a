"""Send the month's notifications to the engine as HubSpot and BambooHR would.

Each body is signed with the sender's own scheme (HubSpot v3, BambooHR's
HMAC), with the clock of the moment it is sent: the engine checks freshness.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import httpx

from opsgate.connectors.webhooks.signers import signed_for
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
        headers = signed_for(
            notification.source,
            secrets[notification.source],
            url,
            notification.body,
            datetime.now(UTC),
        )
        answers.append(client.post(url, content=notification.body, headers=headers))
    return answers
