"""Errors raised when an inbound body cannot be accepted.

    ConnectorError (opsgate.connectors.errors)
     ├── SignatureRejected   (category auth: missing, wrong or stale signature)
     └── PayloadRejected     (category validation: the body is not the shape
                              the source documents; says where and what)

The HTTP server answers 401 to the first and 400 to the second, and keeps the
body of a rejected payload as a quarantined input.
"""

from typing import Any

from opsgate.connectors.errors import ConnectorError, ErrorCategory


class SignatureRejected(ConnectorError):
    """Raised when a webhook's signature is missing, wrong or outside its window."""

    def __init__(self, message: str, *, source: str) -> None:
        super().__init__(
            message,
            category=ErrorCategory.AUTH,
            retryable=False,
            target=source,
            operation="verify",
        )
        self.source = source


class PayloadRejected(ConnectorError):
    """Raised when an inbound body does not have the shape its source documents."""

    def __init__(
        self,
        message: str,
        *,
        source: str,
        location: str | None = None,
        value: Any = None,
    ) -> None:
        super().__init__(
            message,
            category=ErrorCategory.VALIDATION,
            retryable=False,
            target=source,
            operation="parse",
        )
        self.source = source
        self.location = location
        """Where in the body the problem is (`[0].eventId`, `line 14`)."""
        self.value = value
        """The offending value, as found."""
