"""Layer 3: ask the LLM, only when rules and model are both unsure."""

from __future__ import annotations

from pydantic import BaseModel, Field

from opsgate.agent.classify.facts import CATEGORIES, Category, IncidentFacts
from opsgate.agent.llm.client import LLMClient


class LLMClassification(BaseModel):
    """The answer the model must give; anything else is discarded."""

    category: Category
    root_cause: str = Field(min_length=8, max_length=300)
    confidence: float = Field(ge=0.0, le=1.0)
    evidence_ids: list[str] = Field(default_factory=list, max_length=10)


def ask_llm(
    client: LLMClient, facts: IncidentFacts, guesses: list[tuple[str, float]]
) -> LLMClassification | None:
    """Return the model's validated classification, or None to keep our own."""
    reply = client.structured(
        "classify",
        LLMClassification,
        data={"incident": _incident_data(facts)},
        variables={
            "categories": ", ".join(CATEGORIES),
            "guesses": ", ".join(f"{c} ({p:.2f})" for c, p in guesses) or "none",
        },
        purpose="triage.classify",
    )
    if reply.value is None:
        return None
    allowed = set(facts.evidence_ids)
    answer = reply.value
    answer.evidence_ids = [i for i in answer.evidence_ids if i in allowed]
    return answer


def _incident_data(facts: IncidentFacts) -> dict[str, object]:
    """Return only what classifying needs: no names, no payload values.

    The payload contributes the names of the fields the fault mentions, never
    their values, so neither personal data nor text planted in a field
    reaches the model.
    """
    message = str(facts.fault.get("message", "")) or facts.detail
    return {
        "source": facts.source,
        "target": facts.target,
        "operation": facts.operation,
        "stage": facts.stage,
        "http_status": facts.http_status,
        "fault": {"name": facts.fault.get("name"), "message": message},
        "fields_named_in_fault": sorted(k for k in facts.payload if k in message),
        "evidence_ids": facts.evidence_ids,
    }
