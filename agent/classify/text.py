"""Turn incident facts into the text the model reads."""

from __future__ import annotations

from opsgate.agent.classify.facts import IncidentFacts
from opsgate.agent.classify.signature import normalise


def model_text(facts: IncidentFacts) -> str:
    """Return one line of features: where it failed, the fault, and its words."""
    operation = (facts.operation or "").split(":", 1)[0]
    fields = [
        f"src_{facts.source}",
        f"tgt_{facts.target}",
        f"stage_{facts.stage}",
        f"op_{operation}",
        f"http_{facts.http_status}",
        f"reported_{facts.reported_category}",
        str(facts.fault.get("name", "")),
        normalise(str(facts.fault.get("message", "")) or facts.detail),
    ]
    return " ".join(fields)
