"""Translate httpx failures and HTTP error statuses into `ConnectorError`s.

The peer REST clients share this one translation, the way httpx maps httpcore
exceptions in one place; nothing above `connectors/` catches httpx errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from opsgate.connectors.errors import ConnectorError, ErrorCategory, RetryLater

_STATUS_CATEGORIES: dict[int, ErrorCategory] = {
    400: ErrorCategory.VALIDATION,
    401: ErrorCategory.AUTH,
    403: ErrorCategory.PERMISSION,
    404: ErrorCategory.MISSING_REFERENCE,
    409: ErrorCategory.CONFLICT,
    422: ErrorCategory.VALIDATION,
    429: ErrorCategory.RATE_LIMIT,
}


@contextmanager
def translate_httpx_errors(target: str, operation: str) -> Iterator[None]:
    """Turn transport failures inside the block into `ConnectorError`s."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise ConnectorError(
            f"{target} did not answer {operation} in time.",
            category=ErrorCategory.TIMEOUT,
            retryable=True,
            target=target,
            operation=operation,
        ) from exc
    except httpx.TransportError as exc:
        raise ConnectorError(
            f"{target} could not be reached for {operation}: {exc}.",
            category=ErrorCategory.UNAVAILABLE,
            retryable=True,
            target=target,
            operation=operation,
        ) from exc


def raise_for_status(response: httpx.Response, *, target: str, operation: str) -> None:
    """Raise the `ConnectorError` an error status means; return on 2xx."""
    if response.is_success:
        return
    status = response.status_code
    body = response.text[:2000]
    message = f"{target} refused {operation} with HTTP {status}: {body!r}."
    retry_after = _retry_after_s(response)
    if status == 429 or (status in (502, 503, 504) and retry_after is not None):
        raise RetryLater(
            message,
            delay_s=retry_after or 1.0,
            category=ErrorCategory.RATE_LIMIT
            if status == 429
            else ErrorCategory.UNAVAILABLE,
            target=target,
            operation=operation,
            fault={"status": status, "body": body},
        )
    category = _STATUS_CATEGORIES.get(status)
    if category is None:
        category = ErrorCategory.UNAVAILABLE if status >= 500 else ErrorCategory.UNKNOWN
    raise ConnectorError(
        message,
        category=category,
        retryable=status >= 500,
        target=target,
        operation=operation,
        fault={"status": status, "body": body},
    )


def _retry_after_s(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None
