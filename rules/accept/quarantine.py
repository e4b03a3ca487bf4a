"""Keep an input that cannot become an event, and open an incident about it."""

from __future__ import annotations

from collections.abc import Mapping

import structlog
from sqlmodel import Session

from opsgate.connectors.errors import ErrorCategory, redact
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.store.tables import QuarantinedInput

log = structlog.get_logger(__name__)


def quarantine(
    session: Session,
    *,
    source: str,
    channel: str,
    body: bytes,
    headers: Mapping[str, str] | None,
    reason: str,
    location: str | None = None,
    category: ErrorCategory | None = ErrorCategory.VALIDATION,
) -> QuarantinedInput:
    """Store the raw input in quarantine, in the caller's transaction.

    With a `category`, an incident opens about it (pass None for inputs that
    were refused before they were trusted, such as a bad signature).
    """
    kept = QuarantinedInput(
        source=source[:64],
        channel=channel,
        reason=reason,
        location=location[:256] if location else None,
        raw_body=body,
        raw_headers=redact(dict(headers or {})),
    )
    session.add(kept)
    session.flush()
    if category is not None:
        incident = open_incident(
            session,
            category=category,
            title=reason[:512],
            detail=reason,
            fingerprint=f"quarantine:{source}:{category.value}",
            source=source[:64],
            context={
                "quarantine_id": kept.id,
                "location": location,
                "channel": channel,
            },
        )
        kept.incident_id = incident.id
        session.add(kept)
        session.flush()
    log.warning(
        "input.quarantined",
        quarantine_id=kept.id,
        source=source,
        channel=channel,
        reason=reason,
        location=location,
    )
    return kept
