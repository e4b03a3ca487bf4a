"""The facts a triage reasons over, and the classification it reaches."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

CATEGORIES = (
    "auth",
    "permission",
    "validation",
    "missing_reference",
    "mapping",
    "duplicate",
    "conflict",
    "schema_drift",
    "rate_limit",
    "timeout",
    "unavailable",
    "data_quality",
    "unknown",
)
"""The error taxonomy, as in `connectors/errors.py`."""
Category = Literal[
    "auth",
    "permission",
    "validation",
    "missing_reference",
    "mapping",
    "duplicate",
    "conflict",
    "schema_drift",
    "rate_limit",
    "timeout",
    "unavailable",
    "data_quality",
    "unknown",
]
Layer = Literal["rules", "model", "llm", "fallback"]


class IncidentFacts(BaseModel):
    """What is known about one incident: plain data, safe to checkpoint."""

    incident_id: int | None = None
    title: str = ""
    detail: str = ""
    source: str | None = None
    target: str | None = None
    operation: str | None = None
    workflow: str | None = None
    control: str | None = None
    """The workflow control that opened the incident (`invoice_overdue`), if one did."""
    stage: str | None = None
    """Where on the path it failed: `accept`, `map`, `validate`, `ownership`, `deliver`."""
    reported_category: str = "unknown"
    """The category the engine or connector gave it."""
    http_status: int | None = None
    fault: dict[str, Any] = Field(default_factory=dict)
    """The connector's fault, secrets removed (`name`, `message`, ...)."""
    payload: dict[str, Any] = Field(default_factory=dict)
    customer: str | None = None
    blocks: str | None = None
    amount_at_risk: str | None = None
    """Money at risk as a decimal string."""
    event_id: str | None = None
    evidence_ids: list[str] = Field(default_factory=list)
    """Ids of the records behind the facts (`event:…`, `delivery:…`, `attempt:…`)."""
    held_by: list[dict[str, Any]] = Field(default_factory=list)
    """Open workflow-control incidents holding what this one waits for (the
    deal whose project the refused time names): `incident_id`, `control`,
    `title`. Fixing those, not this, is the remedy."""
    upstream_dead_letters: list[dict[str, Any]] = Field(default_factory=list)
    """Dead letters of the record this one needs (the employee the refused time
    names, whose own upsert failed): `dead_letter_id`, `delivery_id`,
    `operation`, `category`. Retrying that is the remedy."""

    def fault_text(self) -> str:
        """Return the fault's name and message as one line of text."""
        return f"{self.fault.get('name', '')} {self.fault.get('message', '')}".strip()


class Classification(BaseModel):
    """What the classifier concluded about an incident."""

    category: Category
    root_cause: str
    """One sentence: what failed and why."""
    confidence: float = Field(ge=0.0, le=1.0)
    evidence_ids: list[str] = Field(default_factory=list)
    layer: Layer
    """Which layer decided."""
    fingerprint: str = ""
    """The failure signature it was cached under."""
    flags: list[str] = Field(default_factory=list)
    """Warnings about the incident's data (`suspected_injection`)."""
