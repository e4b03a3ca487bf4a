"""The triage graph: gather, classify, assess, propose, wait for people, execute.

    gather_context → classify → assess_impact → propose_fix
        → await_approval (interrupt) ⇄ execute → verify → END
        (a proposal that needs no approval goes straight to execute)

Everything before `await_approval` only reads, or writes idempotently
(the gate returns the same pending proposal for the same fix), so a node
that runs twice after a crash changes nothing. Writes happen only in
`execute`, through the gate.
"""

from __future__ import annotations

from typing import Any, Literal

import structlog
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import RetryPolicy, interrupt
from pydantic import ValidationError
from sqlmodel import Session, select

from opsgate.agent.classify.facts import Classification, IncidentFacts
from opsgate.agent.context import gather_facts
from opsgate.agent.graphs.triage_state import TriageContext, TriageState
from opsgate.agent.impact import assess
from opsgate.agent.remedy import choose_remedy
from opsgate.connectors.errors import ConnectorError
from opsgate.rules.gate import (
    GateRefusal,
    ResumeDecision,
    apply_decision,
    propose,
)
from opsgate.rules.gate import (
    execute as gate_execute,
)
from opsgate.rules.gate.errors import RefusalReason
from opsgate.rules.gate.policy import needs_approval
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.mapping_tables import ValueMapping
from opsgate.rules.store.statuses import DeliveryStatus, IncidentStatus, ProposalStatus
from opsgate.rules.store.tables import Delivery, Incident, Proposal

log = structlog.get_logger(__name__)


def _retryable(error: Exception) -> bool:
    if isinstance(error, ConnectorError):
        return error.retryable
    return isinstance(error, TimeoutError)


RETRY = RetryPolicy(max_attempts=3, initial_interval=0.5, retry_on=_retryable)
"""Retries for nodes that read through connectors or call the LLM."""


def gather_context(
    state: TriageState, runtime: Runtime[TriageContext]
) -> dict[str, Any]:
    """Read the incident's event, delivery, attempts, records and past cousins.

    The records are read from the target as it holds them now, when a reader
    for it is configured.
    """
    with session_scope(runtime.context.engine) as session:
        facts = gather_facts(session, state["incident_id"])
    memory = runtime.context.memory
    similar = memory.similar(facts) if memory is not None else []
    data = facts.model_dump(mode="json")
    reader = runtime.context.related
    related = reader(data) if reader is not None else []
    return {"facts": data, "similar": similar, "related": related}


def classify(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Classify the incident: rules first, then the model, the LLM if unsure."""
    facts = IncidentFacts.model_validate(state["facts"])
    result = runtime.context.classifier.classify(facts)
    with session_scope(runtime.context.engine) as session:
        incident = session.get(Incident, state["incident_id"])
        if incident is not None:
            context = dict(incident.context or {})
            context["triage"] = {
                "category": result.category,
                "facts": state["facts"],
                "confidence": result.confidence,
                "layer": result.layer,
            }
            incident.context = context
            session.add(incident)
    return {"classification": result.model_dump(mode="json")}


def assess_impact(
    state: TriageState, runtime: Runtime[TriageContext]
) -> dict[str, Any]:
    """Say what the incident blocks, for whom, and how much money is at risk."""
    with session_scope(runtime.context.engine) as session:
        incident = session.get(Incident, state["incident_id"])
        impact = assess(incident) if incident is not None else {}
    return {"impact": impact}


def propose_fix(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Put the fix to the gate as a proposal (the same fix twice is one proposal)."""
    facts = IncidentFacts.model_validate(state["facts"])
    classification = Classification.model_validate(state["classification"])
    with session_scope(runtime.context.engine) as session:
        known = {
            m.source_value: m.target_value for m in session.exec(select(ValueMapping))
        }
        remedy = choose_remedy(classification, facts, known_mappings=known)
        proposal = propose(
            session,
            kind=remedy.kind,
            summary=remedy.summary,
            record_ref=remedy.record_ref,
            params=remedy.params,
            incident_id=state["incident_id"],
            rationale=f"{classification.root_cause} ({classification.layer}, "
            f"confidence {classification.confidence:.2f})",
            settings=runtime.context.gate,
        )
        proposal_id = int(proposal.id or 0)
    return {
        "proposal_id": proposal_id,
        "needs_approval": needs_approval(runtime.context.gate, remedy.kind.value),
    }


def await_approval(state: TriageState) -> dict[str, Any]:
    """Wait for a person's decision on the proposal; nothing else happens here."""
    decision = interrupt(
        {"proposal_id": state["proposal_id"], "refusal": state.get("refusal")}
    )
    return {"decision": decision}


def execute(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Apply the decision at the gate and, once approved, execute through it."""
    proposal_id = int(state["proposal_id"] or 0)
    context = runtime.context
    with session_scope(context.engine) as session:
        proposal = session.get(Proposal, proposal_id)
        if proposal is not None and proposal.status == ProposalStatus.EXECUTED:
            # A re-run after a crash between the gate's commit and the checkpoint.
            return {
                "refusal": None,
                "execution": {"status": "executed", "outcome": proposal.outcome},
            }
    try:
        with session_scope(context.engine) as session:
            if state.get("needs_approval", True):
                _apply(session, proposal_id, state.get("decision"), context)
            proposal = session.get(Proposal, proposal_id)
            if proposal is None or proposal.status == ProposalStatus.REJECTED:
                return {"refusal": None, "execution": None, "outcome": "rejected"}
            if proposal.status == ProposalStatus.PENDING and state.get(
                "needs_approval", True
            ):
                return {"refusal": "Waiting for a second, different approver."}
            result = gate_execute(
                session, proposal_id, actor="agent", settings=context.gate
            )
    except GateRefusal as refusal:
        log.warning("triage.refused", proposal_id=proposal_id, reason=refusal.reason)
        # A stale proposal cannot be mended by another decision: the triage ends
        # and the incident is triaged again against the record as it is now.
        if (
            not state.get("needs_approval", True)
            or refusal.reason == RefusalReason.STALE
        ):
            return {"refusal": refusal.message, "outcome": "refused"}
        return {"refusal": refusal.message}
    return {
        "refusal": None,
        "execution": {"status": result.status.value, "outcome": result.outcome},
    }


def _apply(
    session: Session,
    proposal_id: int,
    decision: dict[str, Any] | None,
    context: TriageContext,
) -> None:
    """Record the decision carried by the resume payload, if it carries one."""
    if not decision or "decision" not in decision:
        if decision and decision.get("proposal_id") not in (None, proposal_id):
            raise GateRefusal(
                f"Resume for proposal {decision.get('proposal_id')} refused: this "
                f"triage waits for a decision on proposal {proposal_id}.",
                reason=RefusalReason.WRONG_PROPOSAL,
                proposal_id=proposal_id,
            )
        return
    try:
        parsed = ResumeDecision.model_validate(decision)
    except ValidationError as exc:
        raise GateRefusal(
            f"Resume payload {decision!r} is not a decision: {exc.error_count()} "
            "errors.",
            reason=RefusalReason.BAD_INPUT,
            proposal_id=proposal_id,
        ) from exc
    apply_decision(session, proposal_id, parsed, settings=context.gate)


def verify(state: TriageState, runtime: Runtime[TriageContext]) -> dict[str, Any]:
    """Read back what execution changed and record how the triage ended."""
    with session_scope(runtime.context.engine) as session:
        proposal = session.get(Proposal, int(state["proposal_id"] or 0))
        incident = session.get(Incident, state["incident_id"])
        ok = proposal is not None and proposal.status == ProposalStatus.EXECUTED
        delivery_id = (proposal.params or {}).get("delivery_id") if proposal else None
        if delivery_id is not None:
            delivery = session.get(Delivery, delivery_id)
            ok = (
                ok
                and delivery is not None
                and delivery.status
                in {DeliveryStatus.PENDING, DeliveryStatus.DELIVERED}
            )
        outcome = "verified" if ok else "failed"
        if incident is not None:
            context = dict(incident.context or {})
            context.setdefault("triage", {})["outcome"] = outcome
            incident.context = context
            session.add(incident)
        _remember(runtime.context, state, proposal, incident, outcome)
    return {"outcome": outcome}


def _remember(
    context: TriageContext,
    state: TriageState,
    proposal: Proposal | None,
    incident: Incident | None,
    outcome: str,
) -> None:
    if context.memory is None or proposal is None:
        return
    resolved = incident is not None and incident.status == IncidentStatus.RESOLVED
    context.memory.remember(
        IncidentFacts.model_validate(state["facts"]),
        category=state["classification"]["category"],
        resolution=f"{proposal.kind.value} {outcome}"
        + (f"; {incident.resolution}" if resolved and incident else ""),
        proposal_kind=proposal.kind.value,
    )


def route_after_propose_fix(state: TriageState) -> Literal["await_approval", "execute"]:
    """Wait for people unless the proposal's kind runs without approval."""
    needs = state.get("needs_approval")
    if needs is True:
        return "await_approval"
    if needs is False:
        return "execute"
    raise ValueError(f"Unexpected needs_approval {needs!r} after propose_fix.")


def route_after_execute(
    state: TriageState,
) -> Literal["await_approval", "verify", "__end__"]:
    """Verify an execution, end on rejection, otherwise keep waiting."""
    if state.get("outcome") in {"rejected", "refused"}:
        return "__end__"
    if state.get("refusal"):
        return "await_approval"
    if state.get("execution") is not None:
        return "verify"
    return "await_approval"


def build_triage_graph(
    checkpointer: BaseCheckpointSaver[Any] | None,
) -> CompiledStateGraph[TriageState, TriageContext, TriageState, TriageState]:
    """Compile the triage graph on `checkpointer` (None: no persistence)."""
    graph = StateGraph(TriageState, context_schema=TriageContext)
    graph.add_node("gather_context", gather_context, retry_policy=RETRY)
    graph.add_node("classify", classify, retry_policy=RETRY)
    graph.add_node("assess_impact", assess_impact)
    graph.add_node("propose_fix", propose_fix)
    graph.add_node("await_approval", await_approval)
    graph.add_node("execute", execute)
    graph.add_node("verify", verify)
    graph.add_edge(START, "gather_context")
    graph.add_edge("gather_context", "classify")
    graph.add_edge("classify", "assess_impact")
    graph.add_edge("assess_impact", "propose_fix")
    graph.add_conditional_edges("propose_fix", route_after_propose_fix)
    graph.add_edge("await_approval", "execute")
    graph.add_conditional_edges("execute", route_after_execute)
    graph.add_edge("verify", END)
    return graph.compile(checkpointer=checkpointer)
