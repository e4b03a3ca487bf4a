"""Approving and rejecting from the TUI: confirmation, refusals, one execution."""

from types import ModuleType

from sqlmodel import col, select
from textual.widgets import DataTable, Static

import opsgate.rules.gate as real_gate
from opsgate.rules.store.db import create_store_engine, session_scope
from opsgate.rules.store.statuses import Decision, ProposalKind, ProposalStatus
from opsgate.rules.store.tables import Approval, AuditEntry, Proposal
from opsgate.tui.screens.approvals import ApprovalsScreen
from opsgate.tui.screens.decision import DecisionScreen
from opsgate.tui.widgets.diff_view import DiffView
from tests.tui.snapshot_app import make_app, settle


class CountingGate(ModuleType):
    """The real gate, with a count of the calls made to each function."""

    def __init__(self) -> None:
        super().__init__("counting_gate")
        self.calls: dict[str, int] = {}
        self.GateRefusal = real_gate.GateRefusal

    def __getattr__(self, name: str):
        target = getattr(real_gate, name)

        def counted(*args, **kwargs):
            self.calls[name] = self.calls.get(name, 0) + 1
            return target(*args, **kwargs)

        return counted


def _proposal_of_kind(store_path, kind: ProposalKind) -> int:
    with session_scope(create_store_engine(f"sqlite:///{store_path}")) as session:
        proposal = session.exec(
            select(Proposal)
            .where(Proposal.kind == kind, Proposal.status == ProposalStatus.PENDING)
            .order_by(col(Proposal.id))
        ).first()
        return int(proposal.id)


def _reload(store_path, proposal_id: int) -> tuple[Proposal, list[Approval], int]:
    with session_scope(create_store_engine(f"sqlite:///{store_path}")) as session:
        proposal = session.get(Proposal, proposal_id)
        approvals = list(
            session.exec(select(Approval).where(Approval.proposal_id == proposal_id))
        )
        executed = session.exec(
            select(AuditEntry).where(
                AuditEntry.action == "proposal.executed",
                AuditEntry.subject == f"proposal:{proposal_id}",
            )
        ).all()
        return proposal, approvals, len(executed)


async def _open_dialog(pilot, proposal_id: int, key: str = "a") -> DecisionScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ApprovalsScreen)
    inbox = screen.query_one("#inbox", DataTable)
    inbox.move_cursor(row=inbox.get_row_index(str(proposal_id)))
    await pilot.press(key)
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, DecisionScreen)
    return dialog


async def _confirm(pilot, reason: str) -> None:
    await pilot.press(*reason, "enter")
    await settle(pilot)


async def test_approve_opens_a_confirmation_with_the_preview(store_path):
    pid = _proposal_of_kind(store_path, ProposalKind.REPLAY_WITH_PATCH)
    app = make_app(store_path, start="approvals")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open_dialog(pilot, pid)

        assert dialog.proposal.id == pid
        preview = str(dialog.query_one("#diff", DiffView).render())
        assert "partner_ref" in preview
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ApprovalsScreen)

    proposal, approvals, _ = _reload(store_path, pid)
    assert proposal.status == ProposalStatus.PENDING
    assert approvals == []


async def test_approved_proposal_executes_through_the_gate_exactly_once(store_path):
    gate = CountingGate()
    pid = _proposal_of_kind(store_path, ProposalKind.RETRY)
    app = make_app(store_path, start="approvals", actor="ana", gate=gate)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_dialog(pilot, pid)
        await _confirm(pilot, "Odoo is back up")

        assert isinstance(app.screen, ApprovalsScreen)
        assert str(pid) not in app.screen.waiting

    proposal, approvals, executions = _reload(store_path, pid)
    assert proposal.status == ProposalStatus.EXECUTED
    assert [(a.approver, a.decision, a.reason) for a in approvals] == [
        ("ana", Decision.APPROVED, "Odoo is back up")
    ]
    assert gate.calls == {"approve": 1, "execute": 1}
    assert executions == 1


async def test_refused_approval_is_explained_in_the_dialog(store_path):
    pid = _proposal_of_kind(store_path, ProposalKind.RETRY)
    app = make_app(store_path, start="approvals", actor="vic")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open_dialog(pilot, pid)
        await _confirm(pilot, "looks fine")

        assert app.screen is dialog
        refusal = str(dialog.query_one("#refusal", Static).render())
        assert "role 'viewer' may not approve a low-risk proposal" in refusal

    proposal, approvals, executions = _reload(store_path, pid)
    assert proposal.status == ProposalStatus.PENDING
    assert approvals == []
    assert executions == 0


async def test_high_risk_proposal_waits_for_a_second_different_approver(store_path):
    gate = CountingGate()
    pid = _proposal_of_kind(store_path, ProposalKind.CREATE_REFERENCE)
    app = make_app(store_path, start="approvals", actor="ana", gate=gate)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_dialog(pilot, pid)
        await _confirm(pilot, "partner is real")
        dialog = await _open_dialog(pilot, pid)
        await _confirm(pilot, "again")

        refusal = str(dialog.query_one("#refusal", Static).render())
        assert "needs a second, different approver" in refusal

    proposal, approvals, executions = _reload(store_path, pid)
    assert proposal.status == ProposalStatus.PENDING
    assert [a.approver for a in approvals] == ["ana"]
    assert gate.calls.get("execute", 0) == 0
    assert executions == 0


async def test_reject_records_the_reason(store_path):
    pid = _proposal_of_kind(store_path, ProposalKind.REPLAY_WITH_PATCH)
    app = make_app(store_path, start="approvals", actor="oli")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_dialog(pilot, pid, key="x")
        await _confirm(pilot, "wrong partner")

    proposal, approvals, executions = _reload(store_path, pid)
    assert proposal.status == ProposalStatus.REJECTED
    assert [(a.decision, a.reason) for a in approvals] == [
        (Decision.REJECTED, "wrong partner")
    ]
    assert executions == 0


async def test_confirming_without_a_reason_asks_for_one(store_path):
    pid = _proposal_of_kind(store_path, ProposalKind.RETRY)
    app = make_app(store_path, start="approvals")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open_dialog(pilot, pid)
        await pilot.press("enter")
        await settle(pilot)

        assert app.screen is dialog
        assert "reason is required" in str(dialog.query_one("#refusal").render())
    assert _reload(store_path, pid)[1] == []


async def test_readonly_mode_hides_and_ignores_approve(store_path):
    app = make_app(store_path, start="approvals", readonly=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)

        assert isinstance(app.screen, ApprovalsScreen)
        shown = [b.binding.action for b in app.screen.active_bindings.values()]
        assert "approve" not in shown
        assert "reject" not in shown
