"""Send a body to a webhook endpoint, signed as its sender would sign it."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.webhooks.signers import signed_for


def post_signed(
    client: httpx.Client,
    base_url: str,
    *,
    source: str,
    body: bytes,
    secret: str,
    scheme: str = "standard-webhooks",
) -> httpx.Response:
    """Post `body` to `{base_url}/webhooks/{source}`, signed with `secret`.

    `scheme` is the source's signature scheme (its catalog `signature:`). A
    Standard Webhooks message id is derived from the body, so sending the same
    body twice is the same event twice (the second answer is 200 with the
    first id).

    Raises:
        ConnectorError: the server could not be reached (category `unavailable`)
            or did not answer in time (`timeout`).
    """
    url = f"{base_url}/webhooks/{source}"
    headers = signed_for(scheme, secret, url, body, datetime.now(UTC))
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
