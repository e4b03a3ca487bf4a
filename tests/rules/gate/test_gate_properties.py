"""Property: whatever anyone tries, in any order, nothing is written without approval."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.gate import (
    GateRefusal,
    GateSettings,
    Role,
    approve,
    execute,
    propose,
)
from opsgate.rules.gate import reject as gate_reject
from opsgate.rules.gate.policy import approvals_needed, needs_approval
from opsgate.rules.store.db import create_schema, create_store_engine
from opsgate.rules.store.mapping_tables import ValueMapping
from opsgate.rules.store.statuses import (
    DeliveryStatus,
    ProposalKind,
    ProposalStatus,
    RiskLevel,
)
from opsgate.rules.store.tables import (
    Approval,
    DeadLetter,
    Delivery,
    Event,
    Incident,
    Proposal,
)

GATE = GateSettings(
    people={
        "ana": Role.APPROVER,
        "ben": Role.ADMIN,
        "olga": Role.OPERATOR,
        "vic": Role.VIEWER,
    },
    service_accounts={"engine": Role.OPERATOR},
)
ACTORS = ["ana", "ben", "olga", "vic", "mallory", "agent", "chat", "engine"]
KINDS = {
    ProposalKind.RETRY: lambda d: {"dead_letter_id": d},
    ProposalKind.REPLAY_WITH_PATCH: lambda d: {
        "dead_letter_id": d,
        "patch": [{"op": "replace", "path": "/x", "value": 2}],
    },
    ProposalKind.ADD_MAPPING: lambda d: {
        "namespace": "hubspot.country",
        "source_value": "XX",
        "target_value": "base.us",
        "replay_delivery_ids": [1],
    },
    ProposalKind.CREATE_REFERENCE: lambda d: {
        "event_id": "evt-1",
        "target": "odoo",
        "operation": "load:res.country",
        "row": {"code": "XX"},
    },
    ProposalKind.SKIP_WITH_REASON: lambda d: {"reason": "test data"},
}

steps = st.lists(
    st.tuples(
        st.sampled_from(["approve", "reject", "execute", "touch"]),
        st.sampled_from(ACTORS),
    ),
    max_size=8,
)


def _store():
    engine = create_store_engine("sqlite://")
    create_schema(engine)
    session = Session(engine, expire_on_commit=False)
    session.add(
        Event(
            id="evt-1", source="hubspot", source_event_id="1", type="t", raw_body=b"{}"
        )
    )
    session.flush()
    delivery = Delivery(
        event_id="evt-1",
        target="odoo",
        operation="load:res.partner",
        idempotency_key="k",
        payload={"x": 1},
        status=DeliveryStatus.DEAD,
    )
    session.add(delivery)
    session.flush()
    dead = DeadLetter(
        delivery_id=delivery.id,
        event_id="evt-1",
        target="odoo",
        category=ErrorCategory.TIMEOUT,
        reason="r",
    )
    session.add(dead)
    session.add(Incident(category=ErrorCategory.TIMEOUT, title="t"))
    session.flush()
    return engine, session, dead


def _allowed_approvers(session, proposal):
    allowed = GATE.approve_roles[proposal.risk]
    rows = session.exec(
        select(Approval).where(
            Approval.proposal_id == proposal.id, Approval.decision == "approved"
        )
    ).all()
    return {row.approver for row in rows if GATE.people.get(row.approver) in allowed}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(KINDS)),
    risk=st.sampled_from([None, RiskLevel.MEDIUM, RiskLevel.HIGH]),
    actions=steps,
)
def test_no_sequence_of_actions_writes_without_enough_approvals(kind, risk, actions):
    engine, session, dead = _store()
    proposal = propose(
        session,
        kind=kind,
        summary="s",
        record_ref=f"dead_letter:{dead.id}",
        params=KINDS[kind](dead.id),
        incident_id=1,
        risk=risk,
        settings=GATE,
    )
    for action, actor in actions:
        try:
            if action == "approve":
                approve(session, proposal.id, approver=actor, reason="r", settings=GATE)
            elif action == "reject":
                gate_reject(
                    session, proposal.id, approver=actor, reason="r", settings=GATE
                )
            elif action == "execute":
                execute(session, proposal.id, actor=actor, settings=GATE)
            else:
                session.get(DeadLetter, dead.id).reason += "!"
                session.flush()
        except GateRefusal:
            pass

    delivery = session.get(Delivery, dead.delivery_id)
    proposal = session.get(Proposal, proposal.id)
    wrote = (
        delivery.status != DeliveryStatus.DEAD
        or delivery.payload != {"x": 1}
        or session.exec(select(ValueMapping)).first() is not None
        or len(session.exec(select(Delivery)).all()) > 1
        or session.get(Incident, 1).status != "open"
    )
    if wrote or proposal.status == ProposalStatus.EXECUTED:
        assert proposal.status == ProposalStatus.EXECUTED
        assert needs_approval(GATE, kind.value)
        approvers = _allowed_approvers(session, proposal)
        assert len(approvers) >= approvals_needed(GATE, proposal)
        assert not approvers & {"agent", "chat", "engine"}
    session.close()
    engine.dispose()
