"""Send a body to a webhook endpoint, signed with Standard Webhooks."""

from __future__ import annotations

import hashlib
import time

import httpx

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.webhooks.standard import signed_headers


def post_signed(
    client: httpx.Client, base_url: str, *, source: str, body: bytes, secret: str
) -> httpx.Response:
    """Post `body` to `{base_url}/webhooks/{source}`, signed with `secret`.

    The message id is derived from the body, so sending the same body twice is
    the same event twice (the second answer is 200 with the first id).

    Raises:
        ConnectorError: the server could not be reached (category `unavailable`)
            or did not answer in time (`timeout`).
    """
    msg_id = "push_" + hashlib.sha256(body).hexdigest()[:24]
    headers = signed_headers(
        secret, msg_id=msg_id, timestamp=int(time.time()), body=body
    )
    headers["content-type"] = "application/json"
    url = f"{base_url}/webhooks/{source}"
    try:
        return client.post(url, content=body, headers=headers)
    except httpx.TimeoutException as exc:
        raise _error(
            f"{url} did not answer in time.", ErrorCategory.TIMEOUT, url
        ) from exc
    except httpx.TransportError as exc:
        raise _error(
            f"Could not reach {url}: {exc}. Is `opsgate run` running there?",
            ErrorCategory.UNAVAILABLE,
            url,
        ) from exc


def _error(message: str, category: ErrorCategory, url: str) -> ConnectorError:
    return ConnectorError(
        message, category=category, retryable=True, target=url, operation="post"
    )
