"""Errors the Odoo connector raises beyond the shared `ConnectorError`.

ConnectorError                 (opsgate.connectors.errors)
 ├── RetryLater                (Odoo or a proxy asked us to wait)
 ├── OutcomeUncertain          (Odoo may have applied the change: read back)
 └── OdooRowError              (one row of a batch failed; names row, field, value)
      └── OdooValueRefused     (a value refused before it was sent)
"""

from __future__ import annotations

from typing import Any

from opsgate.connectors.errors import ConnectorError, ErrorCategory

TARGET = "odoo"
"""The `target` every error of this connector names."""


class OutcomeUncertain(ConnectorError):
    """Raised when a call failed after Odoo may already have applied it."""

    def __init__(self, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("category", ErrorCategory.UNKNOWN)
        kwargs["retryable"] = False
        kwargs["outcome_uncertain"] = True
        super().__init__(message, **kwargs)


class OdooRowError(ConnectorError):
    """Raised (or reported per row) when Odoo rejected one row of a batch."""

    def __init__(
        self,
        message: str,
        *,
        row: int | None,
        field: str,
        value: Any,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("category", ErrorCategory.VALIDATION)
        kwargs.setdefault("retryable", False)
        kwargs.setdefault("target", TARGET)
        super().__init__(message, **kwargs)
        self.row = row
        """0-based index of the row in the call, or None for a single record."""
        self.field = field
        self.value = value


class OdooValueRefused(OdooRowError):
    """Raised when a value would be silently mangled by Odoo and is not sent."""
