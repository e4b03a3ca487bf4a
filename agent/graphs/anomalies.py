"""The anomalies graph: read the billing facts, detect flags, raise them as incidents.

START → detect_anomalies → raise_incidents → END
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import Checkpointer
from sqlalchemy import Engine

from opsgate.agent.anomalies.detector import detect
from opsgate.agent.anomalies.dismissal import dismissed_fingerprints
from opsgate.agent.anomalies.flag import flag_from_dict, select_flags
from opsgate.agent.anomalies.raising import raise_flags
from opsgate.agent.anomalies.settings import AnomalySettings
from opsgate.rules.billing.facts import load_billing_facts
from opsgate.rules.billing.odoo import OdooReader, pull_billing_facts
from opsgate.rules.store.db import session_scope


class AnomaliesState(TypedDict, total=False):
    """What one run of the anomalies job carries between nodes."""

    as_of: str
    """ISO date the facts are read as of."""
    since: str | None
    """ISO date: only timesheet lines on or after it are checked."""
    project: str | None
    """Only this project's lines are checked (code or name)."""
    raise_incidents: bool
    """Whether new flags become incidents and proposals."""
    flags: list[dict[str, Any]]
    """The flags found, as plain data."""
    raised: list[dict[str, Any]]
    """Per flag: fingerprint, incident id, proposal id, outcome."""
    skipped: list[str]
    """Events that could not be read, with the reason."""


@dataclass(frozen=True)
class AnomaliesContext:
    """What the nodes need that is not state: the store and the thresholds."""

    engine: Engine
    settings: AnomalySettings = field(default_factory=AnomalySettings)
    odoo: OdooReader | None = None
    """When set, the facts are pulled from Odoo instead of the store's events."""


def detect_anomalies(
    state: AnomaliesState, runtime: Runtime[AnomaliesContext]
) -> dict[str, Any]:
    """Read the facts from the store and detect flags, without dismissed ones.

    Every line is read, so spikes are judged against the whole history and
    invoices against all their time; `since` and `project` narrow the flags.
    With an Odoo client in the context the facts come from Odoo; the node then
    runs the pull on its own event loop, so call the graph from sync code.
    """
    since = state.get("since")
    as_of = date.fromisoformat(state["as_of"])
    with session_scope(runtime.context.engine) as session:
        dismissed = dismissed_fingerprints(session)
        if runtime.context.odoo is None:
            facts = load_billing_facts(session, as_of=as_of)
    if runtime.context.odoo is not None:
        facts = asyncio.run(pull_billing_facts(runtime.context.odoo, as_of=as_of))
    flags = select_flags(
        detect(facts, runtime.context.settings, dismissed=dismissed),
        since=date.fromisoformat(since) if since else None,
        project=state.get("project"),
    )
    return {"flags": [flag.to_dict() for flag in flags], "skipped": facts.skipped}


def raise_incidents(
    state: AnomaliesState, runtime: Runtime[AnomaliesContext]
) -> dict[str, Any]:
    """Open an incident and propose a correction per new flag."""
    if not state.get("raise_incidents", True):
        return {"raised": []}
    flags = [flag_from_dict(data) for data in state.get("flags", [])]
    with session_scope(runtime.context.engine) as session:
        raised = raise_flags(session, flags)
    return {"raised": [vars(item) for item in raised]}


def build_anomalies_graph(
    checkpointer: Checkpointer = None,
) -> CompiledStateGraph[
    AnomaliesState, AnomaliesContext, AnomaliesState, AnomaliesState
]:
    """Return the compiled anomalies graph, checkpointed by `checkpointer`."""
    graph = StateGraph(AnomaliesState, context_schema=AnomaliesContext)
    graph.add_node("detect_anomalies", detect_anomalies)
    graph.add_node("raise_incidents", raise_incidents)
    graph.add_edge(START, "detect_anomalies")
    graph.add_edge("detect_anomalies", "raise_incidents")
    graph.add_edge("raise_incidents", END)
    return graph.compile(checkpointer=checkpointer)
