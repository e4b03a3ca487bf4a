"""Carry out an approved proposal: resume its waiting triage, or execute it."""

from __future__ import annotations

from sqlalchemy import Engine

from opsgate.agent.checkpoints import open_checkpointer
from opsgate.agent.graphs.triage import build_triage_graph
from opsgate.agent.graphs.triage_runs import resume_triage, triage_status
from opsgate.agent.setup import checkpoint_target, triage_context
from opsgate.rules.gate import GateSettings, execute
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.tables import Proposal
from opsgate.settings import load_settings


def carry_out(
    engine: Engine,
    database_url: str,
    proposal_id: int,
    *,
    actor: str,
    gate: GateSettings,
) -> str:
    """Execute approved proposal `proposal_id` and return one line saying how."""
    with session_scope(engine) as session:
        proposal = session.get(Proposal, proposal_id)
        incident_id = proposal.incident_id if proposal else None
    settings = load_settings().agent
    if incident_id is not None:
        with open_checkpointer(checkpoint_target(database_url, settings)) as saver:
            graph = build_triage_graph(saver)
            status = triage_status(graph, incident_id)
            if status.waiting and status.proposal_id == proposal_id:
                context = triage_context(
                    engine, database_url, settings, gate, load_settings().odoo
                )
                done = resume_triage(
                    graph, context, incident_id, {"proposal_id": proposal_id}
                )
                return (
                    f"Triage of incident {incident_id} resumed: "
                    f"{done.outcome or done.refusal}."
                )
    with session_scope(engine) as session:
        result = execute(session, proposal_id, actor=actor, settings=gate)
    return result.message
