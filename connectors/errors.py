"""Errors raised by connectors, in the shared category vocabulary.

Every failure leaves a connector as one `ConnectorError`; the category set is
the vocabulary the engine, the agent, the evals and the UI all speak:

    ConnectorError
     └── RetryLater        (a control error: the target asked us to wait)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class ErrorCategory(StrEnum):
    """What kind of failure happened, independent of the system it came from."""

    AUTH = "auth"
    PERMISSION = "permission"
    VALIDATION = "validation"
    MISSING_REFERENCE = "missing_reference"
    MAPPING = "mapping"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    SCHEMA_DRIFT = "schema_drift"
    RATE_LIMIT = "rate_limit"
    TIMEOUT = "timeout"
    UNAVAILABLE = "unavailable"
    DATA_QUALITY = "data_quality"
    UNKNOWN = "unknown"


RETRYABLE_CATEGORIES = frozenset(
    {ErrorCategory.RATE_LIMIT, ErrorCategory.TIMEOUT, ErrorCategory.UNAVAILABLE}
)
"""Categories where another attempt later can succeed without a change."""


_SECRET_KEYS = re.compile(
    r"(pass(word)?|secret|token|api[_-]?key|authorization|cookie|session_id|signature)",
    re.IGNORECASE,
)
_BEARER = re.compile(r"(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
REDACTED = "<redacted>"


def redact(value: Any) -> Any:
    """Return a copy of `value` with credentials replaced by a marker.

    Mapping keys that name a credential lose their value; bearer and basic
    credentials inside strings are masked. Everything else is kept, so a fault
    stays useful for diagnosis.
    """
    if isinstance(value, Mapping):
        return {
            key: REDACTED
            if isinstance(key, str) and _SECRET_KEYS.search(key)
            else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", value)
    return value


class ConnectorError(Exception):
    """Raised when a call to an outside system fails."""

    def __init__(
        self,
        message: str,
        *,
        category: ErrorCategory,
        retryable: bool,
        target: str,
        operation: str,
        model: str | None = None,
        fault: Mapping[str, Any] | None = None,
        outcome_uncertain: bool = False,
        retry_after_s: float | None = None,
        failure_key: str | None = None,
        cause: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.category = category
        self.retryable = retryable
        self.target = target
        self.operation = operation
        self.model = model
        self.fault: dict[str, Any] | None = redact(fault) if fault is not None else None
        self.outcome_uncertain = outcome_uncertain
        """True when the target may have applied the change: read back first."""
        self.retry_after_s = retry_after_s
        """Seconds the target asked us to wait before the next attempt, if any."""
        self.failure_key = failure_key
        """A stable key of the failure's cause, when the raiser knows one: failures
        with the same key are one problem, and share one incident."""
        self.cause = cause
        """That cause in one sentence, shared by every failure with the key."""

    def to_dict(self) -> dict[str, Any]:
        """Return the error as plain data, fit to store or show."""
        return {
            "message": self.message,
            "category": self.category.value,
            "retryable": self.retryable,
            "target": self.target,
            "operation": self.operation,
            "model": self.model,
            "fault": self.fault,
            "outcome_uncertain": self.outcome_uncertain,
            "retry_after_s": self.retry_after_s,
            "failure_key": self.failure_key,
            "cause": self.cause,
        }


class RetryLater(ConnectorError):
    """Raised when the target asked for a pause (`Retry-After`) before retrying."""

    def __init__(self, message: str, *, delay_s: float, **kwargs: Any) -> None:
        kwargs.setdefault("category", ErrorCategory.RATE_LIMIT)
        kwargs.setdefault("retryable", True)
        super().__init__(message, retry_after_s=delay_s, **kwargs)
        self.delay_s = delay_s
