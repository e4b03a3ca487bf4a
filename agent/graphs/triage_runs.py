"""Start, resume and inspect triage runs, one thread per incident."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from opsgate.agent.graphs.triage_state import TriageContext, TriageState

Graph = CompiledStateGraph[TriageState, TriageContext, TriageState, TriageState]


@dataclass(frozen=True)
class TriageStatus:
    """Where one incident's triage stands."""

    incident_id: int
    waiting: bool
    """True while it waits for a person's decision."""
    proposal_id: int | None
    outcome: str | None
    refusal: str | None
    """Why the gate refused the last decision, if it did."""
    classification: dict[str, Any] | None


def thread_config(incident_id: int) -> RunnableConfig:
    """Return the run config of an incident's triage thread."""
    return {"configurable": {"thread_id": f"triage-incident-{incident_id}"}}


def start_triage(
    graph: Graph, context: TriageContext, incident_id: int
) -> TriageStatus:
    """Run the triage of `incident_id` until it waits for people or ends."""
    graph.invoke(
        {"incident_id": incident_id}, thread_config(incident_id), context=context
    )
    return triage_status(graph, incident_id)


def resume_triage(
    graph: Graph, context: TriageContext, incident_id: int, decision: dict[str, Any]
) -> TriageStatus:
    """Resume a waiting triage with a decision (or a nudge after a CLI approval)."""
    graph.invoke(Command(resume=decision), thread_config(incident_id), context=context)
    return triage_status(graph, incident_id)


def triage_status(graph: Graph, incident_id: int) -> TriageStatus:
    """Return where the triage of `incident_id` stands, from its checkpoint."""
    snapshot = graph.get_state(thread_config(incident_id))
    values: dict[str, Any] = dict(snapshot.values or {})
    return TriageStatus(
        incident_id=incident_id,
        waiting="await_approval" in snapshot.next,
        proposal_id=values.get("proposal_id"),
        outcome=values.get("outcome"),
        refusal=values.get("refusal"),
        classification=values.get("classification"),
    )
