"""One-sentence root causes written from the facts, without a model."""

from __future__ import annotations

from opsgate.agent.classify.facts import IncidentFacts

_TEMPLATES: dict[str, str] = {
    "auth": "{target} refused the credentials used for {operation}: {fault}.",
    "permission": "The account used for {operation} on {target} lacks the right to do "
    "it: {fault}.",
    "validation": "{target} rejected a value in {operation} by its own rules: {fault}.",
    "missing_reference": "{operation} refers to a record {target} does not have: {fault}.",
    "mapping": "The mapping from {source} produced a value {target} cannot take in "
    "{operation}: {fault}.",
    "duplicate": "The same record or event from {source} arrived or exists twice: "
    "{fault}.",
    "conflict": "A system-of-record rule or a locked state forbids {operation} on "
    "{target}: {fault}.",
    "schema_drift": "{target} no longer has a field, model or column that {operation} "
    "expects: {fault}.",
    "rate_limit": "{target} throttled {operation}; a later attempt will pass: {fault}.",
    "timeout": "{target} did not answer {operation} in time: {fault}.",
    "unavailable": "{target} was unreachable or down during {operation}: {fault}.",
    "data_quality": "The data {source} sent is implausible and needs a person: {fault}.",
    "unknown": "{operation} on {target} failed in a way the rules do not name: {fault}.",
}


def root_cause(category: str, facts: IncidentFacts) -> str:
    """Return one sentence naming what failed and why."""
    message = str(facts.fault.get("message") or facts.detail or facts.title)
    first = message.strip().splitlines()[0] if message.strip() else "no message"
    first = first.rstrip(".")[:160]
    if facts.control:
        # A control's finding is not a fault of the data or the target: the
        # business rule it checks wants a person (chase a payment, sign a SOW).
        return f"Workflow control {facts.control} needs a person: {first}."
    sentence = _TEMPLATES.get(category, _TEMPLATES["unknown"]).format(
        target=facts.target or "the target",
        source=facts.source or "the source",
        operation=facts.operation or "the call",
        fault=first,
    )
    return sentence[0].upper() + sentence[1:]
