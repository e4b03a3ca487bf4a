"""An inbound HTTP request as the verifiers see it: method, URL, headers, body."""

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class InboundRequest:
    """The parts of a webhook request that signatures cover.

    Header names are matched case-insensitively, as HTTP requires.
    """

    body: bytes
    """The body exactly as received; signatures cover these bytes."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Request headers as received."""
    method: str = "POST"
    """HTTP method, upper case."""
    url: str = ""
    """The full URL the sender called, scheme and query string included."""

    def header(self, name: str) -> str | None:
        """Return the value of header `name`, whatever its case, or None."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None
