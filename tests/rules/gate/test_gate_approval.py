import pytest
from sqlmodel import select

from opsgate.rules.gate import (
    GateRefusal,
    ResumeDecision,
    apply_decision,
    approve,
    execute,
    propose,
    reject,
)
from opsgate.rules.gate.errors import RefusalReason
from opsgate.rules.store.statuses import (
    DeliveryStatus,
    ProposalKind,
    ProposalStatus,
    RiskLevel,
)
from opsgate.rules.store.tables import AuditEntry, Delivery


def _retry(session, dead, settings, **kw):
    return propose(
        session,
        kind=ProposalKind.RETRY,
        summary="Retry the Acme upsert.",
        record_ref=f"dead_letter:{dead.id}",
        params={"dead_letter_id": dead.id},
        incident_id=1,
        settings=settings,
        **kw,
    )


def test_proposal_carries_preview_risk_and_record_version(
    session, dead_letter, settings
):
    proposal = _retry(session, dead_letter, settings)

    assert proposal.status == ProposalStatus.PENDING
    assert proposal.risk == RiskLevel.LOW
    assert proposal.record_version
    assert proposal.preview["writes"][0]["where"] == "odoo upsert:res.partner"
    assert proposal.preview["writes"][0]["what"]["payload"]["country_id"] == "XX"


def test_proposing_the_same_fix_twice_returns_the_first_proposal(
    session, dead_letter, settings
):
    first = _retry(session, dead_letter, settings)
    second = _retry(session, dead_letter, settings)

    assert first.id == second.id


def test_operator_approval_then_execution_requeues_the_delivery(
    session, dead_letter, settings
):
    proposal = _retry(session, dead_letter, settings)

    result = approve(
        session, proposal.id, approver="olga", reason="transient", settings=settings
    )
    executed = execute(session, proposal.id, actor="agent", settings=settings)

    assert result.status == ProposalStatus.APPROVED
    assert executed.status == ProposalStatus.EXECUTED
    assert (
        session.get(Delivery, dead_letter.delivery_id).status == DeliveryStatus.PENDING
    )
    assert dead_letter.replay_count == 1


@pytest.mark.parametrize("actor", ["agent", "chat", "engine", "ci-bot"])
def test_machines_can_never_approve(session, dead_letter, settings, actor):
    proposal = _retry(session, dead_letter, settings)

    with pytest.raises(GateRefusal, match="only people approve") as caught:
        approve(session, proposal.id, approver=actor, reason="ok", settings=settings)

    assert caught.value.reason == RefusalReason.NOT_A_PERSON


def test_viewer_role_may_not_approve(session, dead_letter, settings):
    proposal = _retry(session, dead_letter, settings)

    with pytest.raises(GateRefusal, match="role 'viewer' may not approve"):
        approve(session, proposal.id, approver="vic", reason="ok", settings=settings)


def test_unknown_person_may_not_approve(session, dead_letter, settings):
    proposal = _retry(session, dead_letter, settings)

    with pytest.raises(GateRefusal, match="not in settings"):
        approve(
            session, proposal.id, approver="mallory", reason="ok", settings=settings
        )


def test_operator_may_not_approve_medium_risk(session, dead_letter, settings):
    proposal = _retry(session, dead_letter, settings, risk=RiskLevel.MEDIUM)

    with pytest.raises(GateRefusal, match="medium-risk"):
        approve(session, proposal.id, approver="olga", reason="ok", settings=settings)


def test_high_risk_proposal_needs_second_different_approver(
    session, dead_letter, settings
):
    proposal = _retry(session, dead_letter, settings, risk=RiskLevel.HIGH)

    first = approve(
        session, proposal.id, approver="ana", reason="ok", settings=settings
    )
    with pytest.raises(GateRefusal, match="second, different approver"):
        approve(session, proposal.id, approver="ana", reason="again", settings=settings)
    with pytest.raises(GateRefusal, match="1 of 2 approvals"):
        execute(session, proposal.id, actor="agent", settings=settings)
    second = approve(
        session, proposal.id, approver="ben", reason="ok", settings=settings
    )

    assert first.status == ProposalStatus.PENDING
    assert second.status == ProposalStatus.APPROVED


def test_approving_twice_is_refused(session, dead_letter, settings):
    proposal = _retry(session, dead_letter, settings)
    approve(session, proposal.id, approver="ana", reason="ok", settings=settings)

    with pytest.raises(GateRefusal, match="already approved"):
        approve(session, proposal.id, approver="ben", reason="ok", settings=settings)


def test_stale_proposal_is_refused_at_approval_and_execution(
    session, dead_letter, settings
):
    approved = _retry(session, dead_letter, settings)
    proposal = _retry(session, dead_letter, settings, risk=RiskLevel.MEDIUM)
    delivery = session.get(Delivery, dead_letter.delivery_id)
    approve(session, approved.id, approver="olga", reason="ok", settings=settings)
    delivery.attempt_count += 1
    session.add(delivery)
    session.flush()

    with pytest.raises(GateRefusal, match="stale"):
        approve(session, proposal.id, approver="ana", reason="ok", settings=settings)
    with pytest.raises(GateRefusal, match="stale"):
        execute(session, approved.id, actor="agent", settings=settings)


def test_executing_twice_is_refused(session, dead_letter, settings):
    proposal = _retry(session, dead_letter, settings)
    approve(session, proposal.id, approver="ana", reason="ok", settings=settings)
    execute(session, proposal.id, actor="agent", settings=settings)

    with pytest.raises(GateRefusal, match="already executed"):
        execute(session, proposal.id, actor="agent", settings=settings)


def test_rejected_proposal_cannot_be_approved_or_executed(
    session, dead_letter, settings
):
    proposal = _retry(session, dead_letter, settings)
    reject(session, proposal.id, approver="olga", reason="not now", settings=settings)

    with pytest.raises(GateRefusal, match="already rejected"):
        approve(session, proposal.id, approver="ana", reason="ok", settings=settings)
    with pytest.raises(GateRefusal, match="already rejected"):
        execute(session, proposal.id, actor="agent", settings=settings)


def test_chat_may_not_reject_or_execute(session, dead_letter, settings):
    proposal = _retry(session, dead_letter, settings)

    with pytest.raises(GateRefusal, match="only people decide"):
        reject(session, proposal.id, approver="chat", reason="no", settings=settings)
    with pytest.raises(GateRefusal, match="chat can only propose"):
        execute(session, proposal.id, actor="chat", settings=settings)


def test_decision_meant_for_another_proposal_is_refused(session, dead_letter, settings):
    proposal = _retry(session, dead_letter, settings)
    decision = ResumeDecision(
        proposal_id=proposal.id + 1, decision="approved", approver="ana", reason="ok"
    )

    with pytest.raises(GateRefusal, match="waits for a decision on proposal"):
        apply_decision(session, proposal.id, decision, settings=settings)


def test_escalate_runs_without_approval_but_writes_nothing_outside(
    session, dead_letter, settings
):
    proposal = propose(
        session,
        kind=ProposalKind.ESCALATE,
        summary="Hand to the Odoo admin.",
        record_ref="incident:1",
        incident_id=1,
        params={"to": "odoo-admin"},
        settings=settings,
    )

    result = execute(session, proposal.id, actor="agent", settings=settings)

    assert result.status == ProposalStatus.EXECUTED
    assert proposal.preview["writes"] == []


def test_kind_listed_as_no_approval_but_unknown_to_the_gate_still_needs_one(
    session, dead_letter, settings
):
    from opsgate.rules.gate.policy import needs_approval

    loose = settings.model_copy(
        update={"no_approval_kinds": frozenset({"hold_invoice"})}
    )

    assert needs_approval(loose, "hold_invoice")
    assert needs_approval(loose, "retry")


def test_every_step_is_an_audit_entry(session, dead_letter, settings):
    proposal = _retry(session, dead_letter, settings)
    approve(session, proposal.id, approver="ana", reason="ok", settings=settings)
    execute(session, proposal.id, actor="agent", settings=settings)
    other = _retry(session, dead_letter, settings)
    reject(session, other.id, approver="ana", reason="dup", settings=settings)

    actions = session.exec(select(AuditEntry.action)).all()

    assert {"proposal.proposed", "proposal.approved", "proposal.executed"} <= set(
        actions
    )
    assert "proposal.rejected" in actions


def test_replay_with_patch_preview_shows_diff_and_execution_applies_it(
    session, dead_letter, settings
):
    patch = [{"op": "replace", "path": "/country_id", "value": "US"}]
    proposal = propose(
        session,
        kind=ProposalKind.REPLAY_WITH_PATCH,
        summary="Replay with country US.",
        record_ref=f"dead_letter:{dead_letter.id}",
        params={"dead_letter_id": dead_letter.id, "patch": patch},
        settings=settings,
    )
    approve(session, proposal.id, approver="ana", reason="ok", settings=settings)
    execute(session, proposal.id, actor="root", settings=settings)

    assert proposal.preview["diff"] == [
        {"path": "/country_id", "before": "XX", "after": "US"}
    ]
    assert session.get(Delivery, dead_letter.delivery_id).payload["country_id"] == "US"


def test_first_approver_of_a_high_risk_proposal_may_still_reject_it(
    session, dead_letter, settings
):
    proposal = _retry(session, dead_letter, settings, risk=RiskLevel.HIGH)
    approve(session, proposal.id, approver="ana", reason="ok", settings=settings)

    result = reject(
        session,
        proposal.id,
        approver="ana",
        reason="on reflection, no",
        settings=settings,
    )

    assert result.status == ProposalStatus.REJECTED
    with pytest.raises(GateRefusal, match="already rejected"):
        approve(session, proposal.id, approver="ben", reason="ok", settings=settings)
