"""Train the triage model from labelled cases and people's past decisions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlmodel import Session, select

from opsgate.agent.classify.facts import CATEGORIES, IncidentFacts
from opsgate.agent.classify.model import TriageModel
from opsgate.agent.classify.text import model_text
from opsgate.rules.store.statuses import ProposalStatus
from opsgate.rules.store.tables import Incident, Proposal


def decided_examples(session: Session) -> list[tuple[IncidentFacts, str]]:
    """Return incidents whose triage a person confirmed, with the confirmed category.

    A proposal a person approved (or that was executed) confirms the category
    the triage gave its incident; a rejected one says the triage was wrong, so
    its incident is left out rather than guessed at.
    """
    rows = session.exec(
        select(Proposal, Incident).where(Proposal.incident_id == Incident.id)
    ).all()
    examples = []
    for proposal, incident in rows:
        triage = (incident.context or {}).get("triage") or {}
        category = triage.get("category")
        confirmed = proposal.status in {
            ProposalStatus.APPROVED,
            ProposalStatus.EXECUTED,
        }
        if confirmed and category in CATEGORIES and triage.get("facts"):
            examples.append((IncidentFacts.model_validate(triage["facts"]), category))
    return examples


def train_model(examples: Iterable[tuple[IncidentFacts, str]]) -> TriageModel:
    """Fit a model on (facts, category) pairs."""
    pairs: Sequence[tuple[IncidentFacts, str]] = list(examples)
    return TriageModel.train([model_text(f) for f, _ in pairs], [c for _, c in pairs])
