"""State and run-time context of the triage graph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from sqlalchemy import Engine

from opsgate.agent.classify import Classifier
from opsgate.agent.memory.store import IncidentMemory
from opsgate.rules.gate import GateSettings


class TriageState(TypedDict, total=False):
    """What a triage run knows so far; plain data only, so it checkpoints."""

    incident_id: int
    """The incident being triaged."""
    facts: dict[str, Any]
    """`IncidentFacts` as data: the event, delivery, attempts and fault."""
    similar: list[dict[str, Any]]
    """Similar past incidents from the memory, with how they were resolved."""
    related: list[dict[str, Any]]
    """The records involved as Odoo holds them now, read through the connector."""
    classification: dict[str, Any]
    """`Classification` as data: category, root cause, confidence, evidence."""
    impact: dict[str, Any]
    """What is blocked, for whom, how much money, by when."""
    proposal_id: int | None
    """The proposal put to the gate."""
    needs_approval: bool
    """Whether the proposal waits for people before it may run."""
    decision: dict[str, Any] | None
    """The last resume payload (`ResumeDecision` or `{"proposal_id": ...}`)."""
    refusal: str | None
    """Why the gate refused the last decision, if it did."""
    execution: dict[str, Any] | None
    """What the gate's execution did."""
    outcome: str
    """How the run ended: `verified`, `failed`, `rejected`, `refused`."""


@dataclass
class TriageContext:
    """What the nodes need at run time; passed per invocation, never checkpointed."""

    engine: Engine
    """The store."""
    classifier: Classifier
    gate: GateSettings = field(default_factory=GateSettings)
    memory: IncidentMemory | None = None
    """Similar past incidents; none means the memory is not used."""
    related: Callable[[dict[str, Any]], list[dict[str, Any]]] | None = None
    """Reads the related records from the target system; none skips that."""
