"""Post the summary to a Slack-compatible incoming webhook, retrying what can pass later."""

from __future__ import annotations

import httpx
import structlog
from tenacity import (
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

log = structlog.get_logger(__name__)


class WebhookError(Exception):
    """Raised when the webhook refused the summary, or kept failing until the last attempt."""


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TransportError):
        return True
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code == 429 or exc.response.status_code >= 500
    return False


def post_summary(
    url: str,
    text: str,
    *,
    attempts: int = 4,
    timeout_s: float = 10.0,
    wait_s: float = 0.5,
    client: httpx.Client | None = None,
) -> int:
    """Post `{"text": ...}` to `url`; return the HTTP status of the accepted attempt."""
    own = client is None
    http = client or httpx.Client(timeout=httpx.Timeout(timeout_s))

    @retry(
        retry=retry_if_exception(_retryable),
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=wait_s, max=wait_s * 8),
        reraise=True,
    )
    def send() -> int:
        response = http.post(url, json={"text": text})
        log.info("summary.post_attempted", status=response.status_code)
        response.raise_for_status()
        return response.status_code

    try:
        return send()
    except httpx.HTTPError as exc:
        raise WebhookError(
            f"Posting the summary to the webhook failed: {exc}."
        ) from exc
    finally:
        if own:
            http.close()
