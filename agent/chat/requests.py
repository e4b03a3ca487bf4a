"""A request to change something becomes a proposal waiting for approval, never a write."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from opsgate.agent.chat.intents import Understanding
from opsgate.rules.gate import GateError, propose
from opsgate.rules.store.statuses import ProposalKind
from opsgate.rules.store.tables import DeadLetter, Incident

REFUSAL = (
    "I cannot change anything myself. Name what to change (for example "
    "'retry dead letter 3' or 'fix incident #12') and I will propose it for approval."
)
"""What a change request gets when it names nothing that can be proposed."""


@dataclass(frozen=True)
class ChangeOutcome:
    """What became of a change request."""

    text: str
    proposal_id: int | None
    cited: tuple[str, ...]


def propose_change(
    session: Session, understanding: Understanding, question: str, *, actor: str
) -> ChangeOutcome:
    """Propose the change the question asks for, or explain why none can be proposed."""
    if understanding.dead_letter_id is not None:
        dead = session.get(DeadLetter, understanding.dead_letter_id)
        if dead is None:
            return ChangeOutcome(
                f"There is no dead letter {understanding.dead_letter_id}; nothing was proposed.",
                None,
                (),
            )
        return _proposed(
            session,
            kind=ProposalKind.RETRY,
            record_ref=f"dead_letter:{dead.id}",
            params={"dead_letter_id": dead.id},
            summary=f"Replay dead letter {dead.id} (asked in chat: {question[:200]!r}).",
            cited=(f"dead_letter:{dead.id}", f"event:{dead.event_id}"),
            actor=actor,
        )
    if understanding.incident_id is not None:
        incident = session.get(Incident, understanding.incident_id)
        if incident is None:
            return ChangeOutcome(
                f"There is no incident {understanding.incident_id}; nothing was proposed.",
                None,
                (),
            )
        return _proposed(
            session,
            kind=ProposalKind.ESCALATE,
            record_ref=f"incident:{incident.id}",
            params={"to": "ops", "request": question[:500]},
            summary=f"Act on incident {incident.id} as asked in chat: {question[:200]!r}.",
            cited=(f"incident:{incident.id}",),
            actor=actor,
            incident_id=incident.id,
        )
    return ChangeOutcome(REFUSAL, None, ())


def _proposed(
    session: Session,
    *,
    kind: ProposalKind,
    record_ref: str,
    params: dict[str, object],
    summary: str,
    cited: tuple[str, ...],
    actor: str,
    incident_id: int | None = None,
) -> ChangeOutcome:
    try:
        proposal = propose(
            session,
            kind=kind,
            summary=summary,
            record_ref=record_ref,
            params=dict(params),
            incident_id=incident_id,
            proposed_by=actor,
        )
    except GateError as exc:
        return ChangeOutcome(f"Nothing was proposed: {exc}", None, cited)
    return ChangeOutcome(
        f"I did not change anything. I proposed it instead: proposal {proposal.id} "
        f"({kind.value}) waits for approval (`opsgate approve {proposal.id}`).",
        proposal.id,
        (f"proposal:{proposal.id}", *cited),
    )
