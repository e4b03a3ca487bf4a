from opsgate.agent.classify.training import decided_examples
from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.store.db import create_schema, create_store_engine, session_scope
from opsgate.rules.store.statuses import ProposalKind, ProposalStatus
from opsgate.rules.store.tables import Incident, Proposal


def _incident(session, category, status):
    facts = {"title": "t", "fault": {"name": "x", "message": f"{category} happened"}}
    incident = Incident(
        category=ErrorCategory.UNKNOWN,
        title="t",
        context={"triage": {"category": category, "facts": facts}},
    )
    session.add(incident)
    session.flush()
    session.add(
        Proposal(
            incident_id=incident.id,
            kind=ProposalKind.ESCALATE,
            status=status,
            summary="s",
        )
    )


def test_only_proposals_people_approved_teach_the_model(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 's.db'}")
    create_schema(engine)
    with session_scope(engine) as session:
        _incident(session, "auth", ProposalStatus.EXECUTED)
        _incident(session, "conflict", ProposalStatus.APPROVED)
        _incident(session, "timeout", ProposalStatus.REJECTED)
        _incident(session, "duplicate", ProposalStatus.PENDING)

        examples = decided_examples(session)

    assert sorted(category for _, category in examples) == ["auth", "conflict"]
